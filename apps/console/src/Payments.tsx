import { isId } from '@drop/contracts';
import { formatDate, formatDateTime } from '@drop/web-common';
import { AppLink } from '@drop/web-common/routing';
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { formatAmount } from './AmlAlerts.tsx';
import { DialogFact, FormDialog } from './dialog.tsx';
import { type Messages, useI18n } from './i18n.ts';
import { Field, Notice } from './Login.tsx';
import { Card, DataTable, LoadProblem, PageHead, RefreshControl, WhenCell } from './page.tsx';
import { pathFor } from './routes.ts';
import { useSession, useStaffData } from './session.ts';
import {
  type BankFileRecord,
  type BankImportSummary,
  fetchBankFiles,
  fetchPaymentExceptions,
  fetchPaymentExceptionTotals,
  type Money,
  matchPayment,
  type PaymentException,
  type PaymentExceptionReason,
  refundPayment,
  type StaffResult,
  uploadBankFile,
} from './staff-api.ts';
import { shortId } from './Transfers.tsx';
import { ArrowIcon, Badge, XIcon } from './ui.tsx';

/** The queue is worked oldest first; more than this many waiting is itself a finding. */
const EXCEPTION_LIMIT = 200;
const FILE_LIMIT = 20;
/** What the API accepts as a refund account: 11 digits (Norwegian) or an IBAN, spaces and dots ignored. */
const ACCOUNT = /^(\d{11}|[A-Z]{2}\d{2}[A-Z0-9]{10,30})$/;

interface PaymentsData {
  exceptions: PaymentException[];
  /** The money in the whole queue, summed by the API (one per currency, NOK first). */
  totals: Money[];
  files: BankFileRecord[];
}

async function loadPayments(signal: AbortSignal): Promise<StaffResult<PaymentsData>> {
  const [exceptions, totals, files] = await Promise.all([
    fetchPaymentExceptions(EXCEPTION_LIMIT, signal),
    fetchPaymentExceptionTotals(signal),
    fetchBankFiles(FILE_LIMIT, signal),
  ]);
  if (exceptions.kind !== 'ok') return exceptions;
  if (totals.kind !== 'ok') return totals;
  if (files.kind !== 'ok') return files;
  return { kind: 'ok', data: { exceptions: exceptions.data, totals: totals.data, files: files.data } };
}

function reasonTone(reason: PaymentExceptionReason): 'info' | 'warn' | 'danger' {
  if (reason === 'wrong_currency' || reason === 'reversal') return 'danger';
  if (reason === 'underpayment' || reason === 'overpayment' || reason === 'late_payment') return 'info';
  return 'warn';
}

function ReasonBadge(props: { reason: PaymentExceptionReason }): ReactNode {
  const { t } = useI18n();
  return (
    <Badge tone={reasonTone(props.reason)} testId="payment-reason">
      {t.paymentReasons[props.reason]}
    </Badge>
  );
}

/** "86011117947" → "8601.11.17947", as Norwegian account numbers are written; IBANs in groups of four. */
function formatAccount(account: string): string {
  const compact = account.replace(/[\s.]/g, '');
  if (/^\d{11}$/.test(compact)) return `${compact.slice(0, 4)}.${compact.slice(4, 6)}.${compact.slice(6)}`;
  if (/^[A-Z]{2}\d{2}/i.test(compact)) return compact.replace(/(.{4})(?=.)/g, '$1 ');
  return account;
}

const compactAccount = (account: string) => account.replace(/[\s.]/g, '').toUpperCase();

function TransferLink(props: { id: string; testId?: string }): ReactNode {
  return (
    <AppLink to={pathFor('transfer', '', props.id)} className="cell-link" testId={props.testId}>
      <code className="id" title={props.id}>
        {shortId(props.id)}
      </code>
    </AppLink>
  );
}

// ---------------------------------------------------------------------------------------------
// Upload and the result of an import
// ---------------------------------------------------------------------------------------------

/** What the result panel shows: an upload's answer (imported, or refused whole), or an earlier import from the list. */
type ShownImport =
  | { kind: 'summary'; fileName: string | null; summary: BankImportSummary; importedAt?: string }
  | { kind: 'refused'; fileName: string; code: string; status: number; detail: string | undefined };

function UploadCard(props: { onResult(result: ShownImport): void }): ReactNode {
  const { t } = useI18n();
  const { expire } = useSession();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const file = input.current?.files?.[0];
    if (!file) {
      setError(t.uploadChoose);
      return;
    }
    setError(undefined);
    setBusy(true);
    const answer = await uploadBankFile(file, file.name);
    setBusy(false);
    if (answer.kind === 'unauthenticated') return expire();
    form.reset();
    if (answer.kind === 'ok') props.onResult({ kind: 'summary', fileName: file.name, summary: answer.data });
    else props.onResult({ kind: 'refused', fileName: file.name, code: answer.code, status: answer.status, detail: answer.detail });
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="upload-card">
      <div className="card-head">
        <h2 id={`${id}-title`}>{t.uploadTitle}</h2>
        <p className="card-lead">{t.uploadLead}</p>
      </div>
      <form className="form card-body upload-form" onSubmit={(event) => void onSubmit(event)} noValidate data-testid="upload-form">
        <Field label={t.uploadLabel} hint={t.uploadHint} error={error}>
          {(attributes) => (
            <input
              {...attributes}
              ref={input}
              type="file"
              name="file"
              className="input input-file"
              accept=".xml,application/xml,text/xml"
              onChange={() => setError(undefined)}
              data-testid="bank-file-input"
            />
          )}
        </Field>
        <div className="upload-actions">
          <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy} data-testid="import-submit">
            {busy ? t.uploading : t.uploadSubmit}
          </button>
        </div>
      </form>
    </section>
  );
}

function refusalText(t: Messages, shown: Extract<ShownImport, { kind: 'refused' }>): string {
  if (shown.code === 'BANK_FILE_INVALID') return t.importRefused;
  if (shown.code === 'BANK_ACCOUNT_MISMATCH') return t.importRefusedAccount;
  if (shown.code === 'PAYLOAD_TOO_LARGE') return t.importTooLarge;
  if (shown.code === 'FORBIDDEN') return t.importForbidden;
  if (shown.status === 0) return t.networkFailed;
  return t.importFailed(shown.code);
}

function ImportStat(props: { label: string; value: number; testId: string; alert?: boolean }): ReactNode {
  return (
    <div className={props.alert ? 'stat stat-alert' : 'stat'}>
      <span className="stat-label">{props.label}</span>
      <span className="stat-value" data-testid={props.testId}>
        {props.value}
      </span>
    </div>
  );
}

function ImportResult(props: { shown: ShownImport; onClose(): void }): ReactNode {
  const { t, locale } = useI18n();
  const { shown } = props;
  const state = shown.kind === 'refused' ? 'refused' : shown.summary.alreadyImported ? 'already' : 'imported';
  const fileName = shown.kind === 'refused' ? shown.fileName : (shown.fileName ?? shown.summary.messageId);
  const ref = useRef<HTMLElement>(null);
  // A result opened from the list further down is brought into view.
  useEffect(() => {
    if (shown) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [shown]);

  return (
    <section ref={ref} className="card section-gap" aria-labelledby="import-result-title" data-testid="import-result" data-state={state}>
      <div className="card-head card-head-row">
        <div>
          <h2 id="import-result-title">{t.importResultTitle}</h2>
          <p className="card-lead import-file">
            <span className="import-file-name">{fileName}</span>
            {shown.kind === 'summary' && (
              <>
                <Badge tone="neutral">{shown.summary.kind}</Badge>
                {shown.importedAt && <span>{t.importedOn(formatDateTime(new Date(shown.importedAt), locale))}</span>}
              </>
            )}
          </p>
        </div>
        <button type="button" className="button button-small" onClick={props.onClose}>
          <XIcon />
          {t.importHide}
        </button>
      </div>
      {shown.kind === 'refused' ? (
        <div className="card-body">
          <Notice tone="error" testId="import-notice">
            <span className="notice-lines">
              <span className="notice-title">{refusalText(t, shown)}</span>
              {shown.detail && (
                <span data-testid="import-problem">
                  {t.importProblem}: {shown.detail}
                </span>
              )}
            </span>
          </Notice>
        </div>
      ) : (
        <ImportSummaryBody summary={shown.summary} fromHistory={shown.importedAt !== undefined} />
      )}
    </section>
  );
}

function ImportSummaryBody(props: { summary: BankImportSummary; fromHistory: boolean }): ReactNode {
  const { t, locale } = useI18n();
  const { summary } = props;
  return (
    <div className="card-body import-body">
      {!props.fromHistory && (
        <Notice tone={summary.alreadyImported ? 'info' : 'ok'} testId="import-notice">
          {summary.alreadyImported ? t.importAlready : t.importDone(summary.entries)}
        </Notice>
      )}
      <div className="stat-strip import-stats">
        <ImportStat label={t.statFunded} value={summary.funded.length} testId="import-funded-count" />
        <ImportStat
          label={t.statQueued}
          value={summary.exceptions.length}
          testId="import-queued-count"
          alert={summary.exceptions.length > 0}
        />
        <ImportStat label={t.statAlreadySeen} value={summary.alreadySeen} testId="import-seen-count" />
        <ImportStat label={t.statNotBooked} value={summary.notBooked} testId="import-not-booked-count" />
        <ImportStat label={t.statDebits} value={summary.debits} testId="import-debit-count" />
      </div>
      <div className="import-lists">
        <ImportList title={t.fundedTitle} empty={t.fundedEmpty} testId="import-funded" rows={summary.funded}>
          {(row) => (
            <li key={row.entryId} className="import-item" data-testid="import-funded-row" data-transfer-id={row.transactionId}>
              <TransferLink id={row.transactionId} testId="import-funded-link" />
              <span className="muted">
                {t.colKid} <code>{row.kid}</code>
              </span>
              <span className="num import-amount">{formatAmount(row.amount, 'NOK', locale)}</span>
            </li>
          )}
        </ImportList>
        <ImportList title={t.queuedTitle} empty={t.queuedEmpty} testId="import-queued" rows={summary.exceptions}>
          {(row) => (
            <li key={row.entryId} className="import-item" data-testid="import-queued-row" data-reason={row.reason}>
              <ReasonBadge reason={row.reason} />
              <span className="muted">{row.kid ? <code>{row.kid}</code> : t.noKid}</span>
              <span className="num import-amount">{formatAmount(row.amount, row.currency, locale)}</span>
            </li>
          )}
        </ImportList>
      </div>
    </div>
  );
}

/** One list of an import's result (funded, or queued), with a line saying so when it is empty. */
function ImportList<T>(props: { title: string; empty: string; testId: string; rows: T[]; children(row: T): ReactNode }): ReactNode {
  return (
    <div>
      <h3 className="subhead">{props.title}</h3>
      {props.rows.length === 0 ? (
        <p className="muted">{props.empty}</p>
      ) : (
        <ul className="import-list" data-testid={props.testId}>
          {props.rows.map(props.children)}
        </ul>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Match and refund
// ---------------------------------------------------------------------------------------------

function PaymentFacts(props: { entry: PaymentException }): ReactNode {
  const { t, locale } = useI18n();
  const { entry } = props;
  return (
    <dl className="dialog-facts">
      <DialogFact label={t.colAmount} className="num">
        {formatAmount(entry.amount, entry.currency, locale)}
      </DialogFact>
      <DialogFact label={t.colReason}>
        <ReasonBadge reason={entry.reason} />
      </DialogFact>
      <DialogFact label={t.colPayer}>
        {entry.debtorName ?? t.noPayerName}
        {entry.debtorAccount && <span className="muted"> · {formatAccount(entry.debtorAccount)}</span>}
      </DialogFact>
      {entry.kid && (
        <DialogFact label={t.colKid}>
          <code>{entry.kid}</code>
        </DialogFact>
      )}
    </dl>
  );
}

/** The frame of the match and refund dialogs: title, text, the payment's facts and the failure above the fields. */
function PaymentDialog(props: {
  action: 'match' | 'refund';
  entry: PaymentException;
  busy: boolean;
  failure: string | undefined;
  onSubmit(): void;
  onCancel(): void;
  children: ReactNode;
}): ReactNode {
  const { t, locale } = useI18n();
  const { entry } = props;
  const amount = formatAmount(entry.amount, entry.currency, locale);
  const words =
    props.action === 'match'
      ? { title: t.matchTitle(amount), text: t.matchText, confirm: t.matchConfirm, tone: 'primary' as const }
      : { title: t.refundTitle(amount), text: t.refundText, confirm: t.refundConfirm, tone: 'danger' as const };
  return (
    <FormDialog
      title={words.title}
      confirmLabel={words.confirm}
      busyLabel={t.paymentSaving}
      busy={props.busy}
      tone={words.tone}
      onSubmit={props.onSubmit}
      onCancel={props.onCancel}
      testId={`${props.action}-dialog`}
    >
      <p>{words.text}</p>
      <PaymentFacts entry={entry} />
      {props.failure && (
        <Notice tone="error" testId="payment-action-error">
          {props.failure}
        </Notice>
      )}
      {props.children}
    </FormDialog>
  );
}

type FieldErrors = { transactionId?: string; note?: string; account?: string };
type ActionError = { field?: keyof FieldErrors; text: string };

/** The server's refusal of a match or refund, in words, and the field it concerns. */
function actionError(
  t: Messages,
  answer: Extract<StaffResult<unknown>, { kind: 'error' }>,
  action: 'match' | 'refund',
  account: string,
  formatNok: (amount: string) => string,
): ActionError {
  const details = answer.details ?? {};
  switch (answer.code) {
    case 'VALIDATION_FAILED':
      if (details.field === 'refundTo') return { field: 'account', text: account ? t.accountInvalid : t.accountRequired };
      return { text: t.paymentErrors.invalid };
    case 'PAYMENT_AMOUNT_MISMATCH': {
      const paid = typeof details.paid === 'string' ? formatNok(details.paid) : '';
      const due = typeof details.due === 'string' ? formatNok(details.due) : '';
      return { text: paid && due ? t.paymentErrors.amountMismatch(paid, due) : t.paymentErrors.amountTooSmall };
    }
    case 'BANK_ENTRY_STATE_INVALID':
      return { text: typeof details.status === 'string' ? t.paymentErrors.alreadyHandled : t.paymentErrors.cannotFund };
    case 'TRANSFER_STATE_INVALID':
      return { field: 'transactionId', text: t.paymentErrors.transferState };
    case 'NOT_FOUND':
      // The payment comes from the list; what a match names that may not exist is the transfer.
      return action === 'match'
        ? { field: 'transactionId', text: t.paymentErrors.transferNotFound }
        : { text: t.paymentErrors.entryNotFound };
    case 'FORBIDDEN':
      return { text: t.paymentErrors.forbidden };
    default:
      return { text: answer.status === 0 ? t.networkFailed : t.paymentErrors.failed(answer.code) };
  }
}

/** What a finished match or refund did, kept as data so it reads in the language chosen later. */
type Outcome =
  | { kind: 'matched'; amount: string; currency: string; transactionId: string; refunded: string | null }
  | { kind: 'refunded'; amount: string; currency: string; account: string };

function OutcomeNotice(props: { outcome: Outcome }): ReactNode {
  const { t, locale } = useI18n();
  const { outcome } = props;
  const amount = formatAmount(outcome.amount, outcome.currency, locale);
  const text =
    outcome.kind === 'matched'
      ? `${t.matched(amount, outcome.transactionId)}${outcome.refunded ? t.matchedRefund(formatAmount(outcome.refunded, 'NOK', locale)) : ''}`
      : t.refunded(amount, formatAccount(outcome.account));
  return (
    <Notice tone="ok" testId="payment-outcome">
      {text}
    </Notice>
  );
}

function NoteField(props: { value: string; error: string | undefined; onChange(value: string): void; testId: string }): ReactNode {
  const { t } = useI18n();
  return (
    <Field label={t.paymentNote} hint={t.paymentNoteHint} error={props.error}>
      {(attributes) => (
        <textarea
          {...attributes}
          className="input textarea"
          rows={3}
          maxLength={2000}
          value={props.value}
          placeholder={t.paymentNotePlaceholder}
          onChange={(event) => props.onChange(event.target.value)}
          data-testid={props.testId}
        />
      )}
    </Field>
  );
}

/**
 * What the two payment dialogs share: field errors, a failure shown above the fields, the busy
 * state, and what to do with the server's answer (sign-in expired; a refusal on its field or as
 * the failure; a payment dealt with elsewhere reloads the queue).
 */
function usePaymentAction(kind: 'match' | 'refund', onStale: () => void) {
  const { t, locale } = useI18n();
  const { expire } = useSession();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  /** An input's change handler: stores the value and clears that field's error. */
  const edit = (field: keyof FieldErrors, set: (value: string) => void) => (value: string) => {
    set(value);
    setErrors((current) => ({ ...current, [field]: undefined }));
  };
  /** Shows `found` and sends nothing when a field is wrong; otherwise sends and handles the answer. */
  const send = async <T,>(found: FieldErrors, call: () => Promise<StaffResult<T>>, account: string, onOk: (data: T) => void) => {
    setErrors(found);
    setFailure(undefined);
    if (Object.values(found).some(Boolean)) return;
    setBusy(true);
    const answer = await call();
    setBusy(false);
    if (answer.kind === 'unauthenticated') return expire();
    if (answer.kind === 'ok') return onOk(answer.data);
    const error = actionError(t, answer, kind, account, (value) => formatAmount(value, 'NOK', locale));
    if (error.field) setErrors({ [error.field]: error.text });
    else setFailure(error.text);
    if (answer.code === 'BANK_ENTRY_STATE_INVALID') onStale();
  };
  return { errors, failure, busy, edit, send };
}

/** An identifier typed or pasted as it is: an account number to pay back to, a transfer's id. */
function CodeField(props: {
  label: string;
  hint: string;
  error: string | undefined;
  value: string;
  onChange(value: string): void;
  testId: string;
  placeholder?: string;
}): ReactNode {
  return (
    <Field label={props.label} hint={props.hint} error={props.error}>
      {(attributes) => (
        <input
          {...attributes}
          className="input mono"
          autoComplete="off"
          spellCheck={false}
          value={props.value}
          placeholder={props.placeholder}
          onChange={(event) => props.onChange(event.target.value)}
          data-testid={props.testId}
        />
      )}
    </Field>
  );
}

/** Funds a transfer from the payment; `onDone` after success, `onStale` when the payment turns out to be dealt with already. */
function MatchDialog(props: { entry: PaymentException; onDone(outcome: Outcome): void; onStale(): void; onCancel(): void }): ReactNode {
  const { t } = useI18n();
  const { entry } = props;
  const [transactionId, setTransactionId] = useState(entry.transactionId ?? '');
  const [note, setNote] = useState('');
  const [account, setAccount] = useState('');
  const { errors, failure, busy, edit, send } = usePaymentAction('match', props.onStale);

  const submit = () => {
    const id = transactionId.trim();
    const trimmed = note.trim();
    const excessTo = compactAccount(account);
    return send(
      {
        ...(isId('tx', id) ? {} : { transactionId: t.matchTransactionInvalid }),
        ...(trimmed.length >= 5 ? {} : { note: t.paymentNoteTooShort }),
        ...(excessTo === '' || ACCOUNT.test(excessTo) ? {} : { account: t.accountInvalid }),
      },
      () => matchPayment(entry.id, { transactionId: id, note: trimmed, ...(excessTo ? { refundExcessTo: excessTo } : {}) }),
      excessTo,
      ({ transactionId: matched, refunded }) =>
        props.onDone({ kind: 'matched', amount: entry.amount, currency: entry.currency, transactionId: matched, refunded }),
    );
  };

  return (
    <PaymentDialog action="match" entry={entry} busy={busy} failure={failure} onSubmit={() => void submit()} onCancel={props.onCancel}>
      <CodeField
        label={t.matchTransaction}
        hint={t.matchTransactionHint}
        error={errors.transactionId}
        value={transactionId}
        placeholder="tx_…"
        onChange={edit('transactionId', setTransactionId)}
        testId="match-transaction"
      />
      <NoteField value={note} error={errors.note} onChange={edit('note', setNote)} testId="match-note" />
      <CodeField
        label={t.matchExcess}
        hint={t.matchExcessHint(entry.debtorAccount && formatAccount(entry.debtorAccount))}
        error={errors.account}
        value={account}
        onChange={edit('account', setAccount)}
        testId="match-refund-account"
      />
    </PaymentDialog>
  );
}

/** Sends the payment back to the payer; `onDone` after success, `onStale` when the payment turns out to be dealt with already. */
function RefundDialog(props: { entry: PaymentException; onDone(outcome: Outcome): void; onStale(): void; onCancel(): void }): ReactNode {
  const { t } = useI18n();
  const { entry } = props;
  const [account, setAccount] = useState(entry.debtorAccount ? formatAccount(entry.debtorAccount) : '');
  const [note, setNote] = useState('');
  const { errors, failure, busy, edit, send } = usePaymentAction('refund', props.onStale);

  const submit = () => {
    const trimmed = note.trim();
    const refundTo = compactAccount(account);
    return send(
      {
        ...(refundTo === '' ? { account: t.accountRequired } : ACCOUNT.test(refundTo) ? {} : { account: t.accountInvalid }),
        ...(trimmed.length >= 5 ? {} : { note: t.paymentNoteTooShort }),
      },
      () => refundPayment(entry.id, { note: trimmed, refundTo }),
      refundTo,
      (data) => props.onDone({ kind: 'refunded', amount: data.amount, currency: data.currency, account: data.refundedTo }),
    );
  };

  return (
    <PaymentDialog action="refund" entry={entry} busy={busy} failure={failure} onSubmit={() => void submit()} onCancel={props.onCancel}>
      <CodeField
        label={t.refundAccount}
        hint={t.refundAccountHint}
        error={errors.account}
        value={account}
        onChange={edit('account', setAccount)}
        testId="refund-account"
      />
      <NoteField value={note} error={errors.note} onChange={edit('note', setNote)} testId="refund-note" />
    </PaymentDialog>
  );
}

// ---------------------------------------------------------------------------------------------
// The queue and the imports
// ---------------------------------------------------------------------------------------------

function QueueSummary(props: { exceptions: PaymentException[]; totals: Money[] }): ReactNode {
  const { t, locale } = useI18n();
  const oldest = props.exceptions[0];
  const oldestDate = oldest?.bookingDate ?? oldest?.createdAt;
  return (
    <div className="stat-strip">
      <div className={props.exceptions.length > 0 ? 'stat stat-alert' : 'stat'}>
        <span className="stat-label">{t.queueCount}</span>
        <span className="stat-value" data-testid="exception-count">
          {props.exceptions.length}
        </span>
      </div>
      <div className="stat">
        <span className="stat-label">{t.queueSum}</span>
        <span className="stat-value stat-value-text num" data-testid="exception-sum">
          {props.totals.length === 0 ? '–' : props.totals.map((total) => formatAmount(total.amount, total.currency, locale)).join(' · ')}
        </span>
      </div>
      <div className="stat">
        <span className="stat-label">{t.queueOldest}</span>
        <span className="stat-value stat-value-text">{oldestDate ? formatDate(oldestDate, locale) : '–'}</span>
      </div>
    </div>
  );
}

function ExceptionTable(props: {
  exceptions: PaymentException[];
  reloading: boolean;
  mayManage: boolean;
  onAction(action: PendingAction): void;
}): ReactNode {
  const { t, locale } = useI18n();
  const { exceptions, mayManage } = props;
  return (
    <section className="card" aria-labelledby="exceptions-title" aria-busy={props.reloading}>
      <div className="card-head">
        <h2 id="exceptions-title" data-testid="exceptions-title">
          {t.exceptionsTitle(exceptions.length)}
        </h2>
        <p className="card-lead">{t.exceptionsLead}</p>
      </div>
      {exceptions.length >= EXCEPTION_LIMIT && <p className="card-note">{t.exceptionsTruncated(EXCEPTION_LIMIT)}</p>}
      <DataTable
        className="table table-stack"
        testId="exception-table"
        empty={exceptions.length === 0 && t.exceptionsEmpty}
        columns={[
          t.colBooked,
          { label: t.colAmount, num: true },
          t.colReason,
          t.colKidMessage,
          t.colPayer,
          t.colTransaction,
          mayManage && { label: t.colActions, hidden: true },
        ]}
      >
        {exceptions.map((entry) => (
          <tr key={entry.id} data-testid="exception-row" data-entry-id={entry.id} data-reason={entry.reason} data-kid={entry.kid ?? ''}>
            <td data-label={t.colBooked}>
              <div className="cell-stack">
                <span className="cell-primary nowrap">{entry.bookingDate ? formatDate(entry.bookingDate, locale) : '–'}</span>
                <code className="cell-secondary" title={t.bankReference}>
                  {entry.reference}
                </code>
              </div>
            </td>
            <td className="num align-right cell-primary" data-label={t.colAmount} data-testid="exception-amount">
              {formatAmount(entry.amount, entry.currency, locale)}
            </td>
            <td data-label={t.colReason}>
              <div className="cell-stack">
                <span>
                  <ReasonBadge reason={entry.reason} />
                </span>
                <span className="cell-secondary cell-wrap reason-hint">{t.paymentReasonHints[entry.reason]}</span>
              </div>
            </td>
            <td data-label={t.colKidMessage}>
              <div className="cell-stack">
                <span data-testid="exception-kid">
                  {entry.kid ? <code className="id">{entry.kid}</code> : <span className="muted">{t.noKid}</span>}
                </span>
                {entry.message && (
                  <span className="cell-secondary message" data-testid="exception-message">
                    {entry.message}
                  </span>
                )}
              </div>
            </td>
            <td data-label={t.colPayer}>
              <div className="cell-stack">
                <span className={entry.debtorName ? 'cell-primary' : 'muted'}>{entry.debtorName ?? t.noPayerName}</span>
                <span className="cell-secondary num">{entry.debtorAccount ? formatAccount(entry.debtorAccount) : t.noPayerAccount}</span>
              </div>
            </td>
            <td data-label={t.colTransaction}>
              {entry.transactionId ? (
                <TransferLink id={entry.transactionId} testId="exception-transfer" />
              ) : (
                <span className="muted">{t.noTransaction}</span>
              )}
            </td>
            {mayManage && (
              <td className="align-right cell-action">
                <span className="row-actions">
                  {(['match', 'refund'] as const).map((kind) => (
                    <button
                      key={kind}
                      type="button"
                      className={kind === 'match' ? 'button button-small' : 'button button-small button-danger-outline'}
                      onClick={() => props.onAction({ kind, entry })}
                      data-testid={`${kind}-button`}
                    >
                      {kind === 'match' ? t.matchAction : t.refundAction}
                      <span className="visually-hidden"> – {formatAmount(entry.amount, entry.currency, locale)}</span>
                    </button>
                  ))}
                </span>
              </td>
            )}
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

function importedByLabel(
  t: Messages,
  file: { importedBy: string; importedByName: string | null },
  me: { id: string; name: string },
): ReactNode {
  if (file.importedBy === me.id) return t.importedByYou(me.name);
  if (file.importedBy.startsWith('cli:')) return t.importedByCli(file.importedBy.slice('cli:'.length));
  if (file.importedByName) return <span title={file.importedBy}>{file.importedByName}</span>;
  return <code className="id">{file.importedBy}</code>;
}

function ImportsTable(props: { files: BankFileRecord[]; onShow(file: BankFileRecord): void }): ReactNode {
  const { t } = useI18n();
  const { me } = useSession();
  const now = new Date();
  return (
    <Card id="imports" title={t.importsTitle} lead={t.importsLead(FILE_LIMIT)} className="section-gap">
      <DataTable
        className="table table-dense table-stack"
        testId="bank-file-table"
        empty={props.files.length === 0 && t.importsEmpty}
        columns={[
          t.colImported,
          t.colFile,
          { label: t.colEntries, num: true },
          { label: t.colFunded, num: true },
          { label: t.colQueued, num: true },
          t.colImportedBy,
          { label: t.colActions, hidden: true },
        ]}
      >
        {props.files.map((file) => (
          <tr key={file.id} data-testid="bank-file-row" data-file-id={file.id}>
            <td data-label={t.colImported}>
              <WhenCell at={file.importedAt} now={now} />
            </td>
            <td data-label={t.colFile}>
              <div className="cell-stack">
                <span className="cell-primary cell-wrap">{file.fileName ?? file.messageId}</span>
                <span className="cell-secondary">
                  {file.kind} · <code>{file.messageId}</code>
                </span>
              </div>
            </td>
            <td className="num align-right" data-label={t.colEntries}>
              {file.summary.entries}
            </td>
            <td className="num align-right" data-label={t.colFunded}>
              {file.summary.funded.length}
            </td>
            <td className="num align-right" data-label={t.colQueued}>
              {file.summary.exceptions.length}
            </td>
            <td data-label={t.colImportedBy}>{importedByLabel(t, file, me)}</td>
            <td className="align-right cell-action">
              <button type="button" className="button button-small" onClick={() => props.onShow(file)} data-testid="show-import">
                {t.showImport}
                <span className="visually-hidden"> – {file.fileName ?? file.messageId}</span>
                <ArrowIcon />
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}

type PendingAction = { kind: 'match' | 'refund'; entry: PaymentException };

/**
 * `/console/payments`: money in from the bank. Admins import camt.053/camt.054 files and work the
 * exceptions queue (match a payment to a transfer by hand, or refund it); support sees the queue
 * and the imports.
 */
export function Payments(): ReactNode {
  const { t } = useI18n();
  const { me } = useSession();
  const mayManage = me.permissions.includes('payments_manage');
  const { result, reloading, reload } = useStaffData(['payments'], loadPayments);
  const [shown, setShown] = useState<ShownImport>();
  const [action, setAction] = useState<PendingAction>();
  const [outcome, setOutcome] = useState<Outcome>();

  const onImport = (next: ShownImport) => {
    setShown(next);
    setOutcome(undefined);
    if (next.kind === 'summary') reload();
  };

  const onDone = (next: Outcome) => {
    setAction(undefined);
    setOutcome(next);
    reload();
  };

  return (
    <>
      <PageHead title={t.sections.payments} lead={t.paymentsLead}>
        <RefreshControl result={result} reloading={reloading} reload={reload} />
      </PageHead>
      {mayManage ? (
        <UploadCard onResult={onImport} />
      ) : (
        <section className="card state-card state-hint" data-testid="payments-view-only">
          <p>{t.paymentsViewOnly}</p>
        </section>
      )}
      {shown && <ImportResult shown={shown} onClose={() => setShown(undefined)} />}
      <div className="section-gap">
        {outcome && <OutcomeNotice outcome={outcome} />}
        {result.state !== 'ok' ? (
          <LoadProblem result={result} retry={reload} role={t.roles[me.role]} />
        ) : (
          <>
            <QueueSummary exceptions={result.data.exceptions} totals={result.data.totals} />
            <ExceptionTable
              exceptions={result.data.exceptions}
              reloading={reloading}
              mayManage={mayManage}
              onAction={(next) => {
                setOutcome(undefined);
                setAction(next);
              }}
            />
            <ImportsTable
              files={result.data.files}
              onShow={(file) => setShown({ kind: 'summary', fileName: file.fileName, summary: file.summary, importedAt: file.importedAt })}
            />
          </>
        )}
      </div>
      {mayManage && action?.kind === 'match' && (
        <MatchDialog key={action.entry.id} entry={action.entry} onDone={onDone} onStale={reload} onCancel={() => setAction(undefined)} />
      )}
      {mayManage && action?.kind === 'refund' && (
        <RefundDialog key={action.entry.id} entry={action.entry} onDone={onDone} onStale={reload} onCancel={() => setAction(undefined)} />
      )}
    </>
  );
}
