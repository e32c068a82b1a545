/**
 * The slice of Drop's HTTP API the web apps use: `GET /api/health`, the signed-in customer
 * (`/api/me`, sessions, sign-out) and their identity verification (`/api/kyc`). The shapes are
 * @drop/contracts' schemas; answers are parsed with them.
 */
import {
  type CheckStatus,
  type CustomerDataRequest,
  customerDataRequest,
  type EmailSettings,
  emailSettings,
  envelope,
  erasureRequestAnswer,
  type HealthReport,
  healthReport,
  KYC_STATUSES,
  type KycOverview,
  type KycStart,
  type KycStatus,
  kycOverview,
  kycStart,
  type Me,
  type MySession,
  me,
  mySession,
} from '@drop/contracts';
import { z } from 'zod';
import { type ApiProblem, type ApiResult, callApi } from './client.ts';
import type { Locale } from './locale.ts';

export type {
  ApiProblem,
  ApiResult,
  CheckStatus,
  CustomerDataRequest,
  EmailSettings,
  HealthReport,
  KycOverview,
  KycStart,
  KycStatus,
  Me,
  MySession,
};
export { KYC_STATUSES };

/** One probe of `/api/health`: the server's own report (200 or 503), or why there is none. */
export type HealthResult =
  | { kind: 'report'; report: HealthReport; httpStatus: number; roundTripMs: number; checkedAt: Date }
  | { kind: 'unreachable'; reason: string; checkedAt: Date };

const TIMEOUT_MS = 8000;
const healthAnswer = envelope(healthReport);

/** `GET /api/health`: unlike other calls, a 503 carries a report too (the database is down). */
export async function fetchHealth(signal?: AbortSignal): Promise<HealthResult> {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  const started = performance.now();
  try {
    const response = await fetch('/api/health', {
      headers: { accept: 'application/json' },
      cache: 'no-store',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const parsed = healthAnswer.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) return { kind: 'unreachable', reason: `HTTP ${response.status}`, checkedAt: new Date() };
    return {
      kind: 'report',
      report: parsed.data.data,
      httpStatus: response.status,
      roundTripMs: performance.now() - started,
      checkedAt: new Date(),
    };
  } catch (error) {
    if (signal?.aborted) throw error;
    const reason = timeout.aborted ? 'timeout' : error instanceof Error ? error.message : String(error);
    return { kind: 'unreachable', reason, checkedAt: new Date() };
  }
}

// ---------------------------------------------------------------------------------------------
// The signed-in customer: `/api/me`, their sessions, and signing out.
// ---------------------------------------------------------------------------------------------

/** `GET /api/me`: the signed-in customer, or `unauthenticated`. */
export function fetchMe(signal?: AbortSignal): Promise<ApiResult<Me>> {
  return callApi({ path: '/api/me', signal }, me);
}

/** `PUT /api/me/language`: keeps the language the customer switched to, for the emails and receipts Drop sends them. */
export function saveMyLanguage(language: Locale): Promise<ApiResult<void>> {
  return callApi({ method: 'PUT', path: '/api/me/language', body: { language } });
}

/** `GET /api/me/sessions`: the customer's live sessions, the current one marked. */
export function fetchMySessions(signal?: AbortSignal): Promise<ApiResult<MySession[]>> {
  return callApi({ path: '/api/me/sessions', signal }, z.array(mySession));
}

/** `DELETE /api/me/sessions/:id`: ends one of the customer's sessions (another device). */
export function endSession(id: string): Promise<ApiResult<void>> {
  return callApi({ method: 'DELETE', path: `/api/me/sessions/${encodeURIComponent(id)}` });
}

/** `POST /api/auth/logout`: ends this session and clears the cookie. */
export function logout(): Promise<ApiResult<void>> {
  return callApi({ method: 'POST', path: '/api/auth/logout' });
}

/** `POST /api/auth/logout-everywhere`: ends every session of the customer, this one included. */
export function logoutEverywhere(): Promise<ApiResult<void>> {
  return callApi({ method: 'POST', path: '/api/auth/logout-everywhere' });
}

// ---------------------------------------------------------------------------------------------
// Identity verification (KYC): status and limits, starting the provider's WebSDK, and the
// enhanced due diligence question.
// ---------------------------------------------------------------------------------------------

/** `GET /api/kyc`: the customer's verification status, tier and limits. */
export function fetchKyc(signal?: AbortSignal): Promise<ApiResult<KycOverview>> {
  return callApi({ path: '/api/kyc', signal }, kycOverview);
}

/** `POST /api/kyc/start`: starts or resumes verification. Errors: 403 KYC_REJECTED, 409 CONFLICT (already approved). */
export function startKyc(): Promise<ApiResult<KycStart>> {
  return callApi({ method: 'POST', path: '/api/kyc/start' }, kycStart);
}

/** `POST /api/kyc/source-of-funds`: where the money the customer sends comes from (10–500 characters). */
export function declareSourceOfFunds(source: string): Promise<ApiResult<void>> {
  return callApi({ method: 'POST', path: '/api/kyc/source-of-funds', body: { source } });
}

// ---------------------------------------------------------------------------------------------
// Privacy (issue 14): the customer's requests, and asking to be forgotten. The data export itself
// is a download (`GET /api/user/data-export`, `?format=zip`), fetched by the privacy page.
// ---------------------------------------------------------------------------------------------

/** `GET /api/user/data-requests`: the customer's privacy requests (exports, erasure…), newest first. */
export function fetchMyDataRequests(signal?: AbortSignal): Promise<ApiResult<CustomerDataRequest[]>> {
  return callApi({ path: '/api/user/data-requests', signal }, z.array(customerDataRequest));
}

/**
 * `POST /api/user/erasure-request`: asks Drop to delete the account. Access ends at once (the
 * sessions are revoked); what AML law requires is kept five years, then deleted. Answers the
 * recorded request.
 */
export function requestErasure(): Promise<ApiResult<CustomerDataRequest>> {
  return callApi({ method: 'POST', path: '/api/user/erasure-request', body: {} }, erasureRequestAnswer);
}

// ---------------------------------------------------------------------------------------------
// The customer's email address and email choices (issue 16). Every call answers the whole state.
// ---------------------------------------------------------------------------------------------

/** `GET /api/me/email`: the verified address, the one waiting for its code, and the email choices. */
export function fetchEmailSettings(signal?: AbortSignal): Promise<ApiResult<EmailSettings>> {
  return callApi({ path: '/api/me/email', signal }, emailSettings);
}

/** `POST /api/me/email`: sends a code to `email`. Errors: 400, 409 CONFLICT, 429 EMAIL_RESEND_TOO_SOON, 502 EMAIL_SEND_FAILED. */
export function requestEmailChange(email: string, locale: 'nb' | 'en'): Promise<ApiResult<EmailSettings>> {
  return callApi({ method: 'POST', path: '/api/me/email', body: { email, locale } }, emailSettings);
}

/** `POST /api/me/email/resend`: a new code. Errors: 409 EMAIL_NOT_PENDING, 429 EMAIL_RESEND_TOO_SOON. */
export function resendEmailCode(): Promise<ApiResult<EmailSettings>> {
  return callApi({ method: 'POST', path: '/api/me/email/resend', body: {} }, emailSettings);
}

/** `POST /api/me/email/verify`. Errors: EMAIL_CODE_INVALID, EMAIL_CODE_LOCKED, EMAIL_CODE_EXPIRED, EMAIL_NOT_PENDING, EMAIL_IN_USE. */
export function verifyEmailCode(code: string): Promise<ApiResult<EmailSettings>> {
  return callApi({ method: 'POST', path: '/api/me/email/verify', body: { code } }, emailSettings);
}

/** `DELETE /api/me/email/pending`: withdraws the address waiting for its code. */
export function cancelEmailChange(): Promise<ApiResult<EmailSettings>> {
  return callApi({ method: 'DELETE', path: '/api/me/email/pending' }, emailSettings);
}

/** `PUT /api/me/notifications`: which optional emails the customer gets. */
export function saveNotificationPreferences(preferences: EmailSettings['notifications']): Promise<ApiResult<EmailSettings>> {
  return callApi({ method: 'PUT', path: '/api/me/notifications', body: preferences }, emailSettings);
}
