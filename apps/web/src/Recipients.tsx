/** `/recipients`: the people the customer sends to – each one's details, a way to change them, and to remove them. */
import { type Corridor, fetchCorridors, fetchRecipients, type MoneyApiResult, type Recipient, removeRecipient } from '@drop/web-common';
import { AppLink } from '@drop/web-common/routing';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { ErrorCard, Loading } from './AccountArea.tsx';
import { farewellFor, useAccount, useCustomerQuery } from './account.tsx';
import { BackLink, PageHead } from './card.tsx';
import { ConfirmButton } from './confirm-dialog.tsx';
import { useI18n } from './i18n.ts';
import { AlertIcon, PencilIcon, SendIcon, TrashIcon } from './icons.tsx';
import { RecipientForm } from './SendRecipient.tsx';
import { initialsOf, useMoneyFormat } from './transfer-ui.tsx';

interface RecipientsData {
  recipients: Recipient[];
  corridors: Corridor[];
}

async function loadRecipients(signal: AbortSignal): Promise<MoneyApiResult<RecipientsData>> {
  const [recipients, corridors] = await Promise.all([fetchRecipients(signal), fetchCorridors(signal)]);
  if (recipients.kind !== 'ok') return recipients;
  if (corridors.kind !== 'ok') return corridors;
  return { kind: 'ok', data: { recipients: recipients.data, corridors: corridors.data } };
}

const QUERY_KEY = ['recipients-page'];

/** What happened last, said once under the page's head (and to screen readers). */
type Notice = { tone: 'ok' | 'refused' | 'failed'; text: string };

function RecipientRow(props: {
  recipient: Recipient;
  corridor: Corridor | undefined;
  editing: boolean;
  removing: boolean;
  onEdit(): void;
  onCancelEdit(): void;
  onSaved(next: Recipient): void;
  onRemove(close: () => void): void;
}): ReactNode {
  const { t } = useI18n();
  const format = useMoneyFormat();
  const { recipient, corridor } = props;
  const country = format.country(recipient.country);
  return (
    <li className="recipient-row" data-testid="recipient-row" data-recipient-id={recipient.id}>
      <div className="recipient-row-main">
        <span className="avatar recipient-avatar" aria-hidden="true">
          {initialsOf(recipient.name)}
        </span>
        <div className="recipient-text">
          <span className="recipient-name" data-testid="recipient-row-name">
            {recipient.name}
          </span>
          <span className="recipient-meta">
            <span className="mono" data-testid="recipient-row-account">
              {recipient.display}
            </span>
            <span>
              {' '}
              · {country} · {recipient.currency} · {t.relationships[recipient.relationship] ?? recipient.relationship}
            </span>
          </span>
        </div>
        {!props.editing && (
          <div className="recipient-row-actions">
            <button
              type="button"
              className="button button-secondary"
              onClick={props.onEdit}
              disabled={!corridor || props.removing}
              aria-label={t.recipientsPage.editLabel(recipient.name)}
              data-testid="recipient-edit"
            >
              <PencilIcon />
              <span>{t.recipientsPage.edit}</span>
            </button>
            <ConfirmButton
              label={<span>{t.recipientsPage.remove}</span>}
              icon={<TrashIcon />}
              className="button button-danger-ghost"
              testId="recipient-remove"
              disabled={props.removing}
              dialogTestId="recipient-remove-dialog"
              title={t.recipientsPage.removeTitle(recipient.name)}
              text={t.recipientsPage.removeText}
              keepLabel={t.cancel}
              confirmLabel={props.removing ? t.recipientsPage.removing : t.recipientsPage.removeConfirm}
              confirmTestId="recipient-remove-confirm"
              busy={props.removing}
              onConfirm={props.onRemove}
            />
          </div>
        )}
      </div>
      {props.editing && corridor && (
        <RecipientForm corridor={corridor} initial={recipient} onAdded={props.onSaved} onCancel={props.onCancelEdit} />
      )}
    </li>
  );
}

export function Recipients(): ReactNode {
  const { t } = useI18n();
  const { end } = useAccount();
  const queryClient = useQueryClient();
  const query = useCustomerQuery({ queryKey: QUERY_KEY, load: loadRecipients, gcTime: 0 });
  const [editing, setEditing] = useState<string>();
  const [removing, setRemoving] = useState<string>();
  const [notice, setNotice] = useState<Notice>();
  const data = query.isError ? undefined : query.data;

  const replace = (update: (recipients: Recipient[]) => Recipient[]) =>
    queryClient.setQueryData<RecipientsData>(QUERY_KEY, (previous) => previous && { ...previous, recipients: update(previous.recipients) });

  const onRemove = (recipient: Recipient, close: () => void) => {
    setRemoving(recipient.id);
    setNotice(undefined);
    void removeRecipient(recipient.id).then((result) => {
      setRemoving(undefined);
      close();
      if (result.kind === 'unauthenticated') return end(farewellFor(result));
      if (result.kind === 'error' && result.code === 'RECIPIENT_IN_USE') {
        return setNotice({ tone: 'refused', text: t.recipientsPage.inUseRemove(recipient.name) });
      }
      if (result.kind === 'error' && result.code !== 'RECIPIENT_NOT_FOUND') {
        return setNotice({ tone: 'failed', text: t.recipientsPage.removeFailed });
      }
      replace((recipients) => recipients.filter((other) => other.id !== recipient.id));
      setNotice({ tone: 'ok', text: t.recipientsPage.removed(recipient.name) });
    });
  };

  const onSaved = (before: Recipient, after: Recipient) => {
    setEditing(undefined);
    replace((recipients) => recipients.map((other) => (other.id === before.id ? after : other)));
    setNotice({ tone: 'ok', text: t.recipientsPage.saved(after.name) });
  };

  return (
    <>
      <BackLink to="/home" label={t.sessionsBack} />
      <PageHead eyebrow={t.recipientsPage.eyebrow} title={t.recipientsPage.title} lead={t.recipientsPage.lead} />
      <div aria-live="polite" data-testid="recipients-notice-region">
        {notice && (
          <div
            className={notice.tone === 'ok' ? 'inline-notice' : 'inline-alert'}
            role={notice.tone === 'ok' ? 'status' : 'alert'}
            data-testid="recipients-notice"
            data-tone={notice.tone}
          >
            {notice.tone !== 'ok' && <AlertIcon />}
            <span>{notice.text}</span>
            {notice.tone === 'refused' && (
              <AppLink to="/transfers" className="inline-link">
                {t.seeTransfers}
              </AppLink>
            )}
          </div>
        )}
      </div>
      {query.isPending && <Loading label={t.loading} />}
      {query.isError && <ErrorCard title={t.loadFailedTitle} text={t.loadFailedText} onRetry={() => void query.refetch()} />}
      {data && (
        <section className="card recipients-card" aria-labelledby="recipients-list-title">
          <div className="card-head">
            <h2 id="recipients-list-title" className="card-title">
              {t.recipientsPage.listTitle}
            </h2>
            <span className="count" data-testid="recipients-count">
              {t.recipientsPage.count(data.recipients.length)}
            </span>
          </div>
          {data.recipients.length === 0 ? (
            <div className="recipients-empty" data-testid="recipients-empty">
              <p className="card-text">{t.recipientsPage.empty}</p>
              <AppLink to="/send" className="button button-primary">
                <SendIcon />
                {t.navSend}
              </AppLink>
            </div>
          ) : (
            <ul className="recipient-list" aria-labelledby="recipients-list-title">
              {data.recipients.map((recipient) => (
                <RecipientRow
                  key={recipient.id}
                  recipient={recipient}
                  corridor={data.corridors.find((c) => c.country === recipient.country && c.currency === recipient.currency)}
                  editing={editing === recipient.id}
                  removing={removing === recipient.id}
                  onEdit={() => {
                    setNotice(undefined);
                    setEditing(recipient.id);
                  }}
                  onCancelEdit={() => setEditing(undefined)}
                  onSaved={(next) => onSaved(recipient, next)}
                  onRemove={(close) => onRemove(recipient, close)}
                />
              ))}
            </ul>
          )}
          <p className="recipients-foot">{t.recipientsPage.addHint}</p>
        </section>
      )}
    </>
  );
}
