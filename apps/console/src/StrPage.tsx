import { formatDateTime } from '@drop/web-common';
import { AppLink } from '@drop/web-common/routing';
import { type FormEvent, type ReactNode, useRef, useState } from 'react';
import { formatAmount } from './AmlAlerts.tsx';
import { caseTitleOf } from './AmlCases.tsx';
import { TextDialog } from './Approvals.tsx';
import { useI18n } from './i18n.ts';
import { Field, Notice } from './Login.tsx';
import { BackLink, Card, LoadProblem, PageHead } from './page.tsx';
import { pathFor } from './routes.ts';
import { StrStatusBadge } from './Strs.tsx';
import { useSession, useStaffData } from './session.ts';
import {
  fetchStr,
  removeStrAttachment,
  STR_ATTACHMENT_ACCEPT,
  STR_ATTACHMENT_MAX_BYTES,
  type StrDetail,
  type StrDocument,
  strAttachmentUrl,
  strStep,
  uploadStrAttachment,
} from './staff-api.ts';

type Step = 'submit' | 'approve' | 'return' | 'reject' | 'file' | 'mfa-notified';

/** How each step shows on the timeline. */
const EVENT_TONE: Record<string, string> = {
  str_approved: 'ok',
  str_filed: 'ok',
  str_returned: 'warn',
  str_rejected: 'danger',
  str_submitted: 'info',
};

/** One fact of the document: a label and its value, in a `facts` list. */
function Fact(props: { label: string; children: ReactNode; testId?: string }): ReactNode {
  return (
    <div className="fact">
      <dt>{props.label}</dt>
      <dd data-testid={props.testId}>{props.children}</dd>
    </div>
  );
}

/** The document as ØKOKRIM will read it: grounds, indicators, transactions, persons and companies. */
function StrDocumentView(props: { document: StrDocument; amountNok: string | null }): ReactNode {
  const { t, locale } = useI18n();
  const { document } = props;
  return (
    <Card id="str-document" title={t.strs.document} testId="str-document">
      <dl className="facts">
        <Fact label={t.strs.reference} testId="str-reference">
          {document.reference}
        </Fact>
        <Fact label={t.strs.type}>{t.strs.reportType[document.reportType] ?? document.reportType}</Fact>
        <Fact label={t.strs.indicators} testId="str-indicators">
          {document.indicators.map((rule) => t.rules[rule] ?? rule).join(', ') || '–'}
        </Fact>
        {props.amountNok && <Fact label={t.strs.total}>{formatAmount(props.amountNok, 'NOK', locale)}</Fact>}
      </dl>
      <div className="card-body">
        <h3 className="subhead">{t.strs.grounds}</h3>
        <blockquote className="timeline-note" data-testid="str-grounds" translate="no">
          {document.grounds}
        </blockquote>
        {document.actionTaken && (
          <>
            <h3 className="subhead section-gap">{t.strs.actionTaken}</h3>
            <blockquote className="timeline-note" translate="no">
              {document.actionTaken}
            </blockquote>
          </>
        )}
      </div>
      <div className="card-body">
        <h3 className="subhead">{t.strs.transactionsTitle}</h3>
        {document.transactions.length === 0 ? (
          <p className="muted">{t.strs.noTransfers}</p>
        ) : (
          <dl className="facts facts-flush" data-testid="str-transactions">
            {document.transactions.map((transfer) => (
              <div key={transfer.id} className="fact" data-testid="str-transaction">
                <dt>
                  {transfer.date.slice(0, 10)}
                  <br />
                  <code>{transfer.id}</code>
                </dt>
                <dd>
                  {formatAmount(transfer.amountNok, 'NOK', locale)}
                  {transfer.foreign ? ` (${formatAmount(transfer.foreign.amount, transfer.foreign.currency, locale)})` : ''} {t.strs.to}{' '}
                  {transfer.recipient.name}, {transfer.recipient.country} · {transfer.recipient.account ?? '–'}
                </dd>
              </div>
            ))}
          </dl>
        )}
      </div>
      <div className="card-body">
        <h3 className="subhead">{t.strs.persons}</h3>
        <dl className="facts facts-flush" data-testid="str-persons">
          {document.persons.map((person, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the document's persons are a fixed list; their order is their identity
            <div key={index} className="fact" data-testid="str-person" data-role={person.role}>
              <dt>{person.role === 'subject' ? t.strs.subject : t.strs.connected}</dt>
              <dd>
                <span>
                  <strong>
                    {person.firstName} {person.lastName}
                  </strong>
                  {person.birthDate ? ` · ${t.strs.born} ${person.birthDate}` : ''}
                  {person.nationalId ? ` · ${t.strs.fnr} ${person.nationalId}` : ''}
                  {person.note ? ` — ${person.note}` : ''}
                </span>
              </dd>
            </div>
          ))}
        </dl>
      </div>
      {document.companies.length > 0 && (
        <div className="card-body">
          <h3 className="subhead">{t.strs.companies}</h3>
          <dl className="facts facts-flush" data-testid="str-companies">
            {document.companies.map((company, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the document's companies are a fixed list
              <div key={index} className="fact">
                <dt>{company.orgNumber ?? '–'}</dt>
                <dd>
                  <span>
                    <strong>{company.name}</strong>
                    {company.note ? ` — ${company.note}` : ''}
                  </span>
                </dd>
              </div>
            ))}
          </dl>
        </div>
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
  const [dialog, setDialog] = useState<'approve' | 'return' | 'reject' | 'file' | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mine = str.draftedBy?.id === me.id;
  const lead = me.permissions.includes('str_approve');
  const decideWhy = mine ? t.strs.ownStr : lead ? undefined : t.strs.noApprovePermission;
  const rejectWhy = mine ? t.strs.ownStrReject : lead ? undefined : t.strs.noApprovePermission;

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
      <div className="card-body">
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
        {str.status === 'rejected' && str.decisionNote && (
          <Notice tone="info" testId="str-rejected-note">
            {t.strs.rejectedNote} {str.decisionNote}
            {str.rejectedBy ? ` (${str.rejectedBy.name})` : ''}
          </Notice>
        )}
        {str.sanctionsHit && str.status !== 'filed' && str.status !== 'rejected' && (
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
        {str.status !== 'filed' && str.status !== 'rejected' && (
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
            {str.status === 'draft' && mine && str.draftInput && (
              <span>
                <AppLink to={pathFor('strEdit', '', str.id)} className="button" testId="str-edit">
                  {t.strs.edit}
                </AppLink>
              </span>
            )}
            {str.status === 'awaiting_approval' && (
              <>
                <StepButton label={t.strs.approve} primary why={decideWhy} testId="str-approve" onClick={() => setDialog('approve')} />
                <StepButton label={t.strs.returnToDrafter} why={decideWhy} testId="str-return" onClick={() => setDialog('return')} />
                <StepButton label={t.strs.reject} why={rejectWhy} testId="str-reject" onClick={() => setDialog('reject')} />
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
        )}
        {/* A rejected STR is never sent: no exports, now or later. */}
        {str.status !== 'rejected' && <h3 className="subhead section-gap">{t.strs.exports}</h3>}
        {str.status === 'rejected' ? null : (str.status === 'approved' || str.status === 'filed') && str.document ? (
          <div className="button-row" data-testid="str-exports">
            {(['goaml', 'altinn', ...(str.sanctionsHit ? (['mfa'] as const) : [])] as const).map((format) => (
              // A plain link: the browser downloads the file the API names (Content-Disposition), with the staff cookie.
              <a
                key={format}
                className="button button-small"
                href={`/api/staff/strs/${encodeURIComponent(str.id)}/export?format=${format}`}
                download
                data-testid={`str-export-${format}`}
              >
                {t.strs.exportFormats[format]}
              </a>
            ))}
          </div>
        ) : (
          <p className="muted" data-testid="str-exports">
            {t.strs.exportsLater}
          </p>
        )}
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
        {dialog === 'reject' && (
          <TextDialog
            title={t.strs.rejectTitle}
            text={`${str.reference} — ${t.strs.rejectText}`}
            label={t.strs.rejectReason}
            confirmLabel={t.strs.reject}
            required
            tone="danger"
            testId="str-reject-dialog"
            onClose={() => setDialog(null)}
            onSubmit={(reason) => run('reject', { reason })}
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
      </div>
    </Card>
  );
}

/** A size in the reader's words: 12 kB, 3.4 MB. */
function fileSize(bytes: number, locale: string): string {
  const format = (value: number, unit: string) => `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value)} ${unit}`;
  if (bytes < 1024 * 1024) return format(Math.max(1, Math.round(bytes / 1024)), 'kB');
  return format(bytes / (1024 * 1024), 'MB');
}

/**
 * The STR's supporting documents: the drafter adds and removes them while it is a draft; after
 * that (and for everyone else) they are listed to download. The server checks type, content and
 * size again; the checks here only spare a pointless upload.
 */
function StrAttachments(props: { str: StrDetail; onChanged(): void }): ReactNode {
  const { t, locale } = useI18n();
  const { me, expire } = useSession();
  const { str } = props;
  const attachments = str.document?.attachments ?? [];
  const editable = str.status === 'draft' && str.draftedBy?.id === me.id && str.document !== null;
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const failed = (answer: { kind: string; code?: string }): string =>
    answer.kind === 'error' && answer.code ? (t.strs.attachmentErrors[answer.code] ?? t.strs.failed(answer.code)) : t.strs.failed('');

  const upload = async (event: FormEvent) => {
    event.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) return setError(t.strs.attachmentChoose);
    if (file.size > STR_ATTACHMENT_MAX_BYTES) return setError(t.strs.attachmentErrors.PAYLOAD_TOO_LARGE);
    setBusy(true);
    const answer = await uploadStrAttachment(str.id, file);
    setBusy(false);
    if (answer.kind === 'unauthenticated') return expire();
    if (answer.kind !== 'ok') return setError(failed(answer));
    setError(undefined);
    if (input.current) input.current.value = '';
    props.onChanged();
  };
  const remove = async (attachmentId: string) => {
    setBusy(true);
    const answer = await removeStrAttachment(str.id, attachmentId);
    setBusy(false);
    if (answer.kind === 'unauthenticated') return expire();
    if (answer.kind !== 'ok') return setError(failed(answer));
    props.onChanged();
  };

  if (!str.document) return null;
  return (
    <Card
      id="str-attachments"
      title={t.strs.attachmentsTitle}
      lead={editable ? t.strs.attachmentsLead : undefined}
      testId="str-attachments"
    >
      <div className="card-body">
        {attachments.length === 0 ? (
          <p className="muted" data-testid="str-attachments-empty">
            {t.strs.attachmentsNone}
          </p>
        ) : (
          <ul className="import-list" data-testid="str-attachment-list">
            {attachments.map((attachment) => (
              <li key={attachment.id} className="import-item" data-testid="str-attachment" data-attachment-id={attachment.id}>
                <a href={strAttachmentUrl(str.id, attachment.id)} download={attachment.fileName} data-testid="str-attachment-download">
                  {attachment.fileName}
                </a>{' '}
                <span className="cell-secondary">
                  {attachment.contentType} · {fileSize(attachment.sizeBytes, locale)}
                </span>{' '}
                {editable && (
                  <button
                    type="button"
                    className="button button-small"
                    disabled={busy}
                    aria-label={t.strs.attachmentRemoveNamed(attachment.fileName)}
                    data-testid="str-attachment-remove"
                    onClick={() => void remove(attachment.id)}
                  >
                    {t.strs.remove}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {editable && (
          <form className="section-gap" onSubmit={(event) => void upload(event)} noValidate>
            <Field label={t.strs.attachmentLabel} hint={t.strs.attachmentHint} error={error}>
              {(attributes) => (
                <input
                  {...attributes}
                  ref={input}
                  type="file"
                  name="attachment"
                  className="input input-file"
                  accept={STR_ATTACHMENT_ACCEPT}
                  onChange={() => setError(undefined)}
                  data-testid="str-attachment-input"
                />
              )}
            </Field>
            <div className="button-row">
              <button type="submit" className="button" disabled={busy} aria-busy={busy} data-testid="str-attachment-upload">
                {busy ? t.strs.attachmentUploading : t.strs.attachmentUpload}
              </button>
            </div>
          </form>
        )}
      </div>
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
          <PageHead
            title={`${t.strs.title} ${result.data.reference}`}
            lead={
              result.data.caseTitle === null
                ? undefined
                : caseTitleOf(t, { title: result.data.caseTitle, escalatedRule: result.data.caseEscalatedRule })
            }
          >
            <span data-testid="str-page-status" data-status={result.data.status}>
              <StrStatusBadge status={result.data.status} />
            </span>
          </PageHead>
          {done && (
            <Notice tone="ok" testId="str-done">
              {t.strs.done[done]}
            </Notice>
          )}
          {/* Until UD is notified the banner says it must be; afterwards, when it was. */}
          {result.data.sanctionsHit &&
            (result.data.mfaNotifiedAt ? (
              <Notice tone="ok" testId="str-sanctions-banner">
                {t.strs.sanctionsHitNotified(formatDateTime(new Date(result.data.mfaNotifiedAt), locale))}
              </Notice>
            ) : (
              <Notice tone="info" testId="str-sanctions-banner">
                {t.strs.sanctionsHit}
              </Notice>
            ))}
          <div className="columns">
            <div className="stack">
              {result.data.document ? (
                <StrDocumentView document={result.data.document} amountNok={result.data.amountNok} />
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
              <StrAttachments str={result.data} onChanged={reload} />
              <Card id="str-history" title={t.strs.history}>
                <ol className="timeline" data-testid="str-history">
                  {result.data.history.map((event, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the history is append-only; its order is its identity
                    <li key={index} className="timeline-item" data-kind={event.kind} data-tone={EVENT_TONE[event.kind]}>
                      <span className="timeline-dot" aria-hidden="true" />
                      <div className="timeline-body">
                        <p className="timeline-title">{t.strs.events[event.kind] ?? event.kind}</p>
                        <p className="timeline-meta">
                          {event.actor.name} · {formatDateTime(new Date(event.createdAt), locale)}
                        </p>
                        {event.text && event.kind !== 'str_drafted' && event.kind !== 'str_submitted' && (
                          <blockquote className="timeline-note" translate="no">
                            {event.text}
                          </blockquote>
                        )}
                      </div>
                    </li>
                  ))}
                </ol>
                {result.data.filedAt && (
                  <p className="card-body" data-testid="str-filed">
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
