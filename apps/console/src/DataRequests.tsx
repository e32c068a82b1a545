import { dataRequestChannels, dataRequestTypes } from '@drop/contracts';
import { formatDate, formatDateTime } from '@drop/web-common';
import { type ReactNode, useState } from 'react';
import { DueCell } from './AmlCases.tsx';
import { RetentionRules } from './DataRequestsRetention.tsx';
import { FormDialog } from './dialog.tsx';
import { useI18n } from './i18n.ts';
import { Field, Notice } from './Login.tsx';
import { DataTable, LoadProblem, PageHead, RefreshControl, WhenCell } from './page.tsx';
import { useSession, useStaffData } from './session.ts';
import {
  DATA_REQUEST_ANSWERS,
  type DataRequestAnswer,
  fetchDataRequests,
  recordDataRequestStatus,
  recordStaffDataRequest,
  type StaffDataRequest,
  type StaffDataRequestRecord,
} from './staff-api.ts';
import { Badge } from './ui.tsx';

const STATUS_TONE: Record<StaffDataRequest['status'], 'info' | 'warn' | 'neutral' | 'ok' | 'critical'> = {
  received: 'info',
  in_progress: 'warn',
  restricted: 'warn',
  completed: 'ok',
  rejected: 'neutral',
};

/** Record the answer to one request: a status and a note (both required; the note is kept for staff). */
function AnswerDialog(props: { request: StaffDataRequest; onDone(message: string): void; onClose(): void }): ReactNode {
  const { t } = useI18n();
  const { expire } = useSession();
  const [status, setStatus] = useState<DataRequestAnswer>(props.request.status === 'received' ? 'in_progress' : 'completed');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [noteError, setNoteError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const { request } = props;
  return (
    <FormDialog
      title={t.dataRequests.answerTitle}
      confirmLabel={t.dataRequests.save}
      busyLabel={t.dataRequests.saving}
      busy={busy}
      tone="primary"
      testId="data-request-dialog"
      onCancel={props.onClose}
      onSubmit={async () => {
        if (!note.trim()) {
          setNoteError(t.dataRequests.noteRequired);
          return;
        }
        setBusy(true);
        const answer = await recordDataRequestStatus(request.id, status, note.trim());
        setBusy(false);
        if (answer.kind === 'ok') {
          props.onDone(t.dataRequests.saved(t.dataRequests.status[answer.data.status]));
          props.onClose();
          return;
        }
        if (answer.kind === 'unauthenticated') expire();
        setFailure(
          answer.kind === 'error' ? (t.dataRequests.errors[answer.code] ?? t.dataRequests.failed(answer.code)) : t.dataRequests.failed(''),
        );
      }}
    >
      <p>
        {t.dataRequests.types[request.type]} · {request.customer.name ?? request.customer.id} · {t.dataRequests.status[request.status]}
      </p>
      {request.notes && (
        <pre className="data-request-notes" data-testid="data-request-notes">
          {request.notes}
        </pre>
      )}
      {failure && (
        <Notice tone="error" testId="data-request-error">
          {failure}
        </Notice>
      )}
      <Field label={t.dataRequests.newStatus}>
        {(attributes) => (
          <select
            {...attributes}
            className="input"
            name="status"
            value={status}
            onChange={(event) => setStatus(event.target.value as DataRequestAnswer)}
          >
            {DATA_REQUEST_ANSWERS.map((option) => (
              <option key={option} value={option}>
                {t.dataRequests.status[option]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t.dataRequests.note} hint={t.dataRequests.noteHint} error={noteError}>
        {(attributes) => (
          <textarea
            {...attributes}
            className="input textarea"
            name="note"
            rows={3}
            value={note}
            onChange={(event) => setNote(event.target.value)}
          />
        )}
      </Field>
    </FormDialog>
  );
}

/** Today in Oslo as YYYY-MM-DD: the default received date, and the latest the date field allows. */
function osloToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date());
}

/**
 * Record a request that came by letter, e-mail or phone: the customer's id, the type, how and when
 * it arrived (the deadline counts from then) and a note. The server checks everything again.
 */
function RecordDialog(props: { onDone(message: string): void; onClose(): void }): ReactNode {
  const { t } = useI18n();
  const { expire } = useSession();
  const [userId, setUserId] = useState('');
  const [type, setType] = useState<StaffDataRequestRecord['type']>('objection');
  const [channel, setChannel] = useState<StaffDataRequestRecord['channel']>('letter');
  const [receivedOn, setReceivedOn] = useState(osloToday());
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [userIdError, setUserIdError] = useState<string | undefined>();
  const [noteError, setNoteError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const r = t.dataRequests;
  return (
    <FormDialog
      title={r.recordTitle}
      confirmLabel={r.save}
      busyLabel={r.saving}
      busy={busy}
      tone="primary"
      testId="data-request-record-dialog"
      onCancel={props.onClose}
      onSubmit={async () => {
        setUserIdError(userId.trim() ? undefined : r.customerIdRequired);
        setNoteError(note.trim() ? undefined : r.noteRequired);
        if (!userId.trim() || !note.trim()) return;
        setBusy(true);
        const answer = await recordStaffDataRequest({ userId: userId.trim(), type, channel, receivedOn, note: note.trim() });
        setBusy(false);
        if (answer.kind === 'ok') {
          props.onDone(r.recorded(r.types[answer.data.type]));
          props.onClose();
          return;
        }
        if (answer.kind === 'unauthenticated') expire();
        setFailure(answer.kind === 'error' ? (r.recordErrors[answer.code] ?? r.failed(answer.code)) : r.failed(''));
      }}
    >
      <p>{r.recordLead}</p>
      {failure && (
        <Notice tone="error" testId="data-request-record-error">
          {failure}
        </Notice>
      )}
      <Field label={r.customerId} hint={r.customerIdHint} error={userIdError}>
        {(attributes) => (
          <input
            {...attributes}
            className="input"
            name="userId"
            autoComplete="off"
            spellCheck={false}
            value={userId}
            onChange={(event) => setUserId(event.target.value)}
          />
        )}
      </Field>
      <Field label={r.type}>
        {(attributes) => (
          <select
            {...attributes}
            className="input"
            name="type"
            value={type}
            onChange={(event) => setType(event.target.value as StaffDataRequestRecord['type'])}
          >
            {dataRequestTypes.map((option) => (
              <option key={option} value={option}>
                {r.types[option]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={r.channel}>
        {(attributes) => (
          <select
            {...attributes}
            className="input"
            name="channel"
            value={channel}
            onChange={(event) => setChannel(event.target.value as StaffDataRequestRecord['channel'])}
          >
            {dataRequestChannels.map((option) => (
              <option key={option} value={option}>
                {r.channels[option]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={r.receivedOn}>
        {(attributes) => (
          <input
            {...attributes}
            className="input"
            type="date"
            name="receivedOn"
            max={osloToday()}
            required
            value={receivedOn}
            onChange={(event) => setReceivedOn(event.target.value)}
          />
        )}
      </Field>
      <Field label={r.note} hint={r.recordNoteHint} error={noteError}>
        {(attributes) => (
          <textarea
            {...attributes}
            className="input textarea"
            name="note"
            rows={3}
            value={note}
            onChange={(event) => setNote(event.target.value)}
          />
        )}
      </Field>
    </FormDialog>
  );
}

/**
 * `/console/data-requests`: every privacy request (export, erasure, rectification, restriction)
 * with its legal due date (GDPR article 12(3): one month); overdue open ones first, in red, with
 * how many days overdue. Open one to record the answer; record one that came by letter, e-mail or
 * phone; below, the retention rules and what each would remove now.
 */
export function DataRequests(): ReactNode {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const { result, reloading, reload } = useStaffData(['data-requests'], (signal) => fetchDataRequests(signal));
  const [answering, setAnswering] = useState<StaffDataRequest | null>(null);
  const [recording, setRecording] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const now = new Date();
  return (
    <>
      <PageHead title={t.sections.dataRequests} lead={t.dataRequests.lead}>
        <RefreshControl result={result} reloading={reloading} reload={reload} />
        <button
          type="button"
          className="button"
          data-testid="data-request-record"
          onClick={() => {
            setDone(null);
            setRecording(true);
          }}
        >
          {t.dataRequests.record}
        </button>
      </PageHead>
      {done && (
        <Notice tone="ok" testId="data-request-done">
          {done}
        </Notice>
      )}
      {result.state !== 'ok' ? (
        <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
      ) : (
        <section className="card" aria-label={t.sections.dataRequests}>
          <DataTable
            className="table table-stack"
            testId="data-requests-table"
            empty={result.data.length === 0 && t.dataRequests.empty}
            columns={[
              t.dataRequests.colType,
              t.dataRequests.colCustomer,
              t.dataRequests.colReceived,
              t.dataRequests.colDue,
              t.dataRequests.colStatus,
              { label: t.dataRequests.open, hidden: true },
            ]}
          >
            {result.data.map((request) => {
              const answered = request.status === 'completed' || request.status === 'rejected';
              return (
                <tr
                  key={request.id}
                  data-testid="data-request-row"
                  data-id={request.id}
                  data-status={request.status}
                  data-overdue={request.overdue ? 'true' : 'false'}
                  className={request.overdue ? 'row-alert' : undefined}
                >
                  <td data-label={t.dataRequests.colType}>
                    <div className="cell-stack">
                      <span className="cell-primary">{t.dataRequests.types[request.type]}</span>
                      {request.channel && <span className="cell-secondary">{t.dataRequests.channels[request.channel]}</span>}
                    </div>
                  </td>
                  <td data-label={t.dataRequests.colCustomer}>
                    <div className="cell-stack">
                      <span className="cell-primary">{request.customer.name ?? request.customer.id}</span>
                      <span className="cell-secondary">{request.customer.email ?? request.customer.id}</span>
                    </div>
                  </td>
                  <td data-label={t.dataRequests.colReceived}>
                    {request.receivedOn ? (
                      // By letter, e-mail or phone: the day it arrived (the deadline counts from it), not when it was typed in.
                      <span data-testid="data-request-received-on">{formatDate(request.receivedOn, locale)}</span>
                    ) : (
                      <WhenCell at={request.createdAt} now={now} />
                    )}
                  </td>
                  <td data-label={t.dataRequests.colDue}>
                    {answered ? (
                      <span className="muted">{request.completedAt ? formatDateTime(new Date(request.completedAt), locale) : '—'}</span>
                    ) : (
                      <DueCell item={request} />
                    )}
                  </td>
                  <td data-label={t.dataRequests.colStatus}>
                    <Badge tone={STATUS_TONE[request.status]} testId="data-request-status">
                      {t.dataRequests.status[request.status]}
                    </Badge>
                  </td>
                  <td className="align-right">
                    {!answered && (
                      <button
                        type="button"
                        className="button button-small"
                        data-testid="data-request-open"
                        onClick={() => {
                          setDone(null);
                          setAnswering(request);
                        }}
                      >
                        {t.dataRequests.open}
                        <span className="visually-hidden"> – {request.customer.name ?? request.customer.id}</span>
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        </section>
      )}
      <RetentionRules />
      {recording && (
        <RecordDialog
          onClose={() => setRecording(false)}
          onDone={(message) => {
            setDone(message);
            reload();
          }}
        />
      )}
      {answering && (
        <AnswerDialog
          request={answering}
          onClose={() => setAnswering(null)}
          onDone={(message) => {
            setDone(message);
            reload();
          }}
        />
      )}
    </>
  );
}
