/**
 * The one HTTP client both web apps use to call Drop's API: same-origin, no cache, a deadline,
 * the `data` envelope parsed with the operation's response schema from @drop/contracts (the same
 * schema the server serialises with), and problem+json errors kept with their stable `code`.
 */
import { problemDocument } from '@drop/contracts';
import type { z } from 'zod';

/** A refused or failed call: status 0 with NETWORK_ERROR or TIMEOUT when no answer came, INVALID_RESPONSE when the answer broke the contract. */
export interface ApiProblem {
  kind: 'error';
  status: number;
  code: string;
  /** The problem's human-readable `detail`, when the server sent one (in English). */
  detail?: string;
  /** The problem's machine-readable particulars (`field`, amounts, …). */
  details?: Record<string, unknown>;
  /** `Retry-After` in seconds, when the server sent it (rate limits, locked accounts). */
  retryAfterSeconds?: number;
}

/**
 * The outcome of an API call: the data (`replayed` when the server answered an idempotent retry
 * with its first response), "nobody is signed in" (401; `blocked` when the account is blocked), or
 * a problem.
 */
export type ApiResult<T> = { kind: 'ok'; data: T; replayed?: boolean } | { kind: 'unauthenticated'; blocked?: true } | ApiProblem;

/** What to call: the operation's path and method, and what goes with it. */
export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  /** A file sent as the raw body instead of JSON, with its content type. */
  upload?: { bytes: Blob; contentType: string };
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  timeoutMs?: number;
  /** Sign-in and enrolment: a 401 is a wrong password or code (a problem), not a missing session. */
  credentials?: boolean;
}

const TIMEOUT_MS = 8000;

function retryAfter(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - Date.now()) / 1000));
}

async function problemOf(response: Response): Promise<ApiProblem> {
  const parsed = problemDocument.safeParse(await response.json().catch(() => undefined));
  const problem = parsed.success ? parsed.data : undefined;
  const seconds = retryAfter(response);
  return {
    kind: 'error',
    status: response.status,
    code: problem?.code ?? `HTTP_${response.status}`,
    ...(problem?.detail === undefined ? {} : { detail: problem.detail }),
    ...(problem?.details === undefined ? {} : { details: problem.details }),
    ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }),
  };
}

/**
 * Calls one API operation. With a schema, the answer's `data` must match it (else
 * INVALID_RESPONSE, naming the first mismatch in `detail`); without one, the answer has no body.
 */
export function callApi(request: ApiRequest): Promise<ApiResult<void>>;
export function callApi<S extends z.ZodType>(request: ApiRequest, schema: S): Promise<ApiResult<z.output<S>>>;
export async function callApi<S extends z.ZodType>(request: ApiRequest, schema?: S): Promise<ApiResult<z.output<S> | undefined>> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (request.upload) headers['content-type'] = request.upload.contentType;
  else if (request.body !== undefined) headers['content-type'] = 'application/json';
  const timeout = AbortSignal.timeout(request.timeoutMs ?? TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(request.path, {
      method: request.method ?? 'GET',
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: request.upload ? request.upload.bytes : request.body === undefined ? null : JSON.stringify(request.body),
      signal: request.signal ? AbortSignal.any([request.signal, timeout]) : timeout,
    });
  } catch (error) {
    if (request.signal?.aborted) throw error;
    return { kind: 'error', status: 0, code: timeout.aborted ? 'TIMEOUT' : 'NETWORK_ERROR' };
  }
  if (response.status === 401 && !request.credentials) {
    const problem = await problemOf(response);
    return problem.code === 'ACCOUNT_BLOCKED' ? { kind: 'unauthenticated', blocked: true } : { kind: 'unauthenticated' };
  }
  if (!response.ok) return problemOf(response);
  const replayed = response.headers.get('idempotent-replayed') === 'true';
  if (!schema) return { kind: 'ok', data: undefined };
  const body: unknown = await response.json().catch(() => undefined);
  // The envelope: `{ "data": … }`.
  const parsed = schema.safeParse(typeof body === 'object' && body !== null && 'data' in body ? body.data : undefined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const detail = issue ? `data.${issue.path.join('.')}: ${issue.message}` : 'The answer does not match the contract.';
    return { kind: 'error', status: response.status, code: 'INVALID_RESPONSE', detail };
  }
  return replayed ? { kind: 'ok', data: parsed.data, replayed } : { kind: 'ok', data: parsed.data };
}
