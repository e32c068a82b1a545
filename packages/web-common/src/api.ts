/**
 * The slice of Drop's HTTP API the web apps use: `GET /api/health`, the signed-in customer
 * (`/api/me`, sessions, sign-out) and their identity verification (`/api/kyc`).
 */

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
/** A refused or failed call: status 0 with NETWORK_ERROR or TIMEOUT when no answer came. */
export interface ApiProblem {
  kind: 'error';
  status: number;
  code: string;
  detail?: string;
  details?: Record<string, unknown>;
}

/** `replayed` when the server answered an idempotent retry with its first response. */
export type ApiResult<T> = { kind: 'ok'; data: T; replayed?: boolean } | { kind: 'unauthenticated'; blocked?: true } | ApiProblem;

async function problemOf(response: Response): Promise<ApiProblem> {
  const body: unknown = await response.json().catch(() => undefined);
  const problem = isRecord(body) ? body : {};
  return {
    kind: 'error',
    status: response.status,
    code: typeof problem.code === 'string' ? problem.code : `HTTP_${response.status}`,
    ...(typeof problem.detail === 'string' ? { detail: problem.detail } : {}),
    ...(isRecord(problem.details) ? { details: problem.details } : {}),
  };
}

/** The one way both apps' API clients call Drop: same-origin, no cache, a deadline, problem+json read. */
export async function callApi<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options: {
    body?: unknown;
    signal?: AbortSignal;
    headers?: Record<string, string>;
    timeoutMs?: number;
    parse?: (data: unknown) => T | undefined;
  } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const timeout = AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS);
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
  if (response.status === 401) {
    const problem = await problemOf(response);
    return problem.code === 'ACCOUNT_BLOCKED' ? { kind: 'unauthenticated', blocked: true } : { kind: 'unauthenticated' };
  }
  if (!response.ok) return problemOf(response);
  const replayed = response.headers.get('idempotent-replayed') === 'true';
  if (!options.parse) return { kind: 'ok', data: undefined as T };
  const body: unknown = await response.json().catch(() => undefined);
  const data = options.parse(isRecord(body) ? body.data : undefined);
  if (data === undefined) return { kind: 'error', status: response.status, code: 'INVALID_RESPONSE' };
  return replayed ? { kind: 'ok', data, replayed } : { kind: 'ok', data };
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

// ---------------------------------------------------------------------------------------------
// Identity verification (KYC): status and limits, starting the provider's WebSDK, and the
// enhanced due diligence question.
// ---------------------------------------------------------------------------------------------

/** `GET /api/kyc`. Amounts are whole NOK as decimal strings, so no float ever touches them. */
export interface KycOverview {
  status: KycStatus;
  /** 0: not verified; 1: verified; 2: verified with enhanced due diligence (higher limits). */
  tier: number;
  canSend: boolean;
  rejectType: 'FINAL' | 'RETRY' | null;
  /** The provider's message for the customer: what to fix on RETRY. */
  message: string | null;
  sourceOfFundsDeclared: boolean;
  limitsNok: { perTransfer: string; thirtyDays: string; twelveMonths: string };
  usedNok: { thirtyDays: string; twelveMonths: string };
}

/**
 * `POST /api/kyc/start`: a token for the WebSDK and the builder script to embed it with (Sumsub's
 * own in production, the local simulator's – same JS API – in development and tests).
 */
export interface KycStart {
  accessToken: string;
  levelName: string;
  webSdkScriptUrl: string;
}

const isNok = (value: unknown): value is string => typeof value === 'string' && /^\d+$/.test(value);

function parseKyc(value: unknown): KycOverview | undefined {
  if (!isRecord(value)) return undefined;
  const { status, tier, canSend, rejectType, message, sourceOfFundsDeclared, limitsNok, usedNok } = value;
  if (!KYC_STATUSES.includes(status as KycStatus) || typeof tier !== 'number' || typeof canSend !== 'boolean') return undefined;
  if (!(rejectType === null || rejectType === 'FINAL' || rejectType === 'RETRY') || !isStringOrNull(message)) return undefined;
  if (typeof sourceOfFundsDeclared !== 'boolean' || !isRecord(limitsNok) || !isRecord(usedNok)) return undefined;
  if (![limitsNok.perTransfer, limitsNok.thirtyDays, limitsNok.twelveMonths, usedNok.thirtyDays, usedNok.twelveMonths].every(isNok)) {
    return undefined;
  }
  return value as unknown as KycOverview;
}

function parseKycStart(value: unknown): KycStart | undefined {
  if (!isRecord(value)) return undefined;
  const { accessToken, levelName, webSdkScriptUrl } = value;
  if (typeof accessToken !== 'string' || typeof levelName !== 'string' || typeof webSdkScriptUrl !== 'string') return undefined;
  return { accessToken, levelName, webSdkScriptUrl };
}

/** `GET /api/kyc`: the customer's verification status, tier and limits. */
export function fetchKyc(signal?: AbortSignal): Promise<ApiResult<KycOverview>> {
  return callApi('GET', '/api/kyc', { parse: parseKyc, ...(signal ? { signal } : {}) });
}

/** `POST /api/kyc/start`: starts or resumes verification. Errors: 403 KYC_REJECTED, 409 CONFLICT (already approved). */
export function startKyc(): Promise<ApiResult<KycStart>> {
  return callApi('POST', '/api/kyc/start', { parse: parseKycStart });
}

/** `POST /api/kyc/source-of-funds`: where the money the customer sends comes from (10–500 characters). */
export function declareSourceOfFunds(source: string): Promise<ApiResult<void>> {
  return callApi('POST', '/api/kyc/source-of-funds', { body: { source } });
}
