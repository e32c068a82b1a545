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

/**
 * The outcome of a staff API call: the data; "nobody is signed in" (401 on a signed-in call, so
 * the console shows its login page); or a failure with the HTTP status, the problem's `code`
 * (`NETWORK_ERROR`/`TIMEOUT` with status 0, `INVALID_RESPONSE` when the answer has the wrong
 * shape) and, when the server sent one, `Retry-After` in seconds.
 */
export type StaffResult<T> =
  | { kind: 'ok'; data: T }
  | { kind: 'unauthenticated' }
  | { kind: 'error'; status: number; code: string; retryAfterSeconds?: number };

const TIMEOUT_MS = 10_000;

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
  signal?: AbortSignal | undefined;
  parse?: (data: unknown) => T | undefined;
  /** Sign-in and enrolment: a 401 is a wrong password or code, not a missing session. */
  credentials?: boolean;
}

async function call<T>(method: 'GET' | 'POST', path: string, options: CallOptions<T> = {}): Promise<StaffResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: options.body === undefined ? null : JSON.stringify(options.body),
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
    return { kind: 'error', status: response.status, code, ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }) };
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
