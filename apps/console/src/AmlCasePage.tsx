import { formatDateTime } from '@drop/web-common';
import { AppLink } from '@drop/web-common/routing';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { formatAmount } from './AmlAlerts.tsx';
import { CaseStatusBadge, caseTitleOf, DueCell } from './AmlCases.tsx';
import { CustomerBlockActionsLoading } from './CustomerBlock.tsx';
import { CustomerProfileLink } from './CustomerProfile.tsx';
import {
  type AmlCaseDetail,
  type AmlCaseTimelineEntry,
  assignAmlCaseToMe,
  CASE_OUTCOMES,
  type CaseOutcome,
  closeAmlCase,
  fetchAmlCase,
  investigateAmlCase,
  noteAmlCase,
} from './case-api.ts';
import { FormDialog } from './dialog.tsx';
import { actorText, blockReasonText, type Messages, useI18n } from './i18n.ts';
import { Field, Notice } from './Login.tsx';
import { BackLink, Card, DataTable, LoadProblem, PageHead, RefreshControl, SystemReason } from './page.tsx';
import { pathFor } from './routes.ts';
import { useSession, useStaffData } from './session.ts';
import { useRecordAction } from './staff-action.ts';
import type { StaffResult, TransferStatus } from './staff-api.ts';
import { Badge } from './ui.tsx';

/**
 * Where another page of the console lives that this one only links to: the STR pages (drafting
 * from a case, one STR by its uuid) are built beside the cases, under these paths.
 */
const draftStrPath = (caseId: string) => `/strs/new?case=${encodeURIComponent(caseId)}`;
const strPath = (strId: string) => `/strs/${encodeURIComponent(strId)}`;

type Failure = Extract<StaffResult<unknown>, { kind: 'error' }>;

/** The server's refusal in words: the case codes have their own, the rest their code. */
function failureText(t: Messages, answer: Failure): string {
  if (answer.status === 0) return t.networkFailed;
  return t.amlCases.errors[answer.code] ?? t.amlCases.failed(answer.code);
}

/** One timeline entry in words, from its source, kind and the facts the API gives with it. */
function entryText(t: Messages, entry: AmlCaseTimelineEntry, locale: Parameters<typeof formatAmount>[2]): string {
  const d = entry.details;
  const c = t.amlCases;
  switch (entry.source) {
    case 'case': {
      const words = c.caseEvent[entry.kind] ?? entry.kind;
      // A case opened by escalation carries the alert's rule, not a title: it is worded here.
      return entry.kind === 'opened' && d.rule ? `${words}: ${c.escalatedTitle(t.rules[d.rule] ?? d.rule)}` : words;
    }
    case 'transfer': {
      const status = t.transferStatus[entry.kind as TransferStatus] ?? entry.kind;
      const amount = d.sendAmount ? formatAmount(d.sendAmount, d.sendCurrency ?? 'NOK', locale) : '';
      return c.transferEntry(status, amount);
    }
    case 'screening':
      return c.screeningEntry(d.name ?? '', d.list ?? '');
    case 'kyc':
      return entry.kind === 'started'
        ? c.kycStarted
        : c.kycChanged(
            t.kycStatus[d.from as keyof Messages['kycStatus']] ?? d.from ?? '–',
            t.kycStatus[d.to as keyof Messages['kycStatus']] ?? d.to ?? '–',
          );
    case 'alert': {
      const rule = t.rules[d.rule ?? ''] ?? d.rule ?? '';
      if (entry.kind === 'closed') {
        const outcome = d.outcome ? (t.alertOutcome[d.outcome as keyof Messages['alertOutcome']] ?? d.outcome) : '–';
        return c.alertClosed(rule, outcome);
      }
      return c.alertRaised(rule);
    }
    case 'recipient':
      return entry.kind === 'removed' ? c.recipientRemoved(d.name ?? '') : c.recipientAdded(d.name ?? '', d.country ?? '');
    case 'str':
      return entry.kind === 'filed' ? c.strFiled(d.reference ?? '') : c.strCreated(d.reference ?? '');
  }
}

const SOURCE_TONE: Record<AmlCaseTimelineEntry['source'], string | undefined> = {
  case: 'info',
  transfer: undefined,
  screening: 'danger',
  kyc: 'ok',
  alert: 'warn',
  recipient: undefined,
  str: 'danger',
};

function Timeline(props: { found: AmlCaseDetail }): ReactNode {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const { timeline } = props.found;
  return (
    <Card id="case-timeline" title={t.amlCases.timelineTitle} lead={t.amlCases.timelineLead} className="section-gap" testId="case-timeline">
      {timeline.length === 0 ? (
        <p className="card-body muted">{t.amlCases.timelineEmpty}</p>
      ) : (
        <ol className="timeline" data-testid="case-timeline-list">
          {timeline.map((entry, index) => {
            // A customer's own step (a transfer they created) is theirs, not an id to read.
            const who =
              entry.actor === me.id
                ? t.actorYou(me.name)
                : entry.actor?.startsWith('usr_')
                  ? t.amlCases.actorCustomer
                  : entry.actor
                    ? actorText(t, entry.actor, entry.actorName)
                    : null;
            return (
              <li
                // The timeline is read whole and in order: its position is its identity.
                // biome-ignore lint/suspicious/noArrayIndexKey: read-only ordered list
                key={index}
                className="timeline-item"
                data-tone={SOURCE_TONE[entry.source]}
                data-testid="case-timeline-entry"
                data-source={entry.source}
                data-kind={entry.kind}
                data-subject={entry.subjectId ?? undefined}
              >
                <span className="timeline-dot" aria-hidden="true" />
                <div className="timeline-body">
                  <p className="timeline-title">
                    <span>
                      <Badge tone="neutral">{t.amlCases.source[entry.source]}</Badge>{' '}
                      {entry.source === 'case' && who ? (
                        <>
                          <strong>{who}</strong> {entryText(t, entry, locale)}
                        </>
                      ) : (
                        entryText(t, entry, locale)
                      )}
                    </span>
                  </p>
                  <p className="timeline-meta">
                    <time dateTime={entry.at}>{formatDateTime(new Date(entry.at), locale)}</time>
                    {entry.source === 'transfer' && entry.subjectId && (
                      <>
                        {' · '}
                        <AppLink to={pathFor('transfer', '', entry.subjectId)}>
                          <code>{entry.subjectId}</code>
                        </AppLink>
                      </>
                    )}
                    {entry.source === 'case' && entry.details.alertId && (
                      <>
                        {' · '}
                        <AppLink to={pathFor('amlAlert', '', entry.details.alertId)}>
                          <code>{entry.details.alertId}</code>
                        </AppLink>
                      </>
                    )}
                    {entry.source === 'alert' && entry.subjectId && (
                      <>
                        {' · '}
                        <AppLink to={pathFor('amlAlert', '', entry.subjectId)}>
                          <code>{entry.subjectId}</code>
                        </AppLink>
                      </>
                    )}
                    {entry.source !== 'case' && who && ` · ${who}`}
                  </p>
                  {entry.text &&
                    (entry.source === 'case' ? (
                      // A person's note: as written.
                      <blockquote className="timeline-note" data-testid="case-timeline-text" translate="no">
                        {entry.text}
                      </blockquote>
                    ) : (
                      // What the system wrote (a rule's summary, a transfer's step), in the page's language.
                      <blockquote className="timeline-note" data-testid="case-timeline-text">
                        <SystemReason reason={entry.text} />
                      </blockquote>
                    ))}
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}

function CustomerFacts(props: { found: AmlCaseDetail; reload(): void }): ReactNode {
  const { t, locale } = useI18n();
  const { found } = props;
  const { customer } = found;
  return (
    <dl className="case-facts card" data-testid="case-customer">
      <div className="case-fact">
        <dt>{t.amlCases.customerTitle}</dt>
        <dd data-testid="case-customer-name">
          <CustomerProfileLink userId={customer.id}>{customer.name ?? customer.email ?? customer.id}</CustomerProfileLink>
        </dd>
        <dd className="figure-note" data-testid="case-customer-email">
          {customer.email ?? '–'}
        </dd>
        <dd className="figure-note">
          <code className="id" title={customer.id}>
            {customer.id}
          </code>
        </dd>
      </div>
      <div className="case-fact">
        <dt>{t.amlCases.customerKyc}</dt>
        <dd data-testid="case-customer-kyc">{t.kycStatus[customer.kycStatus]}</dd>
        <dd className="figure-note" data-testid="case-customer-state">
          {customer.blocked ? (
            <Badge tone="danger">{t.amlCases.blocked(blockReasonText(t, customer.blockReason ?? ''))}</Badge>
          ) : (
            t.amlCases.notBlocked
          )}
          {customer.amlFrozenAt && (
            <>
              {' '}
              <Badge tone="critical">{t.amlCases.frozen}</Badge>
            </>
          )}
        </dd>
        <dd>
          <CustomerBlockActionsLoading
            customer={{ ...customer, name: customer.name ?? customer.email ?? customer.id }}
            onChanged={props.reload}
          />
        </dd>
      </div>
      <div className="case-fact">
        <dt>{t.amlCases.colDue}</dt>
        <dd>
          <DueCell item={found} />
        </dd>
        <dd className="figure-note">{t.amlCases.openedBy(found.openedBy.name, formatDateTime(new Date(found.openedAt), locale))}</dd>
      </div>
      <div className="case-fact">
        <dt>{t.amlCases.colAssigned}</dt>
        <dd data-testid="case-assignee">
          {found.assignedTo ? found.assignedTo.name : <span className="muted">{t.amlCases.unassigned}</span>}
        </dd>
        {found.closedAt && found.closedBy && (
          <dd className="figure-note" data-testid="case-closed-by">
            {t.amlCases.closedBy(found.closedBy.name, formatDateTime(new Date(found.closedAt), locale))}
          </dd>
        )}
      </div>
    </dl>
  );
}

function CaseAlerts(props: { found: AmlCaseDetail }): ReactNode {
  const { t } = useI18n();
  const { alerts } = props.found;
  return (
    <Card id="case-alerts" title={t.amlCases.alertsTitle} className="section-gap" testId="case-alerts">
      <DataTable
        className="table table-dense"
        testId="case-alert-table"
        empty={alerts.length === 0 && t.amlCases.alertsEmpty}
        columns={[t.amlCases.colRule, t.amlCases.colSeverity, t.amlCases.colAlertStatus, t.amlCases.colCustomer]}
      >
        {alerts.map((alert) => (
          <tr key={alert.id} data-testid="case-alert-row" data-alert-id={alert.id}>
            <td>
              <div className="cell-stack">
                <AppLink to={pathFor('amlAlert', '', alert.id)} className="cell-primary">
                  {t.rules[alert.rule] ?? alert.rule}
                </AppLink>
                {alert.summary && <span className="cell-secondary cell-wrap">{alert.summary}</span>}
              </div>
            </td>
            <td>{t.severity[alert.severity as keyof Messages['severity']] ?? alert.severity}</td>
            <td>
              {alert.status === 'closed' && alert.outcome
                ? (t.alertOutcome[alert.outcome as keyof Messages['alertOutcome']] ?? alert.outcome)
                : (t.alertStatus[alert.status as keyof Messages['alertStatus']] ?? alert.status)}
            </td>
            <td>{alert.email ?? alert.userId}</td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}

function CaseStrs(props: { found: AmlCaseDetail }): ReactNode {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const { found } = props;
  const mayDraft = me.permissions.includes('str_reports') && found.status !== 'closed';
  return (
    <Card id="case-strs" title={t.amlCases.strsTitle} className="section-gap" testId="case-strs">
      <div className="card-body">
        {found.strs.length === 0 ? (
          <p className="muted">{t.amlCases.strsEmpty}</p>
        ) : (
          <ul className="link-list" data-testid="case-str-list">
            {found.strs.map((str) => (
              <li key={str.id} data-testid="case-str" data-str-id={str.id}>
                <AppLink to={strPath(str.id)}>
                  <span>
                    <strong>{str.reference}</strong>{' '}
                    <Badge tone={str.status === 'filed' ? 'ok' : 'warn'}>{t.amlCases.strStatus[str.status]}</Badge>
                    <small>{formatDateTime(new Date(str.createdAt), locale)}</small>
                  </span>
                </AppLink>
              </li>
            ))}
          </ul>
        )}
        {mayDraft && (
          <p>
            <AppLink to={draftStrPath(found.id)} className="button" testId="case-draft-str">
              {t.amlCases.draftStr}
            </AppLink>
          </p>
        )}
      </div>
    </Card>
  );
}

function CloseCaseDialog(props: { found: AmlCaseDetail; onDone(): void; onCancel(): void }): ReactNode {
  const { t } = useI18n();
  const { expire } = useSession();
  const [outcome, setOutcome] = useState<CaseOutcome>();
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<{ outcome?: string; notes?: string }>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = useId();

  const submit = async () => {
    const found = {
      ...(outcome ? {} : { outcome: t.amlCases.closeOutcomeMissing }),
      ...(notes.trim() ? {} : { notes: t.amlCases.closeNotesEmpty }),
    };
    setErrors(found);
    setFailure(undefined);
    if (!outcome || Object.values(found).some(Boolean)) return;
    setBusy(true);
    const answer = await closeAmlCase(props.found.id, { outcome, notes: notes.trim() });
    setBusy(false);
    if (answer.kind === 'unauthenticated') return expire();
    if (answer.kind === 'ok') return props.onDone();
    setFailure(failureText(t, answer));
  };

  return (
    <FormDialog
      title={t.amlCases.closeTitle}
      confirmLabel={t.amlCases.close}
      busyLabel={t.amlCases.closing}
      busy={busy}
      tone="primary"
      onSubmit={submit}
      onCancel={props.onCancel}
      testId="close-case-dialog"
    >
      <p>{t.amlCases.closeText}</p>
      {failure && (
        <Notice tone="error" testId="close-case-error">
          {failure}
        </Notice>
      )}
      <fieldset className="choice-group" aria-describedby={errors.outcome ? `${id}-outcome-error` : undefined}>
        <legend>{t.amlCases.closeOutcome}</legend>
        {CASE_OUTCOMES.map((option) => (
          <label key={option} className="choice" data-value={option}>
            <input
              type="radio"
              name="case-outcome"
              value={option}
              checked={outcome === option}
              onChange={() => {
                setOutcome(option);
                setErrors((current) => ({ ...current, outcome: undefined }));
              }}
              data-testid={`case-outcome-${option}`}
            />
            <span className="choice-text">
              <span className="choice-label">{t.amlCases.outcome[option]}</span>
            </span>
          </label>
        ))}
        {errors.outcome && (
          <p id={`${id}-outcome-error`} className="field-error">
            {errors.outcome}
          </p>
        )}
      </fieldset>
      <Field label={t.amlCases.closeNotes} error={errors.notes}>
        {(attributes) => (
          <textarea
            {...attributes}
            className="input textarea"
            rows={4}
            maxLength={4000}
            value={notes}
            onChange={(event) => {
              setNotes(event.target.value);
              setErrors((current) => ({ ...current, notes: undefined }));
            }}
            data-testid="close-case-notes"
          />
        )}
      </Field>
    </FormDialog>
  );
}

/** Working the case: assign to me, start the investigation, a note, close with an outcome. */
function CaseWork(props: { found: AmlCaseDetail; reload(): void }): ReactNode {
  const { t } = useI18n();
  const { me } = useSession();
  const { found } = props;
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string>();
  const [closing, setClosing] = useState(false);
  const { busy, failure, act } = useRecordAction<'assign' | 'investigate' | 'note'>({
    reload: props.reload,
    failureText: (answer) => failureText(t, answer),
    reloadOn: 'CASE_CLOSED',
  });
  const onNote = (event: FormEvent) => {
    event.preventDefault();
    const text = note.trim();
    if (!text) return setNoteError(t.amlCases.noteEmpty);
    return act(
      'note',
      () => noteAmlCase(found.id, text),
      () => setNote(''),
    );
  };

  if (found.status === 'closed') {
    return (
      <Card id="case-work" title={t.amlCases.workTitle} className="section-gap" testId="case-work">
        <div className="card-body form">
          <p>
            {found.outcome && (
              <Badge tone="neutral" testId="case-outcome">
                {t.amlCases.outcome[found.outcome]}
              </Badge>
            )}{' '}
            {t.amlCases.closedReadonly}
          </p>
          {found.closingNotes && (
            <blockquote className="timeline-note" data-testid="case-closing-notes" translate="no">
              {found.closingNotes}
            </blockquote>
          )}
        </div>
      </Card>
    );
  }

  return (
    <Card id="case-work" title={t.amlCases.workTitle} className="section-gap" testId="case-work">
      <div className="card-body form">
        {failure && (
          <Notice tone="error" testId="case-work-error">
            {failure}
          </Notice>
        )}
        <div className="review-actions">
          {found.assignedTo?.id !== me.id && (
            <button
              type="button"
              className="button"
              disabled={busy !== undefined}
              onClick={() => act('assign', () => assignAmlCaseToMe(found.id))}
              data-testid="case-assign-to-me"
            >
              {busy === 'assign' ? t.amlCases.assigning : t.amlCases.assignToMe}
            </button>
          )}
          {found.status === 'open' && (
            <button
              type="button"
              className="button"
              disabled={busy !== undefined}
              onClick={() => act('investigate', () => investigateAmlCase(found.id))}
              data-testid="case-investigate"
            >
              {busy === 'investigate' ? t.amlCases.investigating : t.amlCases.investigate}
            </button>
          )}
          <button type="button" className="button button-primary" onClick={() => setClosing(true)} data-testid="case-close">
            {t.amlCases.close}
          </button>
        </div>
        <form onSubmit={onNote} noValidate data-testid="case-note-form">
          <Field label={t.amlCases.noteLabel} error={noteError}>
            {(attributes) => (
              <textarea
                {...attributes}
                className="input textarea"
                rows={3}
                maxLength={4000}
                value={note}
                placeholder={t.amlCases.notePlaceholder}
                onChange={(event) => {
                  setNote(event.target.value);
                  setNoteError(undefined);
                }}
                data-testid="case-note"
              />
            )}
          </Field>
          <button type="submit" className="button" disabled={busy !== undefined} data-testid="case-note-send">
            {busy === 'note' ? t.amlCases.noteSending : t.amlCases.noteSend}
          </button>
        </form>
      </div>
      {closing && (
        <CloseCaseDialog
          found={found}
          onCancel={() => setClosing(false)}
          onDone={() => {
            setClosing(false);
            props.reload();
          }}
        />
      )}
    </Card>
  );
}

/** One AML case: the customer, the casework, the alerts, the STRs and the timeline. */
export function AmlCasePage(props: { caseId: string }): ReactNode {
  const { t } = useI18n();
  const { me } = useSession();
  const { result, reloading, reload } = useStaffData(['aml-case', props.caseId], (signal) => fetchAmlCase(props.caseId, signal));
  const back = <BackLink to={pathFor('cases')} label={t.amlCases.back} />;

  if (result.state !== 'ok') {
    return (
      <>
        {back}
        <PageHead title={t.amlCases.caseTitle} />
        <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
      </>
    );
  }
  const found = result.data;
  return (
    <>
      {back}
      <PageHead
        title={caseTitleOf(t, found)}
        lead={
          <span className="case-lead">
            <CaseStatusBadge status={found.status} />
            <code className="id" data-testid="case-id">
              {found.id}
            </code>
          </span>
        }
      >
        <RefreshControl result={result} reloading={reloading} reload={reload} />
      </PageHead>
      <CustomerFacts found={found} reload={reload} />
      <CaseWork found={found} reload={reload} />
      <div className="case-columns">
        <CaseAlerts found={found} />
        <CaseStrs found={found} />
      </div>
      <Timeline found={found} />
    </>
  );
}
