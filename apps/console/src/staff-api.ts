/**
 * The staff API the console uses (`/api/staff/*`): sign-in with password and TOTP, enrolment,
 * the signed-in staff member, and the work queues. Same-origin JSON; errors are problem
 * documents with a stable `code`. Every answer is checked against the shape the API promises.
 */

export const STAFF_ROLES = ['support', 'compliance_officer', 'compliance_lead', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const PERMISSIONS = [
  'overview',
  'kyc_queue',
  'kyc_decide',
  'aml_alerts',
  'str_reports',
  'customers',
  'revoke_customer_sessions',
  'data_requests',
  'operations',
  'audit_log',
  'transfers_view',
  'ledger_view',
  'payments_view',
  'payments_manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** `GET /api/staff/me`: who is signed in and what they may use. */
export interface StaffMe {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  permissions: Permission[];
}

/** `GET /api/staff/enrolment/:token`: the account an enrolment link sets up. */
export interface Enrolment {
  email: string;
  name: string;
  role: StaffRole;
  /** Base32, for typing into an authenticator app. */
  totpSecret: string;
  otpauthUri: string;
}

/** A customer waiting for a KYC decision (`GET /api/staff/kyc-queue`, oldest first). */
export interface KycCase {
  id: string;
  email: string | null;
  name: string | null;
  kycStatus: string;
  createdAt: string;
  waitingHours: number;
  /** Waiting more than 24 hours. */
  overdue: boolean;
}

/** One event in a customer's verification history (`GET /api/staff/kyc/:userId`, oldest first). */
export interface KycHistoryEntry {
  timestamp: string;
  /** `sumsub`, the customer's id (they started), or a staff id (a manual decision). */
  actor: string;
  /** `kyc_started` or `kyc_status_changed`; other actions are shown as they are. */
  action: string;
  details: Record<string, unknown>;
}

export type KycDecision = 'approve' | 'reject';

export type AlertSeverity = 'low' | 'medium' | 'high' | 'critical';
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['low', 'medium', 'high', 'critical'];

/** An open AML alert (`GET /api/staff/aml-alerts`, newest first). */
export interface AmlAlert {
  id: string;
  userId: string;
  email: string | null;
  transactionId: string | null;
  rule: string;
  severity: AlertSeverity;
  status: string;
  createdAt: string;
  /** NOK as a decimal string, when the alert is about a transfer. */
  sendAmount: string | null;
  sendCurrency: string | null;
}

/** A customer found by `GET /api/staff/customers?query=`. */
export interface CustomerSummary {
  id: string;
  email: string | null;
  name: string | null;
  kycStatus: string;
  createdAt: string;
  deletedAt: string | null;
  liveSessions: number;
}

/** One row of the audit log (`GET /api/staff/audit-log`). */
export interface AuditEntry {
  seq: string;
  timestamp: string;
  actor: string;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
}

export const TRANSFER_STATUSES = [
  'awaiting_funds',
  'funds_received',
  'processing',
  'paid_out',
  'held',
  'cancelled',
  'failed',
  'refunded',
] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** The runbook's transfer lists (operations runbook 6.3) plus compliance's held transfers. */
export const TRANSFER_VIEWS = ['recent', 'failed', 'large', 'held'] as const;
export type TransferView = (typeof TRANSFER_VIEWS)[number];

/** An amount as the API sends it: a decimal string in major units, never a float. */
export interface Money {
  amount: string;
  currency: string;
}

/** A row of `GET /api/staff/transfers?view=`. */
export interface StaffTransferRow {
  id: string;
  type: string;
  status: TransferStatus;
  customer: { id: string; name: string | null; email: string | null };
  send: Money;
  fee: Money;
  receive: Money | null;
  failureReason: string | null;
  createdAt: string;
}

export interface TransferList {
  view: TransferView;
  customerId: string | null;
  limit: number;
  /** More rows matched than `limit`. */
  truncated: boolean;
  transfers: StaffTransferRow[];
}

export type LedgerPurpose = 'bank' | 'customer_funds' | 'fee_revenue' | 'fx_position' | 'partner_clearing' | 'suspense';
export const LEDGER_PURPOSES: readonly LedgerPurpose[] = [
  'bank',
  'customer_funds',
  'fee_revenue',
  'fx_position',
  'partner_clearing',
  'suspense',
];

export interface LedgerAccount {
  id: string;
  purpose: LedgerPurpose;
  currency: string;
  shard: number;
  userId: string | null;
}

export type PostingKind = 'pending' | 'posted' | 'post_pending' | 'void_pending';

export interface Posting {
  id: string;
  code: string;
  kind: PostingKind;
  pendingId: string | null;
  debit: LedgerAccount;
  credit: LedgerAccount;
  amount: Money;
  createdAt: string;
}

export interface TransferEvent {
  from: TransferStatus | null;
  to: TransferStatus;
  at: string;
  actor: string;
  actorKind: 'customer' | 'staff' | 'system';
  actorName: string | null;
  reason: string | null;
}

export const PAYOUT_STATES = ['sending', 'sent', 'paid', 'failed', 'returned'] as const;
export type PayoutState = (typeof PAYOUT_STATES)[number];

/** The payout to the recipient through the partner. */
export interface Payout {
  partner: string;
  state: PayoutState;
  partnerReference: string | null;
  /** The partner's own word for the payout's status, as it last reported it. */
  partnerState: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  settledAt: string | null;
}

export const BANK_ENTRY_STATUSES = ['matched', 'exception', 'resolved', 'refunded', 'recorded'] as const;
export type BankEntryStatus = (typeof BANK_ENTRY_STATUSES)[number];

/** A booking on Drop's client account that paid for a transfer. */
export interface BankEntry {
  /** The bank's reference for the booking. */
  reference: string;
  amount: Money;
  /** `YYYY-MM-DD`. */
  bookingDate: string | null;
  status: BankEntryStatus;
  debtorName: string | null;
  /** Masked by the server to its last four characters. */
  debtorAccount: string | null;
}

/** The customer's money going back after a failed or returned payout. */
export interface CustomerRefund {
  amount: Money;
  /** Masked by the server; null when the bank did not say which account paid. */
  toAccount: string | null;
  state: 'pending' | 'sent';
  reason: string;
  createdAt: string;
  sentAt: string | null;
}

/** `GET /api/staff/transfers/:id`: one transfer, where its money is, and who did what. */
export interface TransferDetail {
  transfer: {
    id: string;
    type: string;
    status: TransferStatus;
    heldFrom: TransferStatus | null;
    send: Money;
    fee: Money;
    converted: Money;
    receive: { amount: string | null; currency: string | null };
    rate: string | null;
    quoteId: string | null;
    /** The reference the customer's bank payment carries. */
    kid: string | null;
    failureReason: string | null;
    createdAt: string;
    updatedAt: string;
  };
  customer: { id: string; name: string | null; email: string | null; kycStatus: string; deletedAt: string | null };
  recipient: {
    id: string;
    name: string;
    country: string;
    currency: string;
    rail: string;
    relationship: string;
    display: string;
    details: Record<string, string>;
    deletedAt: string | null;
  } | null;
  timeline: TransferEvent[];
  postings: Posting[];
  payout: Payout | null;
  bankEntries: BankEntry[];
  customerRefund: CustomerRefund | null;
}

export interface LedgerBalance {
  purpose: LedgerPurpose;
  currency: string;
  accounts: number;
  debitsPending: string;
  debitsPosted: string;
  creditsPending: string;
  creditsPosted: string;
  /** Posted credits − posted debits. */
  postedNet: string;
}

/** `GET /api/staff/ledger`: the invariant check and balances per purpose and currency. */
export interface LedgerSummary {
  report: {
    ok: boolean;
    accounts: number;
    postings: number;
    transfers: number;
    violations: Array<{ invariant: string; detail: Record<string, unknown> }>;
  };
  balances: LedgerBalance[];
}

export const PAYMENT_EXCEPTION_REASONS = [
  'unknown_kid',
  'no_reference',
  'underpayment',
  'overpayment',
  'duplicate_payment',
  'transfer_not_awaiting_funds',
  'late_payment',
  'wrong_currency',
  'reversal',
] as const;
/** Why an incoming payment could not fund a transfer by itself. */
export type PaymentExceptionReason = (typeof PAYMENT_EXCEPTION_REASONS)[number];

/** A row of `GET /api/staff/payment-exceptions` (oldest first): a payment waiting to be matched by hand or refunded. */
export interface PaymentException {
  id: string;
  reason: PaymentExceptionReason;
  /** A decimal string in major units. */
  amount: string;
  currency: string;
  kid: string | null;
  /** The payer's free-text message, if any. */
  message: string | null;
  debtorName: string | null;
  debtorAccount: string | null;
  /** `YYYY-MM-DD`. */
  bookingDate: string | null;
  /** The bank's reference for the booking. */
  reference: string;
  fileId: string;
  /** The transfer the KID names, when it names one. */
  transactionId: string | null;
  createdAt: string;
}

export type BankFileKind = 'camt.053' | 'camt.054';

/** What one import of a bank file did (`POST /api/staff/bank-files`, and each file of `GET`). */
export interface BankImportSummary {
  fileId: string;
  /** These exact bytes were imported before: nothing changed this time. */
  alreadyImported: boolean;
  kind: BankFileKind;
  messageId: string;
  entries: number;
  /** Booked entries an earlier file already brought. */
  alreadySeen: number;
  /** Pending or information-only entries: no money moved. */
  notBooked: number;
  funded: Array<{ entryId: string; transactionId: string; amount: string; kid: string }>;
  exceptions: Array<{ entryId: string; reason: PaymentExceptionReason; amount: string; currency: string; kid: string | null }>;
  /** Money out of the account (payouts, refunds), recorded for reconciliation. */
  debits: number;
}

/** A row of `GET /api/staff/bank-files`, newest first. */
export interface BankFileRecord {
  id: string;
  kind: string;
  messageId: string;
  fileName: string | null;
  /** `stf_…` for an upload in the console, `cli:<user>` for `drop payments import`. */
  importedBy: string;
  importedAt: string;
  summary: BankImportSummary;
}

/**
 * The outcome of a staff API call: the data; "nobody is signed in" (401 on a signed-in call, so
 * the console shows its login page); or a failure with the HTTP status, the problem's `code`
 * (`NETWORK_ERROR`/`TIMEOUT` with status 0, `INVALID_RESPONSE` when the answer has the wrong
 * shape) and, when the server sent them, `Retry-After` in seconds and the problem's `detail` and `details`.
 */
export type StaffResult<T> =
  | { kind: 'ok'; data: T }
  | { kind: 'unauthenticated' }
  | {
      kind: 'error';
      status: number;
      code: string;
      retryAfterSeconds?: number;
      /** The problem's human-readable `detail`, when the server sent one (in English). */
      detail?: string;
      /** The problem's machine-readable particulars (`field`, amounts, …). */
      details?: Record<string, unknown>;
    };

const TIMEOUT_MS = 10_000;
/** A bank file may be a few megabytes on a slow line. */
const UPLOAD_TIMEOUT_MS = 60_000;

function retryAfter(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - Date.now()) / 1000));
}

interface CallOptions<T> {
  body?: unknown;
  /** A file sent as the raw body instead of JSON, with its content type and extra headers. */
  upload?: { bytes: Blob; contentType: string; headers: Record<string, string> };
  signal?: AbortSignal | undefined;
  parse?: (data: unknown) => T | undefined;
  /** Sign-in and enrolment: a 401 is a wrong password or code, not a missing session. */
  credentials?: boolean;
}

async function call<T>(method: 'GET' | 'POST', path: string, options: CallOptions<T> = {}): Promise<StaffResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.upload) Object.assign(headers, options.upload.headers, { 'content-type': options.upload.contentType });
  const timeout = AbortSignal.timeout(options.upload ? UPLOAD_TIMEOUT_MS : TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: options.upload ? options.upload.bytes : options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { kind: 'error', status: 0, code: timeout.aborted ? 'TIMEOUT' : 'NETWORK_ERROR' };
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    const code = isRecord(body) && typeof body.code === 'string' ? body.code : `HTTP_${response.status}`;
    if (response.status === 401 && !options.credentials) return { kind: 'unauthenticated' };
    const seconds = retryAfter(response);
    return {
      kind: 'error',
      status: response.status,
      code,
      ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }),
      ...(isRecord(body) && isString(body.detail) ? { detail: body.detail } : {}),
      ...(isRecord(body) && isRecord(body.details) ? { details: body.details } : {}),
    };
  }
  if (!options.parse) return { kind: 'ok', data: undefined as T };
  const body: unknown = await response.json().catch(() => undefined);
  const data = options.parse(isRecord(body) ? body.data : undefined);
  return data === undefined ? { kind: 'error', status: response.status, code: 'INVALID_RESPONSE' } : { kind: 'ok', data };
}

// ---------------------------------------------------------------------------------------------
// Checking the answers
// ---------------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const isString = (value: unknown): value is string => typeof value === 'string';
const isStringOrNull = (value: unknown): value is string | null => value === null || typeof value === 'string';
const optionalString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function isRole(value: unknown): value is StaffRole {
  return STAFF_ROLES.includes(value as StaffRole);
}

function listOf<T>(parse: (item: unknown) => T | undefined): (value: unknown) => T[] | undefined {
  return (value) => {
    if (!Array.isArray(value)) return undefined;
    const items: T[] = [];
    for (const raw of value) {
      const item = parse(raw);
      if (item === undefined) return undefined;
      items.push(item);
    }
    return items;
  };
}

function parseMe(value: unknown): StaffMe | undefined {
  if (!isRecord(value)) return undefined;
  const { id, email, name, role, permissions } = value;
  if (!isString(id) || !isString(email) || !isString(name) || !isRole(role) || !Array.isArray(permissions)) return undefined;
  // Unknown permissions (a newer server) are ignored; the console only shows what it knows.
  const known = PERMISSIONS.filter((permission) => permissions.includes(permission));
  return { id, email, name, role, permissions: known };
}

function parseEnrolment(value: unknown): Enrolment | undefined {
  if (!isRecord(value)) return undefined;
  const { email, name, role, totpSecret, otpauthUri } = value;
  if (!isString(email) || !isString(name) || !isRole(role) || !isString(totpSecret) || !isString(otpauthUri)) return undefined;
  return { email, name, role, totpSecret, otpauthUri };
}

function parseKycCase(value: unknown): KycCase | undefined {
  if (!isRecord(value)) return undefined;
  const { id, email, name, kycStatus, createdAt, waitingHours, overdue } = value;
  if (!isString(id) || !isString(kycStatus) || !isString(createdAt) || typeof waitingHours !== 'number') return undefined;
  if (!isStringOrNull(email ?? null) || !isStringOrNull(name ?? null) || typeof overdue !== 'boolean') return undefined;
  return { id, email: optionalString(email), name: optionalString(name), kycStatus, createdAt, waitingHours, overdue };
}

function parseKycHistoryEntry(value: unknown): KycHistoryEntry | undefined {
  if (!isRecord(value)) return undefined;
  const { timestamp, actor, action, details } = value;
  if (!isString(timestamp) || !isString(action)) return undefined;
  return { timestamp, actor: isString(actor) ? actor : '', action, details: isRecord(details) ? details : {} };
}

function parseDecisionResult(value: unknown): { from: string; to: string } | undefined {
  return isRecord(value) && isString(value.from) && isString(value.to) ? { from: value.from, to: value.to } : undefined;
}

function parseAlert(value: unknown): AmlAlert | undefined {
  if (!isRecord(value)) return undefined;
  const { id, userId, email, transactionId, rule, severity, status, createdAt, sendAmount, sendCurrency } = value;
  if (!isString(id) || !isString(userId) || !isString(rule) || !isString(status) || !isString(createdAt)) return undefined;
  if (!ALERT_SEVERITIES.includes(severity as AlertSeverity)) return undefined;
  const amount = typeof sendAmount === 'number' ? String(sendAmount) : optionalString(sendAmount);
  return {
    id,
    userId,
    email: optionalString(email),
    transactionId: optionalString(transactionId),
    rule,
    severity: severity as AlertSeverity,
    status,
    createdAt,
    sendAmount: amount,
    sendCurrency: optionalString(sendCurrency),
  };
}

function parseCustomer(value: unknown): CustomerSummary | undefined {
  if (!isRecord(value)) return undefined;
  const { id, email, name, kycStatus, createdAt, deletedAt, liveSessions } = value;
  if (!isString(id) || !isString(kycStatus) || !isString(createdAt) || typeof liveSessions !== 'number') return undefined;
  return {
    id,
    email: optionalString(email),
    name: optionalString(name),
    kycStatus,
    createdAt,
    deletedAt: optionalString(deletedAt),
    liveSessions,
  };
}

function parseAuditEntry(value: unknown): AuditEntry | undefined {
  if (!isRecord(value)) return undefined;
  const { seq, timestamp, actor, action, resourceType, resourceId } = value;
  if ((typeof seq !== 'number' && !isString(seq)) || !isString(timestamp) || !isString(action)) return undefined;
  return {
    seq: String(seq),
    timestamp,
    actor: isString(actor) ? actor : '',
    action,
    resourceType: optionalString(resourceType),
    resourceId: optionalString(resourceId),
  };
}

function parseRevoked(value: unknown): { sessionsEnded: number } | undefined {
  return isRecord(value) && typeof value.sessionsEnded === 'number' ? { sessionsEnded: value.sessionsEnded } : undefined;
}

const isTransferStatus = (value: unknown): value is TransferStatus => TRANSFER_STATUSES.includes(value as TransferStatus);
const isPurpose = (value: unknown): value is LedgerPurpose => LEDGER_PURPOSES.includes(value as LedgerPurpose);

function parseMoney(value: unknown): Money | undefined {
  return isRecord(value) && isString(value.amount) && isString(value.currency)
    ? { amount: value.amount, currency: value.currency }
    : undefined;
}

function parseTransferRow(value: unknown): StaffTransferRow | undefined {
  if (!isRecord(value)) return undefined;
  const { id, type, status, customer, send, fee, receive, failureReason, createdAt } = value;
  if (!isString(id) || !isString(type) || !isTransferStatus(status) || !isString(createdAt) || !isRecord(customer)) return undefined;
  const sent = parseMoney(send);
  const charged = parseMoney(fee);
  if (!sent || !charged || !isString(customer.id)) return undefined;
  return {
    id,
    type,
    status,
    customer: { id: customer.id, name: optionalString(customer.name), email: optionalString(customer.email) },
    send: sent,
    fee: charged,
    receive: parseMoney(receive) ?? null,
    failureReason: optionalString(failureReason),
    createdAt,
  };
}

function parseTransferList(value: unknown): TransferList | undefined {
  if (!isRecord(value)) return undefined;
  const { view, customerId, limit, truncated, transfers } = value;
  if (!TRANSFER_VIEWS.includes(view as TransferView) || typeof limit !== 'number' || typeof truncated !== 'boolean') return undefined;
  const rows = listOf(parseTransferRow)(transfers);
  if (!rows) return undefined;
  return { view: view as TransferView, customerId: optionalString(customerId), limit, truncated, transfers: rows };
}

function parseAccount(value: unknown): LedgerAccount | undefined {
  if (!isRecord(value)) return undefined;
  const { id, purpose, currency, shard, userId } = value;
  if (!isString(id) || !isPurpose(purpose) || !isString(currency) || typeof shard !== 'number') return undefined;
  return { id, purpose, currency, shard, userId: optionalString(userId) };
}

function parsePosting(value: unknown): Posting | undefined {
  if (!isRecord(value)) return undefined;
  const { id, code, kind, pendingId, debit, credit, amount, createdAt } = value;
  if (!isString(id) || !isString(code) || !isString(createdAt)) return undefined;
  if (kind !== 'pending' && kind !== 'posted' && kind !== 'post_pending' && kind !== 'void_pending') return undefined;
  const from = parseAccount(debit);
  const to = parseAccount(credit);
  const money = parseMoney(amount);
  if (!from || !to || !money) return undefined;
  return { id, code, kind, pendingId: optionalString(pendingId), debit: from, credit: to, amount: money, createdAt };
}

function parseTransferEvent(value: unknown): TransferEvent | undefined {
  if (!isRecord(value)) return undefined;
  const { from, to, at, actor, actorKind, actorName, reason } = value;
  if ((from !== null && !isTransferStatus(from)) || !isTransferStatus(to) || !isString(at) || !isString(actor)) return undefined;
  if (actorKind !== 'customer' && actorKind !== 'staff' && actorKind !== 'system') return undefined;
  return { from, to, at, actor, actorKind, actorName: optionalString(actorName), reason: optionalString(reason) };
}

function parsePayout(value: unknown): Payout | undefined {
  if (!isRecord(value)) return undefined;
  const { partner, state, partnerReference, partnerState, attempts, lastError, createdAt, sentAt, settledAt } = value;
  if (!isString(partner) || !PAYOUT_STATES.includes(state as PayoutState) || !isCount(attempts) || !isString(createdAt)) return undefined;
  return {
    partner,
    state: state as PayoutState,
    partnerReference: optionalString(partnerReference),
    partnerState: optionalString(partnerState),
    attempts,
    lastError: optionalString(lastError),
    createdAt,
    sentAt: optionalString(sentAt),
    settledAt: optionalString(settledAt),
  };
}

function parseBankEntry(value: unknown): BankEntry | undefined {
  if (!isRecord(value)) return undefined;
  const { reference, amount, bookingDate, status, debtorName, debtorAccount } = value;
  const money = parseMoney(amount);
  if (!isString(reference) || !money || !BANK_ENTRY_STATUSES.includes(status as BankEntryStatus)) return undefined;
  return {
    reference,
    amount: money,
    bookingDate: optionalString(bookingDate),
    status: status as BankEntryStatus,
    debtorName: optionalString(debtorName),
    debtorAccount: optionalString(debtorAccount),
  };
}

function parseCustomerRefund(value: unknown): CustomerRefund | undefined {
  if (!isRecord(value)) return undefined;
  const { amount, toAccount, state, reason, createdAt, sentAt } = value;
  const money = parseMoney(amount);
  if (!money || (state !== 'pending' && state !== 'sent') || !isString(reason) || !isString(createdAt)) return undefined;
  return { amount: money, toAccount: optionalString(toAccount), state, reason, createdAt, sentAt: optionalString(sentAt) };
}

function parseTransferDetail(value: unknown): TransferDetail | undefined {
  if (!isRecord(value) || !isRecord(value.transfer) || !isRecord(value.customer)) return undefined;
  const t = value.transfer;
  const send = parseMoney(t.send);
  const fee = parseMoney(t.fee);
  const converted = parseMoney(t.converted);
  if (!isString(t.id) || !isString(t.type) || !isTransferStatus(t.status) || !send || !fee || !converted) return undefined;
  if (!isString(t.createdAt) || !isString(t.updatedAt) || !isRecord(t.receive)) return undefined;
  const c = value.customer;
  if (!isString(c.id) || !isString(c.kycStatus)) return undefined;
  const r = value.recipient;
  let recipient: TransferDetail['recipient'] = null;
  if (r !== null) {
    if (!isRecord(r) || !isString(r.id) || !isString(r.name) || !isString(r.country) || !isString(r.currency)) return undefined;
    const details = isRecord(r.details)
      ? Object.fromEntries(Object.entries(r.details).filter((entry): entry is [string, string] => isString(entry[1])))
      : {};
    recipient = {
      id: r.id,
      name: r.name,
      country: r.country,
      currency: r.currency,
      rail: optionalString(r.rail) ?? '',
      relationship: optionalString(r.relationship) ?? '',
      display: optionalString(r.display) ?? '',
      details,
      deletedAt: optionalString(r.deletedAt),
    };
  }
  const timeline = listOf(parseTransferEvent)(value.timeline);
  const postings = listOf(parsePosting)(value.postings);
  const bankEntries = listOf(parseBankEntry)(value.bankEntries);
  if (!timeline || !postings || !bankEntries) return undefined;
  const payout = value.payout === null ? null : parsePayout(value.payout);
  const customerRefund = value.customerRefund === null ? null : parseCustomerRefund(value.customerRefund);
  if (payout === undefined || customerRefund === undefined) return undefined;
  return {
    transfer: {
      id: t.id,
      type: t.type,
      status: t.status,
      heldFrom: isTransferStatus(t.heldFrom) ? t.heldFrom : null,
      send,
      fee,
      converted,
      receive: { amount: optionalString(t.receive.amount), currency: optionalString(t.receive.currency) },
      rate: optionalString(t.rate),
      quoteId: optionalString(t.quoteId),
      kid: optionalString(t.kid),
      failureReason: optionalString(t.failureReason),
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
    },
    customer: {
      id: c.id,
      name: optionalString(c.name),
      email: optionalString(c.email),
      kycStatus: c.kycStatus,
      deletedAt: optionalString(c.deletedAt),
    },
    recipient,
    timeline,
    postings,
    payout,
    bankEntries,
    customerRefund,
  };
}

function parseBalance(value: unknown): LedgerBalance | undefined {
  if (!isRecord(value)) return undefined;
  const { purpose, currency, accounts, debitsPending, debitsPosted, creditsPending, creditsPosted, postedNet } = value;
  if (!isPurpose(purpose) || !isString(currency) || typeof accounts !== 'number') return undefined;
  if (!isString(debitsPending) || !isString(debitsPosted) || !isString(creditsPending) || !isString(creditsPosted) || !isString(postedNet))
    return undefined;
  return { purpose, currency, accounts, debitsPending, debitsPosted, creditsPending, creditsPosted, postedNet };
}

function parseLedger(value: unknown): LedgerSummary | undefined {
  if (!isRecord(value) || !isRecord(value.report)) return undefined;
  const { ok, accounts, postings, transfers, violations } = value.report;
  if (typeof ok !== 'boolean' || typeof accounts !== 'number' || typeof postings !== 'number' || typeof transfers !== 'number')
    return undefined;
  if (!Array.isArray(violations)) return undefined;
  const balances = listOf(parseBalance)(value.balances);
  if (!balances) return undefined;
  return {
    report: {
      ok,
      accounts,
      postings,
      transfers,
      violations: violations.filter(isRecord).map((violation) => ({
        invariant: isString(violation.invariant) ? violation.invariant : '',
        detail: isRecord(violation.detail) ? violation.detail : {},
      })),
    },
    balances,
  };
}

const isReason = (value: unknown): value is PaymentExceptionReason => PAYMENT_EXCEPTION_REASONS.includes(value as PaymentExceptionReason);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

function parsePaymentException(value: unknown): PaymentException | undefined {
  if (!isRecord(value)) return undefined;
  const {
    id,
    reason,
    amount,
    currency,
    kid,
    message,
    debtorName,
    debtorAccount,
    bookingDate,
    reference,
    fileId,
    transactionId,
    createdAt,
  } = value;
  if (!isString(id) || !isReason(reason) || !isString(amount) || !isString(currency) || !isString(reference)) return undefined;
  if (!isString(fileId) || !isString(createdAt)) return undefined;
  return {
    id,
    reason,
    amount,
    currency,
    kid: optionalString(kid),
    message: optionalString(message),
    debtorName: optionalString(debtorName),
    debtorAccount: optionalString(debtorAccount),
    bookingDate: optionalString(bookingDate),
    reference,
    fileId,
    transactionId: optionalString(transactionId),
    createdAt,
  };
}

function parseImportSummary(value: unknown): BankImportSummary | undefined {
  if (!isRecord(value)) return undefined;
  const { fileId, alreadyImported, kind, messageId, entries, alreadySeen, notBooked, funded, exceptions, debits } = value;
  if (!isString(fileId) || typeof alreadyImported !== 'boolean' || (kind !== 'camt.053' && kind !== 'camt.054')) return undefined;
  if (!isString(messageId) || !isCount(entries) || !isCount(alreadySeen) || !isCount(notBooked) || !isCount(debits)) return undefined;
  const fundedRows = listOf((row: unknown) =>
    isRecord(row) && isString(row.entryId) && isString(row.transactionId) && isString(row.amount) && isString(row.kid)
      ? { entryId: row.entryId, transactionId: row.transactionId, amount: row.amount, kid: row.kid }
      : undefined,
  )(funded);
  const exceptionRows = listOf((row: unknown) =>
    isRecord(row) && isString(row.entryId) && isReason(row.reason) && isString(row.amount) && isString(row.currency)
      ? { entryId: row.entryId, reason: row.reason, amount: row.amount, currency: row.currency, kid: optionalString(row.kid) }
      : undefined,
  )(exceptions);
  if (!fundedRows || !exceptionRows) return undefined;
  return {
    fileId,
    alreadyImported,
    kind,
    messageId,
    entries,
    alreadySeen,
    notBooked,
    funded: fundedRows,
    exceptions: exceptionRows,
    debits,
  };
}

function parseBankFile(value: unknown): BankFileRecord | undefined {
  if (!isRecord(value)) return undefined;
  const { id, kind, messageId, fileName, importedBy, importedAt, summary } = value;
  if (!isString(id) || !isString(kind) || !isString(messageId) || !isString(importedBy) || !isString(importedAt)) return undefined;
  const parsed = parseImportSummary(summary);
  if (!parsed) return undefined;
  return { id, kind, messageId, fileName: optionalString(fileName), importedBy, importedAt, summary: parsed };
}

function parseMatched(value: unknown): { entryId: string; transactionId: string; refunded: string | null } | undefined {
  if (!isRecord(value) || !isString(value.entryId) || !isString(value.transactionId)) return undefined;
  return { entryId: value.entryId, transactionId: value.transactionId, refunded: optionalString(value.refunded) };
}

function parseRefunded(value: unknown): { entryId: string; refundedTo: string; amount: string; currency: string } | undefined {
  if (!isRecord(value) || !isString(value.entryId) || !isString(value.refundedTo)) return undefined;
  if (!isString(value.amount) || !isString(value.currency)) return undefined;
  return { entryId: value.entryId, refundedTo: value.refundedTo, amount: value.amount, currency: value.currency };
}

// ---------------------------------------------------------------------------------------------
// The calls
// ---------------------------------------------------------------------------------------------

/** `GET /api/staff/me`: the signed-in staff member, or `unauthenticated`. */
export function fetchStaffMe(signal?: AbortSignal): Promise<StaffResult<StaffMe>> {
  return call('GET', '/api/staff/me', { parse: parseMe, signal });
}

/** `POST /api/staff/login`: sets the `__Host-drop_staff` cookie. Errors: INVALID_CREDENTIALS, ACCOUNT_LOCKED, RATE_LIMITED. */
export function staffLogin(input: { email: string; password: string; totp: string }): Promise<StaffResult<void>> {
  return call('POST', '/api/staff/login', { body: input, credentials: true });
}

/** `POST /api/staff/logout`: ends this staff session. */
export function staffLogout(): Promise<StaffResult<void>> {
  return call('POST', '/api/staff/logout', { body: {} });
}

/** `GET /api/staff/enrolment/:token`: the account behind an enrolment link (ENROLMENT_INVALID when used or expired). */
export function fetchEnrolment(token: string, signal?: AbortSignal): Promise<StaffResult<Enrolment>> {
  return call('GET', `/api/staff/enrolment/${encodeURIComponent(token)}`, { parse: parseEnrolment, signal, credentials: true });
}

/** `POST /api/staff/enrolment`: sets the password; the first code proves the authenticator app works. */
export function completeEnrolment(input: { token: string; password: string; totp: string }): Promise<StaffResult<void>> {
  return call('POST', '/api/staff/enrolment', { body: input, credentials: true });
}

export function fetchKycQueue(signal?: AbortSignal): Promise<StaffResult<KycCase[]>> {
  return call('GET', '/api/staff/kyc-queue', { parse: listOf(parseKycCase), signal });
}

/** A customer's verification history: provider events and decisions, oldest first (permission `kyc_queue`). */
export function fetchKycHistory(userId: string, signal?: AbortSignal): Promise<StaffResult<KycHistoryEntry[]>> {
  return call('GET', `/api/staff/kyc/${encodeURIComponent(userId)}`, { parse: listOf(parseKycHistoryEntry), signal });
}

/**
 * Records a compliance officer's own decision with the reason (permission `kyc_decide`). Errors:
 * NOT_FOUND (the customer has not started verification), VALIDATION_FAILED (note of 5–2000 characters).
 */
export function decideKyc(
  userId: string,
  input: { decision: KycDecision; note: string },
): Promise<StaffResult<{ from: string; to: string }>> {
  return call('POST', `/api/staff/kyc/${encodeURIComponent(userId)}/decision`, { body: input, parse: parseDecisionResult });
}

export function fetchAmlAlerts(signal?: AbortSignal): Promise<StaffResult<AmlAlert[]>> {
  return call('GET', '/api/staff/aml-alerts', { parse: listOf(parseAlert), signal });
}

export function searchCustomers(query: string, signal?: AbortSignal): Promise<StaffResult<CustomerSummary[]>> {
  return call('GET', `/api/staff/customers?query=${encodeURIComponent(query)}`, { parse: listOf(parseCustomer), signal });
}

/** Ends every live session of a customer (permission `revoke_customer_sessions`: support and admin; others get FORBIDDEN). */
export function revokeCustomerSessions(customerId: string): Promise<StaffResult<{ sessionsEnded: number }>> {
  return call('POST', `/api/staff/customers/${encodeURIComponent(customerId)}/revoke-sessions`, { body: {}, parse: parseRevoked });
}

export function fetchAuditLog(limit = 50, signal?: AbortSignal): Promise<StaffResult<AuditEntry[]>> {
  return call('GET', `/api/staff/audit-log?limit=${limit}`, { parse: listOf(parseAuditEntry), signal });
}

/** One of the runbook's transfer lists (permission `transfers_view`), optionally for one customer. */
export function fetchTransfers(view: TransferView, customerId: string, signal?: AbortSignal): Promise<StaffResult<TransferList>> {
  const query = new URLSearchParams({ view, ...(customerId ? { customerId } : {}) });
  return call('GET', `/api/staff/transfers?${query}`, { parse: parseTransferList, signal });
}

/** One transfer with customer, recipient, timeline and ledger postings (NOT_FOUND when there is none). */
export function fetchTransfer(id: string, signal?: AbortSignal): Promise<StaffResult<TransferDetail>> {
  return call('GET', `/api/staff/transfers/${encodeURIComponent(id)}`, { parse: parseTransferDetail, signal });
}

/** The ledger check and balances (permission `ledger_view`: admins). */
export function fetchLedger(signal?: AbortSignal): Promise<StaffResult<LedgerSummary>> {
  return call('GET', '/api/staff/ledger', { parse: parseLedger, signal });
}

/** Payments that could not fund a transfer by themselves, oldest first (permission `payments_view`). */
export function fetchPaymentExceptions(limit: number, signal?: AbortSignal): Promise<StaffResult<PaymentException[]>> {
  return call('GET', `/api/staff/payment-exceptions?limit=${limit}`, { parse: listOf(parsePaymentException), signal });
}

/** Imported bank files, newest first, with what each import did (permission `payments_view`). */
export function fetchBankFiles(limit: number, signal?: AbortSignal): Promise<StaffResult<BankFileRecord[]>> {
  return call('GET', `/api/staff/bank-files?limit=${limit}`, { parse: listOf(parseBankFile), signal });
}

/** A header value fetch accepts (Latin-1 only): other characters become `_`, at most 200 of them. */
function headerSafe(name: string): string {
  return name.replace(/[^\x20-\x7e\xa0-\xff]/g, '_').slice(0, 200);
}

/**
 * Imports a camt.053 statement or camt.054 notification, sent as the file's bytes (permission
 * `payments_manage`). The same file twice answers with the first import (`alreadyImported`). Errors:
 * BANK_FILE_INVALID (malformed or truncated) and BANK_ACCOUNT_MISMATCH (another account), with a
 * `detail` naming the problem; nothing of a refused file is imported.
 */
export function uploadBankFile(file: Blob, fileName: string): Promise<StaffResult<BankImportSummary>> {
  return call('POST', '/api/staff/bank-files', {
    upload: { bytes: file, contentType: 'application/xml', headers: { 'x-file-name': headerSafe(fileName) } },
    parse: parseImportSummary,
  });
}

/**
 * Funds a transfer from a queued payment; any amount beyond the transfer goes back to the payer
 * (permission `payments_manage`). Errors: PAYMENT_AMOUNT_MISMATCH, BANK_ENTRY_STATE_INVALID,
 * TRANSFER_STATE_INVALID, VALIDATION_FAILED (`details.field` 'refundTo'), NOT_FOUND.
 */
export function matchPayment(
  entryId: string,
  input: { transactionId: string; note: string; refundExcessTo?: string },
): Promise<StaffResult<{ entryId: string; transactionId: string; refunded: string | null }>> {
  return call('POST', `/api/staff/payment-exceptions/${encodeURIComponent(entryId)}/match`, { body: input, parse: parseMatched });
}

/** Sends a queued payment back to the payer (permission `payments_manage`); by default to the account that paid. */
export function refundPayment(
  entryId: string,
  input: { note: string; refundTo?: string },
): Promise<StaffResult<{ entryId: string; refundedTo: string; amount: string; currency: string }>> {
  return call('POST', `/api/staff/payment-exceptions/${encodeURIComponent(entryId)}/refund`, { body: input, parse: parseRefunded });
}
