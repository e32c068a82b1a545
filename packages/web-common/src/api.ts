/** The slice of Drop's HTTP API the web apps use: `GET /api/health`, and the signed-in customer (`/api/me`, sign-out). */

export type CheckStatus = 'ok' | 'down';

export interface HealthReport {
  status: CheckStatus;
  version: string;
  /** Seconds since the server process started. */
  uptime: number;
  checks: {
    db: { status: CheckStatus; latencyMs: number | null; error?: string };
  };
}

/** One probe of `/api/health`: the server's own report (200 or 503), or why there is none. */
export type HealthResult =
  | { kind: 'report'; report: HealthReport; httpStatus: number; roundTripMs: number; checkedAt: Date }
  | { kind: 'unreachable'; reason: string; checkedAt: Date };

const TIMEOUT_MS = 8000;

function isStatus(value: unknown): value is CheckStatus {
  return value === 'ok' || value === 'down';
}

function isHealthReport(value: unknown): value is HealthReport {
  if (typeof value !== 'object' || value === null) return false;
  const report = value as Record<string, unknown>;
  const db = (report.checks as { db?: Record<string, unknown> } | undefined)?.db;
  return (
    isStatus(report.status) &&
    typeof report.version === 'string' &&
    typeof report.uptime === 'number' &&
    typeof db === 'object' &&
    db !== null &&
    isStatus(db.status) &&
    (db.latencyMs === null || typeof db.latencyMs === 'number')
  );
}

export async function fetchHealth(signal?: AbortSignal): Promise<HealthResult> {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  const started = performance.now();
  try {
    const response = await fetch('/api/health', {
      headers: { accept: 'application/json' },
      cache: 'no-store',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const body: unknown = await response.json().catch(() => undefined);
    const data = (body as { data?: unknown } | undefined)?.data;
    if (!isHealthReport(data)) {
      return { kind: 'unreachable', reason: `HTTP ${response.status}`, checkedAt: new Date() };
    }
    return { kind: 'report', report: data, httpStatus: response.status, roundTripMs: performance.now() - started, checkedAt: new Date() };
  } catch (error) {
    if (signal?.aborted) throw error;
    const reason = timeout.aborted ? 'timeout' : error instanceof Error ? error.message : String(error);
    return { kind: 'unreachable', reason, checkedAt: new Date() };
  }
}

// ---------------------------------------------------------------------------------------------
// The signed-in customer: `/api/me`, their sessions, and signing out.
// ---------------------------------------------------------------------------------------------

export type KycStatus = 'not_started' | 'pending' | 'approved' | 'rejected' | 'retry' | 'on_hold';

export const KYC_STATUSES: readonly KycStatus[] = ['not_started', 'pending', 'approved', 'rejected', 'retry', 'on_hold'];

/** `GET /api/me`: who is signed in. Dates are ISO strings as the API sends them. */
export interface Me {
  id: string;
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  /** YYYY-MM-DD */
  birthDate: string | null;
  email: string | null;
  kycStatus: KycStatus;
  createdAt: string;
}

/** One live session of the signed-in customer (`GET /api/me/sessions`). */
export interface MySession {
  id: string;
  /** True for the session this browser is using. */
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  /** The BankID authentication context class, e.g. `urn:bankid:bid;LOA=4`. */
  acr: string | null;
}

/**
 * The outcome of a customer API call: the data, "nobody is signed in" (401), or another failure
 * with the HTTP status and the problem document's `code` (status 0 and `NETWORK_ERROR` when the
 * server could not be reached, `INVALID_RESPONSE` when its answer was not what the API promises).
 */
export type ApiResult<T> = { kind: 'ok'; data: T } | { kind: 'unauthenticated' } | { kind: 'error'; status: number; code: string };

async function problemCode(response: Response): Promise<string> {
  const body: unknown = await response.json().catch(() => undefined);
  const code = (body as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : `HTTP_${response.status}`;
}

async function callApi<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options: { body?: unknown; signal?: AbortSignal; parse?: (body: unknown) => T | undefined } = {},
): Promise<ApiResult<T>> {
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
  if (response.status === 401) return { kind: 'unauthenticated' };
  if (!response.ok) return { kind: 'error', status: response.status, code: await problemCode(response) };
  if (!options.parse) return { kind: 'ok', data: undefined as T };
  const body: unknown = await response.json().catch(() => undefined);
  const data = options.parse((body as { data?: unknown } | undefined)?.data);
  return data === undefined ? { kind: 'error', status: response.status, code: 'INVALID_RESPONSE' } : { kind: 'ok', data };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isStringOrNull = (value: unknown): value is string | null => value === null || typeof value === 'string';

function parseMe(value: unknown): Me | undefined {
  if (!isRecord(value)) return undefined;
  const { id, name, givenName, familyName, birthDate, email, kycStatus, createdAt } = value;
  if (typeof id !== 'string' || typeof createdAt !== 'string') return undefined;
  if (![name, givenName, familyName, birthDate, email].every(isStringOrNull)) return undefined;
  if (!KYC_STATUSES.includes(kycStatus as KycStatus)) return undefined;
  return value as unknown as Me;
}

function parseSessions(value: unknown): MySession[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const valid = value.every(
    (session) =>
      isRecord(session) &&
      typeof session.id === 'string' &&
      typeof session.current === 'boolean' &&
      typeof session.createdAt === 'string' &&
      typeof session.lastSeenAt === 'string' &&
      typeof session.expiresAt === 'string' &&
      isStringOrNull(session.userAgent) &&
      isStringOrNull(session.acr),
  );
  return valid ? (value as MySession[]) : undefined;
}

/** `GET /api/me`: the signed-in customer, or `unauthenticated`. */
export function fetchMe(signal?: AbortSignal): Promise<ApiResult<Me>> {
  return callApi('GET', '/api/me', { parse: parseMe, ...(signal ? { signal } : {}) });
}

/** `GET /api/me/sessions`: the customer's live sessions, the current one marked. */
export function fetchMySessions(signal?: AbortSignal): Promise<ApiResult<MySession[]>> {
  return callApi('GET', '/api/me/sessions', { parse: parseSessions, ...(signal ? { signal } : {}) });
}

/** `DELETE /api/me/sessions/:id`: ends one of the customer's sessions (another device). */
export function endSession(id: string): Promise<ApiResult<void>> {
  return callApi('DELETE', `/api/me/sessions/${encodeURIComponent(id)}`);
}

/** `POST /api/auth/logout`: ends this session and clears the cookie. */
export function logout(): Promise<ApiResult<void>> {
  return callApi('POST', '/api/auth/logout');
}

/** `POST /api/auth/logout-everywhere`: ends every session of the customer, this one included. */
export function logoutEverywhere(): Promise<ApiResult<void>> {
  return callApi('POST', '/api/auth/logout-everywhere');
}
