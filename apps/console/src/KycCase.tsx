import { formatDateTime } from '@drop/web-common';
import { AppLink } from '@drop/web-common/routing';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { ConfirmDialog, DialogFact } from './dialog.tsx';
import { actorText, auditActionName, type Messages, useI18n } from './i18n.ts';
import { kycTone } from './KycQueue.tsx';
import { Field, Notice } from './Login.tsx';
import { BackLink, Card, LoadProblem, PageHead, RefreshControl } from './page.tsx';
import { pathFor } from './routes.ts';
import { useSession, useStaffData } from './session.ts';
import {
  type CustomerSummary,
  decideKyc,
  fetchKycHistory,
  type KycDecision,
  type KycHistoryEntry,
  type StaffResult,
  searchCustomers,
} from './staff-api.ts';
import { Badge, CheckIcon, XIcon } from './ui.tsx';

interface CaseData {
  history: KycHistoryEntry[];
  /** From the customer search, when the role may search (compliance can; the name, email and status). */
  customer: CustomerSummary | undefined;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The status after the newest change in the history, if there was one. */
function statusFromHistory(history: KycHistoryEntry[]): string | undefined {
  for (let index = history.length - 1; index >= 0; index--) {
    const entry = history[index];
    if (entry?.action === 'kyc_status_changed') {
      const to = str(entry.details.to);
      if (to) return to;
    }
  }
  return undefined;
}

async function loadCase(userId: string, mayFindCustomer: boolean, signal: AbortSignal): Promise<StaffResult<CaseData>> {
  const [history, customers] = await Promise.all([
    fetchKycHistory(userId, signal),
    mayFindCustomer ? searchCustomers(userId, signal) : Promise.resolve(undefined),
  ]);
  if (history.kind !== 'ok') return history;
  const customer = customers?.kind === 'ok' ? customers.data.find((candidate) => candidate.id === userId) : undefined;
  return { kind: 'ok', data: { history: history.data, customer } };
}

function StatusBadge(props: { status: string; testId?: string }): ReactNode {
  const { t } = useI18n();
  return (
    <Badge tone={kycTone(props.status)} testId={props.testId}>
      {t.kycStatus[props.status] ?? props.status}
    </Badge>
  );
}

function actorLabel(
  t: Messages,
  entry: { actor: string; actorName: string | null },
  userId: string,
  me: { id: string; name: string },
): ReactNode {
  if (entry.actor === 'sumsub') return t.actorSumsub;
  if (entry.actor === userId) return t.actorCustomer;
  if (entry.actor === me.id) return t.actorYou(me.name);
  return <span title={entry.actor}>{actorText(t, entry.actor, entry.actorName)}</span>;
}

function HistoryEntry(props: { entry: KycHistoryEntry; userId: string }): ReactNode {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const { entry } = props;
  const { details } = entry;
  const reason = str(details.reason) ?? '';
  const manual = reason.startsWith('manual:');
  const note = manual ? reason.slice('manual:'.length).trim() : undefined;
  const providerEvent = reason.startsWith('sumsub:') ? reason.slice('sumsub:'.length) : undefined;
  const labels = Array.isArray(details.rejectLabels)
    ? details.rejectLabels.filter((label): label is string => typeof label === 'string')
    : [];
  const held = typeof details.transfersHeld === 'number' ? details.transfersHeld : 0;
  const to = str(details.to);
  const from = str(details.from);
  const tone = entry.action === 'kyc_status_changed' && to ? kycTone(to) : 'neutral';

  return (
    <li className="timeline-item" data-testid="history-entry" data-action={entry.action} data-tone={tone}>
      <span className="timeline-dot" aria-hidden="true" />
      <div className="timeline-body">
        <p className="timeline-title">
          {entry.action === 'kyc_started' && t.historyStarted}
          {entry.action === 'kyc_status_changed' && (
            <>
              <span>{manual ? t.reasonManual : t.historyStatusChanged}</span>
              {from && <StatusBadge status={from} />}
              {from && to && <span aria-hidden="true">→</span>}
              {to && <StatusBadge status={to} testId="history-to" />}
            </>
          )}
          {entry.action !== 'kyc_started' && entry.action !== 'kyc_status_changed' && (
            <span className="action-tag">{auditActionName(t, entry.action)}</span>
          )}
        </p>
        <p className="timeline-meta">
          <time dateTime={entry.timestamp}>{formatDateTime(new Date(entry.timestamp), locale)}</time>
          <span aria-hidden="true">·</span>
          <span>{actorLabel(t, entry, props.userId, me)}</span>
          {providerEvent && (
            <>
              <span aria-hidden="true">·</span>
              <span>
                {t.reasonProvider}{' '}
                <span className="action-tag" title={providerEvent} translate={t.sumsubEvents[providerEvent] ? undefined : 'no'}>
                  {t.sumsubEvents[providerEvent] ?? providerEvent}
                </span>
              </span>
            </>
          )}
          {entry.action === 'kyc_started' && str(details.levelName) && (
            <>
              <span aria-hidden="true">·</span>
              <span className="action-tag" translate="no">
                {str(details.levelName)}
              </span>
            </>
          )}
        </p>
        {note && (
          <blockquote className="timeline-note" data-testid="history-note" translate="no">
            {note}
          </blockquote>
        )}
        {(labels.length > 0 || held > 0) && (
          <p className="timeline-tags">
            {labels.map((label) => (
              <span key={label} title={label} translate={t.sumsubRejectLabels[label] ? undefined : 'no'}>
                <Badge tone="neutral">{t.sumsubRejectLabels[label] ?? label}</Badge>
              </span>
            ))}
            {held > 0 && <Badge tone="warn">{t.transfersHeld(held)}</Badge>}
          </p>
        )}
      </div>
    </li>
  );
}

export function History(props: { history: KycHistoryEntry[]; userId: string }): ReactNode {
  const { t } = useI18n();
  return (
    <Card id="history" title={t.historyTitle} lead={t.historyLead}>
      {props.history.length === 0 ? (
        <p className="card-body muted">{t.historyEmpty}</p>
      ) : (
        <ol className="timeline" data-testid="kyc-history">
          {props.history.map((entry) => (
            <HistoryEntry
              key={`${entry.timestamp}|${entry.action}|${String(entry.details.to ?? '')}`}
              entry={entry}
              userId={props.userId}
            />
          ))}
        </ol>
      )}
    </Card>
  );
}

type Outcome = { tone: 'ok' | 'error'; text: string };

/** Approve or reject with a reason, confirmed in a dialog; the page reloads the case afterwards. */
function DecisionForm(props: { userId: string; name: string; status: string; onDecided(outcome: Outcome): void }): ReactNode {
  const { t } = useI18n();
  const { expire } = useSession();
  const id = useId();
  const [decision, setDecision] = useState<KycDecision>();
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ decision?: string; note?: string }>({});
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const trimmed = note.trim();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = {
      ...(decision ? {} : { decision: t.decisionChoose }),
      ...(trimmed.length >= 5 ? {} : { note: t.decisionNoteTooShort }),
    };
    setErrors(next);
    if (next.decision || next.note) return;
    setConfirming(true);
  };

  const confirm = async () => {
    if (!decision) return;
    setBusy(true);
    const answer = await decideKyc(props.userId, { decision, note: trimmed });
    setBusy(false);
    setConfirming(false);
    if (answer.kind === 'unauthenticated') return expire();
    if (answer.kind === 'ok') {
      const { from, to } = answer.data;
      const label = (status: string) => t.kycStatus[status] ?? status;
      props.onDecided({ tone: 'ok', text: from === to ? t.decidedUnchanged(label(to)) : t.decided(label(from), label(to)) });
      setDecision(undefined);
      setNote('');
      return;
    }
    const text =
      answer.code === 'NOT_FOUND'
        ? t.decisionNotStarted
        : answer.code === 'FORBIDDEN'
          ? t.decisionForbidden
          : answer.code === 'VALIDATION_FAILED'
            ? t.decisionNoteTooShort
            : t.decisionFailed(answer.code);
    props.onDecided({ tone: 'error', text });
  };

  const options: Array<{ value: KycDecision; label: string; hint: string; icon: ReactNode }> = [
    { value: 'approve', label: t.decisionApprove, hint: t.decisionApproveHint, icon: <CheckIcon /> },
    { value: 'reject', label: t.decisionReject, hint: t.decisionRejectHint, icon: <XIcon /> },
  ];

  return (
    <section className="card decision-card" aria-labelledby={`${id}-title`} data-testid="decision-card">
      <div className="card-head">
        <h2 id={`${id}-title`}>{t.decisionTitle}</h2>
        <p className="card-lead">{t.decisionLead}</p>
      </div>
      <form className="form card-body" onSubmit={onSubmit} noValidate data-testid="decision-form">
        <fieldset className="choice-group" aria-describedby={errors.decision ? `${id}-choice-error` : undefined}>
          <legend>{t.decisionLabel}</legend>
          {options.map((option) => (
            <label key={option.value} className="choice" data-value={option.value}>
              <input
                type="radio"
                name="decision"
                value={option.value}
                checked={decision === option.value}
                onChange={() => setDecision(option.value)}
                data-testid={`decision-${option.value}`}
              />
              <span className="choice-icon" aria-hidden="true">
                {option.icon}
              </span>
              <span className="choice-text">
                <span className="choice-label">{option.label}</span>
                <span className="choice-hint">{option.hint}</span>
              </span>
            </label>
          ))}
          {errors.decision && (
            <p id={`${id}-choice-error`} className="field-error">
              {errors.decision}
            </p>
          )}
        </fieldset>
        <Field label={t.decisionNote} hint={t.decisionNoteHint} error={errors.note}>
          {(attributes) => (
            <textarea
              {...attributes}
              className="input textarea"
              rows={4}
              maxLength={2000}
              value={note}
              placeholder={t.decisionNotePlaceholder}
              onChange={(event) => setNote(event.target.value)}
              data-testid="decision-note"
            />
          )}
        </Field>
        <div>
          <button type="submit" className="button button-primary" data-testid="decision-submit">
            {t.decisionSubmit}
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={confirming}
        title={decision === 'reject' ? t.confirmRejectTitle(props.name) : t.confirmApproveTitle(props.name)}
        confirmLabel={decision === 'reject' ? t.confirmReject : t.confirmApprove}
        busyLabel={t.deciding}
        busy={busy}
        tone={decision === 'reject' ? 'danger' : 'primary'}
        testId="decision-dialog"
        onConfirm={() => void confirm()}
        onCancel={() => {
          if (!busy) setConfirming(false);
        }}
      >
        <p>{decision === 'reject' ? t.confirmRejectText : t.confirmApproveText}</p>
        <dl className="dialog-facts">
          <DialogFact label={t.caseStatus}>
            <StatusBadge status={props.status} />
          </DialogFact>
          <DialogFact label={t.confirmNote} className="dialog-note">
            {trimmed}
          </DialogFact>
        </dl>
      </ConfirmDialog>
    </section>
  );
}

/** `/console/kyc/<userId>`: one customer's verification – who, where it stands, its history, and a decision. */
export function KycCase(props: { userId: string }): ReactNode {
  const { t, locale } = useI18n();
  const { me, can } = useSession();
  const { userId } = props;
  const mayFindCustomer = can('customers');
  const mayDecide = me.permissions.includes('kyc_decide');
  const { result, reloading, reload } = useStaffData(['kyc-case', userId, mayFindCustomer], (signal) =>
    loadCase(userId, mayFindCustomer, signal),
  );
  const [outcome, setOutcome] = useState<Outcome>();

  const back = <BackLink to={pathFor('kyc')} label={t.backToQueue} />;

  if (result.state !== 'ok') {
    return (
      <>
        {back}
        <PageHead title={t.kycCaseTitle} />
        <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
      </>
    );
  }

  const { history, customer } = result.data;
  const status = customer?.kycStatus ?? statusFromHistory(history) ?? 'not_started';
  const name = customer?.name ?? customer?.email ?? userId;
  const started = history.find((entry) => entry.action === 'kyc_started');
  const applicantId = str(started?.details.applicantId);
  const levelName = str(started?.details.levelName);
  const unknown = history.length === 0 && mayFindCustomer && !customer;

  return (
    <>
      {back}
      <PageHead
        title={name}
        lead={
          <span className="case-lead">
            <code className="id" data-testid="case-customer-id">
              {userId}
            </code>
            <StatusBadge status={status} testId="case-status" />
          </span>
        }
      >
        {mayFindCustomer && !unknown && (
          <AppLink to={pathFor('customer', '', userId)} className="button" testId="customer-profile-link">
            {t.profile.openLong}
          </AppLink>
        )}
        <RefreshControl result={result} reloading={reloading} reload={reload} />
      </PageHead>
      {outcome && (
        <Notice tone={outcome.tone} testId="decision-outcome">
          {outcome.text}
        </Notice>
      )}
      {unknown ? (
        <Notice tone="info">{t.caseNotFound}</Notice>
      ) : (
        <>
          <dl className="case-facts card" data-testid="case-facts">
            {customer && (
              <div className="case-fact">
                <dt>{t.caseEmail}</dt>
                <dd>{customer.email ?? t.noEmail}</dd>
              </div>
            )}
            {customer && (
              <div className="case-fact">
                <dt>{t.caseRegistered}</dt>
                <dd>{formatDateTime(new Date(customer.createdAt), locale)}</dd>
              </div>
            )}
            <div className="case-fact">
              <dt>{t.caseApplicant}</dt>
              <dd>{applicantId ? <code className="id">{applicantId}</code> : '–'}</dd>
            </div>
            <div className="case-fact">
              <dt>{t.caseLevel}</dt>
              <dd translate="no">{levelName ?? '–'}</dd>
            </div>
          </dl>
          <div className="case-columns">
            <History history={history} userId={userId} />
            {mayDecide ? (
              history.length === 0 ? (
                <section className="card state-card state-hint" data-testid="decision-card">
                  <p>{t.decisionNotStarted}</p>
                </section>
              ) : (
                <DecisionForm
                  userId={userId}
                  name={name}
                  status={status}
                  onDecided={(next) => {
                    setOutcome(next);
                    if (next.tone === 'ok') reload();
                  }}
                />
              )
            ) : (
              <section className="card state-card state-hint" data-testid="decision-card">
                <p>{t.decisionNoAccess}</p>
              </section>
            )}
          </div>
        </>
      )}
    </>
  );
}
