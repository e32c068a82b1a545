import { formatDateTime } from '@drop/web-common';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { FormDialog } from './dialog.tsx';
import { useI18n } from './i18n.ts';
import { Field, Notice } from './Login.tsx';
import { Card } from './page.tsx';
import { useSession } from './session.ts';
import { useRecordAction } from './staff-action.ts';
import {
  ALERT_OUTCOMES,
  type AlertOutcome,
  type AmlAlertDetail,
  type AmlAlertEvent,
  assignAmlAlert,
  closeAmlAlert,
  commentAmlAlert,
  type StaffResult,
} from './staff-api.ts';
import { Badge } from './ui.tsx';

/** The rules whose alerts come from a name match: closing one as a false positive clears it for the subject. */
const NAME_MATCH_RULES = new Set(['sanctions_match', 'pep_match']);

/** Who did it, as the history shows them: a staff member's name, "you", or the raw actor (cli:…, db:…). */
function actorText(event: AmlAlertEvent, me: { id: string; name: string }, you: (name: string) => string): string {
  if (event.actor === me.id) return you(me.name);
  return event.actorName ?? event.actor;
}

function HistoryEntry(props: { event: AmlAlertEvent }): ReactNode {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const { event } = props;
  const detail =
    event.kind === 'assigned'
      ? (event.assignedToName ?? event.assignedTo)
      : event.kind === 'closed' && event.outcome
        ? t.alertOutcome[event.outcome]
        : null;
  return (
    <li className="timeline-item" data-testid="alert-history-entry" data-kind={event.kind}>
      <span className="timeline-dot" aria-hidden="true" />
      <div className="timeline-body">
        <p className="timeline-title">
          <span>
            <strong data-testid="alert-history-actor">{actorText(event, me, t.actorYou)}</strong> {t.alertHistoryEvent[event.kind](detail)}
          </span>
        </p>
        <p className="timeline-meta">
          <time dateTime={event.createdAt}>{formatDateTime(new Date(event.createdAt), locale)}</time>
        </p>
        {event.text && (
          <blockquote className="timeline-note" data-testid="alert-history-text" translate="no">
            {event.text}
          </blockquote>
        )}
      </div>
    </li>
  );
}

/** The alert's history, oldest first: assigned, commented, closed, and by whom. */
export function AlertHistory(props: { alert: AmlAlertDetail }): ReactNode {
  const { t } = useI18n();
  const { history } = props.alert;
  return (
    <Card id="alert-history" title={t.alertHistoryTitle} className="section-gap" testId="alert-history">
      {history.length === 0 ? (
        <p className="card-body muted">{t.alertHistoryEmpty}</p>
      ) : (
        <ol className="timeline" data-testid="alert-history-list">
          {history.map((event, index) => (
            // The history is append-only and read whole: its order is its identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: append-only list
            <HistoryEntry key={index} event={event} />
          ))}
        </ol>
      )}
    </Card>
  );
}

/** The server's refusal in words; ALERT_CLOSED means someone else closed it meanwhile. */
function failureText(t: ReturnType<typeof useI18n>['t'], answer: Extract<StaffResult<unknown>, { kind: 'error' }>): string {
  if (answer.code === 'ALERT_CLOSED') return t.reviewAlreadyClosed;
  if (answer.status === 0) return t.networkFailed;
  return t.reviewFailed(answer.code);
}

function CloseDialog(props: { alert: AmlAlertDetail; onDone(): void; onCancel(): void }): ReactNode {
  const { t } = useI18n();
  const { expire } = useSession();
  const [outcome, setOutcome] = useState<AlertOutcome>();
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<{ outcome?: string; notes?: string }>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = useId();

  const submit = async () => {
    const found = { ...(outcome ? {} : { outcome: t.reviewOutcome }), ...(notes.trim() ? {} : { notes: t.reviewNotesEmpty }) };
    setErrors(found);
    setFailure(undefined);
    if (!outcome || Object.values(found).some(Boolean)) return;
    setBusy(true);
    const answer = await closeAmlAlert(props.alert.id, { outcome, notes: notes.trim() });
    setBusy(false);
    if (answer.kind === 'unauthenticated') return expire();
    if (answer.kind === 'ok') return props.onDone();
    setFailure(failureText(t, answer));
    if (answer.code === 'ALERT_CLOSED') props.onDone();
  };

  return (
    <FormDialog
      title={t.reviewCloseTitle}
      confirmLabel={t.reviewClose}
      busyLabel={t.reviewClosing}
      busy={busy}
      tone="primary"
      onSubmit={submit}
      onCancel={props.onCancel}
      testId="close-alert-dialog"
    >
      <p>{t.reviewCloseText}</p>
      {failure && (
        <Notice tone="error" testId="close-alert-error">
          {failure}
        </Notice>
      )}
      <fieldset className="choice-group" aria-describedby={errors.outcome ? `${id}-outcome-error` : undefined}>
        <legend>{t.reviewOutcome}</legend>
        {ALERT_OUTCOMES.map((option) => (
          <label key={option} className="choice" data-value={option}>
            <input
              type="radio"
              name="outcome"
              value={option}
              checked={outcome === option}
              onChange={() => {
                setOutcome(option);
                setErrors((current) => ({ ...current, outcome: undefined }));
              }}
              data-testid={`outcome-${option}`}
            />
            <span className="choice-text">
              <span className="choice-label">{t.alertOutcome[option]}</span>
            </span>
          </label>
        ))}
        {errors.outcome && (
          <p id={`${id}-outcome-error`} className="field-error">
            {errors.outcome}
          </p>
        )}
      </fieldset>
      {outcome === 'escalated' && (
        <Notice tone="info" testId="close-alert-escalates">
          {t.amlCases.escalateHint}
        </Notice>
      )}
      {outcome === 'false_positive' && NAME_MATCH_RULES.has(props.alert.rule) && (
        <Notice tone="info" testId="close-alert-clears">
          {t.reviewCloseFalsePositiveMatch}
        </Notice>
      )}
      <Field label={t.reviewNotes} error={errors.notes}>
        {(attributes) => (
          <textarea
            {...attributes}
            className="input textarea"
            rows={4}
            maxLength={4000}
            value={notes}
            placeholder={t.reviewNotesPlaceholder}
            onChange={(event) => {
              setNotes(event.target.value);
              setErrors((current) => ({ ...current, notes: undefined }));
            }}
            data-testid="close-alert-notes"
          />
        )}
      </Field>
    </FormDialog>
  );
}

/**
 * Working the alert: who has it (Assign to me), a comment, and Close with an outcome and notes in a
 * dialog. Only for a role with `aml_review`; others see who has it and how it was closed.
 */
export function AlertReview(props: { alert: AmlAlertDetail; reload(): void }): ReactNode {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const { alert } = props;
  const mayReview = me.permissions.includes('aml_review');
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string>();
  const [closing, setClosing] = useState(false);
  const { busy, failure, act } = useRecordAction<'assign' | 'comment'>({
    reload: props.reload,
    failureText: (answer) => failureText(t, answer),
    reloadOn: 'ALERT_CLOSED',
  });
  const onComment = (event: FormEvent) => {
    event.preventDefault();
    const text = comment.trim();
    if (!text) return setCommentError(t.reviewCommentEmpty);
    return act(
      'comment',
      () => commentAmlAlert(alert.id, text),
      () => setComment(''),
    );
  };
  const open = alert.status === 'open';
  const who = (id: string | null, name: string | null) => (id === me.id ? t.actorYou(me.name) : (name ?? id ?? ''));

  return (
    <Card id="alert-review" title={t.reviewTitle} lead={t.reviewLead} testId="alert-review" className="section-gap">
      <div className="card-body form">
        <p data-testid="alert-assignee">
          {alert.assignedTo && alert.assignedAt
            ? t.reviewAssignedTo(who(alert.assignedTo.id, alert.assignedTo.name), formatDateTime(new Date(alert.assignedAt), locale))
            : t.reviewUnassigned}
        </p>
        {!open && (
          <p data-testid="alert-closed-by">
            {alert.outcome && (
              <Badge tone="neutral" testId="alert-outcome">
                {t.alertOutcome[alert.outcome]}
              </Badge>
            )}{' '}
            {alert.reviewedAt &&
              t.reviewClosedBy(who(alert.reviewedBy, alert.reviewedByName), formatDateTime(new Date(alert.reviewedAt), locale))}
          </p>
        )}
        {!open && alert.reviewerNotes && (
          <blockquote className="timeline-note" data-testid="alert-reviewer-notes" translate="no">
            {alert.reviewerNotes}
          </blockquote>
        )}
        {failure && (
          <Notice tone="error" testId="alert-review-error">
            {failure}
          </Notice>
        )}
        {!mayReview && (
          <p className="muted" data-testid="alert-review-readonly">
            {t.reviewNoPermission}
          </p>
        )}
        {mayReview && open && (
          <div className="review-actions">
            {alert.assignedTo?.id !== me.id && (
              <button
                type="button"
                className="button"
                disabled={busy !== undefined}
                onClick={() => act('assign', () => assignAmlAlert(alert.id))}
                data-testid="assign-to-me"
              >
                {busy === 'assign' ? t.reviewAssigning : t.reviewAssignToMe}
              </button>
            )}
            <button type="button" className="button button-primary" onClick={() => setClosing(true)} data-testid="close-alert">
              {t.reviewClose}
            </button>
          </div>
        )}
        {mayReview && (
          <form onSubmit={onComment} noValidate data-testid="alert-comment-form">
            <Field label={t.reviewComment} error={commentError}>
              {(attributes) => (
                <textarea
                  {...attributes}
                  className="input textarea"
                  rows={3}
                  maxLength={4000}
                  value={comment}
                  placeholder={t.reviewCommentPlaceholder}
                  onChange={(event) => {
                    setComment(event.target.value);
                    setCommentError(undefined);
                  }}
                  data-testid="alert-comment"
                />
              )}
            </Field>
            <button type="submit" className="button" disabled={busy !== undefined} data-testid="alert-comment-send">
              {busy === 'comment' ? t.reviewCommentSending : t.reviewCommentSend}
            </button>
          </form>
        )}
      </div>
      {closing && (
        <CloseDialog
          alert={alert}
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
