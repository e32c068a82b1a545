import { formatDateTime } from '@drop/web-common';
import { type ReactNode, useState } from 'react';
import { formatAmount } from './AmlAlerts.tsx';
import { TextDialog } from './Approvals.tsx';
import { useI18n } from './i18n.ts';
import { Notice } from './Login.tsx';
import { BackLink, Card, LoadProblem, PageHead } from './page.tsx';
import { pathFor } from './routes.ts';
import { StrStatusBadge } from './Strs.tsx';
import { useSession, useStaffData } from './session.ts';
import { fetchStr, type StrDetail, type StrDocument, strStep } from './staff-api.ts';

type Step = 'submit' | 'approve' | 'return' | 'file' | 'mfa-notified';

/** The document as ØKOKRIM will read it: grounds, indicators, transactions, persons and companies. */
function StrDocumentView(props: { document: StrDocument }): ReactNode {
  const { t, locale } = useI18n();
  const { document } = props;
  return (
    <Card id="str-document" title={t.strs.document} testId="str-document">
      <dl className="case-facts">
        <dt>{t.strs.reference}</dt>
        <dd data-testid="str-reference">{document.reference}</dd>
        <dt>{t.strs.colStatus}</dt>
        <dd>{t.strs.reportType[document.reportType] ?? document.reportType}</dd>
        <dt>{t.strs.indicators}</dt>
        <dd data-testid="str-indicators">{document.indicators.map((rule) => t.rules[rule] ?? rule).join(', ') || '–'}</dd>
      </dl>
      <h3>{t.strs.grounds}</h3>
      <p className="prewrap" data-testid="str-grounds">
        {document.grounds}
      </p>
      {document.actionTaken && (
        <>
          <h3>{t.strs.actionTaken}</h3>
          <p className="prewrap">{document.actionTaken}</p>
        </>
      )}
      <h3>{t.strs.transactionsTitle}</h3>
      {document.transactions.length === 0 ? (
        <p className="muted">{t.strs.noTransfers}</p>
      ) : (
        <ul className="link-list" data-testid="str-transactions">
          {document.transactions.map((transfer) => (
            <li key={transfer.id} data-testid="str-transaction">
              <code>{transfer.id}</code> · {transfer.date.slice(0, 10)} · {formatAmount(transfer.amountNok, 'NOK', locale)}
              {transfer.foreign ? ` (${formatAmount(transfer.foreign.amount, transfer.foreign.currency, locale)})` : ''} {t.strs.to}{' '}
              {transfer.recipient.name}, {transfer.recipient.country} {transfer.recipient.account ?? ''}
            </li>
          ))}
        </ul>
      )}
      <h3>{t.strs.persons}</h3>
      <ul className="link-list" data-testid="str-persons">
        {document.persons.map((person, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the document's persons are a fixed list; their order is their identity
          <li key={index} data-testid="str-person" data-role={person.role}>
            <strong>
              {person.firstName} {person.lastName}
            </strong>{' '}
            ({person.role === 'subject' ? t.strs.subject : t.strs.connected})
            {person.birthDate ? ` · ${t.strs.born} ${person.birthDate}` : ''}
            {person.nationalId ? ` · ${t.strs.fnr} ${person.nationalId}` : ''}
            {person.note ? ` — ${person.note}` : ''}
          </li>
        ))}
      </ul>
      {document.companies.length > 0 && (
        <>
          <h3>{t.strs.companies}</h3>
          <ul className="link-list" data-testid="str-companies">
            {document.companies.map((company, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the document's companies are a fixed list
              <li key={index}>
                <strong>{company.name}</strong>
                {company.orgNumber ? ` (${company.orgNumber})` : ''}
                {company.note ? ` — ${company.note}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}

/** A button with the reason it is disabled shown beside it (not only in a tooltip). */
function StepButton(props: { label: string; why: string | undefined; testId: string; primary?: boolean; onClick(): void }): ReactNode {
  const id = `${props.testId}-why`;
  return (
    <span className="cell-stack">
      <button
        type="button"
        className={`button ${props.primary ? 'button-primary' : ''}`}
        disabled={props.why !== undefined}
        aria-describedby={props.why ? id : undefined}
        data-testid={props.testId}
        onClick={props.onClick}
      >
        {props.label}
      </button>
      {props.why && (
        <span className="cell-secondary" id={id} data-testid={`${props.testId}-why`}>
          {props.why}
        </span>
      )}
    </span>
  );
}

function StrActions(props: { str: StrDetail; onDone(step: Step): void }): ReactNode {
  const { t, locale } = useI18n();
  const { me, expire } = useSession();
  const { str } = props;
  const [dialog, setDialog] = useState<'approve' | 'return' | 'file' | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mine = str.draftedBy?.id === me.id;
  const lead = me.permissions.includes('str_approve');
  const decideWhy = mine ? t.strs.ownStr : lead ? undefined : t.strs.noApprovePermission;

  const run = async (step: Step, body: Record<string, string> = {}): Promise<string | null> => {
    const answer = await strStep(str.id, step, body);
    if (answer.kind === 'ok') {
      props.onDone(step);
      return null;
    }
    if (answer.kind === 'unauthenticated') expire();
    return answer.kind === 'error' ? (t.strs.errors[answer.code] ?? t.strs.failed(answer.code)) : t.strs.failed('');
  };
  const immediate = async (step: Step) => {
    setBusy(true);
    setFailure(await run(step));
    setBusy(false);
  };

  return (
    <Card id="str-actions" title={t.strs.actionsTitle} testId="str-actions">
      {failure && (
        <Notice tone="error" testId="str-error">
          {failure}
        </Notice>
      )}
      {str.status === 'draft' && str.decisionNote && (
        <Notice tone="info" testId="str-returned-note">
          {t.strs.returnedNote} {str.decisionNote}
        </Notice>
      )}
      {str.sanctionsHit && str.status !== 'filed' && (
        <p data-testid="str-mfa">
          {str.mfaNotifiedAt ? t.strs.mfaNotified(formatDateTime(new Date(str.mfaNotifiedAt), locale)) : t.strs.mfaNotYet}{' '}
          {!str.mfaNotifiedAt && (
            <button
              type="button"
              className="button button-small"
              disabled={busy}
              data-testid="str-mfa-notified"
              onClick={() => void immediate('mfa-notified')}
            >
              {t.strs.markMfaNotified}
            </button>
          )}
        </p>
      )}
      <div className="button-row">
        {str.status === 'draft' && (
          <StepButton
            label={t.strs.submit}
            primary
            why={mine ? undefined : t.strs.onlyDrafter}
            testId="str-submit"
            onClick={() => void immediate('submit')}
          />
        )}
        {str.status === 'awaiting_approval' && (
          <>
            <StepButton label={t.strs.approve} primary why={decideWhy} testId="str-approve" onClick={() => setDialog('approve')} />
            <StepButton label={t.strs.returnToDrafter} why={decideWhy} testId="str-return" onClick={() => setDialog('return')} />
          </>
        )}
        {str.status === 'approved' && (
          <StepButton
            label={t.strs.file}
            primary
            why={lead ? undefined : t.strs.noApprovePermission}
            testId="str-file"
            onClick={() => setDialog('file')}
          />
        )}
      </div>
      <h3>{t.strs.exports}</h3>
      <p className="muted" data-testid="str-exports">
        {t.strs.exportsLater}
      </p>
      {dialog === 'approve' && (
        <TextDialog
          title={t.strs.approveTitle}
          text={`${str.reference} — ${t.strs.approveText}`}
          label={t.strs.note}
          confirmLabel={t.strs.approve}
          required={false}
          tone="primary"
          testId="str-approve-dialog"
          onClose={() => setDialog(null)}
          onSubmit={(note) => run('approve', note ? { note } : {})}
        />
      )}
      {dialog === 'return' && (
        <TextDialog
          title={t.strs.returnTitle}
          text={`${str.reference} — ${t.strs.returnText}`}
          label={t.strs.note}
          confirmLabel={t.strs.returnToDrafter}
          required
          tone="danger"
          testId="str-return-dialog"
          onClose={() => setDialog(null)}
          onSubmit={(note) => run('return', { note })}
        />
      )}
      {dialog === 'file' && (
        <TextDialog
          title={t.strs.fileTitle}
          text={`${str.reference} — ${t.strs.fileText}`}
          label={t.strs.filingReference}
          confirmLabel={t.strs.file}
          required={false}
          tone="primary"
          testId="str-file-dialog"
          onClose={() => setDialog(null)}
          onSubmit={(filingReference) => run('file', filingReference ? { filingReference } : {})}
        />
      )}
    </Card>
  );
}

/** `/console/strs/<id>`: one STR as the FIU will read it, with the steps the status and the role allow. */
export function StrPage(props: { strId: string }): ReactNode {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const { result, reload } = useStaffData(['str', props.strId], (signal) => fetchStr(props.strId, signal));
  const [done, setDone] = useState<Step | null>(null);
  return (
    <>
      <BackLink to={pathFor('strs')} label={t.strs.back} />
      {result.state !== 'ok' ? (
        <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
      ) : (
        <>
          <PageHead title={`${t.strs.title} ${result.data.reference}`} lead={result.data.caseTitle ?? undefined}>
            <span data-testid="str-page-status" data-status={result.data.status}>
              <StrStatusBadge status={result.data.status} />
            </span>
          </PageHead>
          {done && (
            <Notice tone="ok" testId="str-done">
              {t.strs.done[done]}
            </Notice>
          )}
          {result.data.sanctionsHit && <Notice tone="info">{t.strs.sanctionsHit}</Notice>}
          <div className="columns">
            <div className="stack">
              {result.data.document ? (
                <StrDocumentView document={result.data.document} />
              ) : (
                <Card id="str-document" title={t.strs.document}>
                  <p className="prewrap">{result.data.reason}</p>
                </Card>
              )}
            </div>
            <div className="stack">
              <StrActions
                str={result.data}
                onDone={(step) => {
                  setDone(step);
                  reload();
                }}
              />
              <Card id="str-history" title={t.strs.history}>
                <ul className="link-list" data-testid="str-history">
                  {result.data.history.map((event, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the history is append-only; its order is its identity
                    <li key={index} data-kind={event.kind}>
                      <strong>{t.strs.events[event.kind] ?? event.kind}</strong> · {event.actor.name} ·{' '}
                      {formatDateTime(new Date(event.createdAt), locale)}
                      {event.text && event.kind !== 'str_drafted' && event.kind !== 'str_submitted' ? ` — ${event.text}` : ''}
                    </li>
                  ))}
                </ul>
                {result.data.filedAt && (
                  <p data-testid="str-filed">
                    {t.strs.status.filed}: {formatDateTime(new Date(result.data.filedAt), locale)}
                    {result.data.filingReference ? ` · Altinn ${result.data.filingReference}` : ''}
                  </p>
                )}
              </Card>
            </div>
          </div>
        </>
      )}
    </>
  );
}
