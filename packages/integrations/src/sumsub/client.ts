/**
 * The real Sumsub client, to its published REST protocol: every request signed (see signing.ts),
 * JSON in and out, a deadline per attempt, and retries with exponential back-off on 429, 5xx and
 * network errors (honouring Retry-After). In development and tests `baseUrl` points at the local
 * simulator, which checks the same signatures.
 */
import { z } from 'zod';
import { signedRequestHeaders } from './signing.ts';
import { type Applicant, accessTokenSchema, applicantSchema } from './types.ts';

export class SumsubError extends Error {
  readonly status: number;
  readonly description: string | undefined;
  constructor(status: number, message: string, description?: string) {
    super(message);
    this.name = 'SumsubError';
    this.status = status;
    this.description = description;
  }
}

export interface SumsubClientOptions {
  baseUrl: string;
  appToken: string;
  secretKey: string;
  timeoutMs?: number;
  maxAttempts?: number;
  /** Base delay of the back-off; tests make it small. */
  retryBaseMs?: number;
}

export interface SumsubClient {
  createApplicant(input: { externalUserId: string; levelName: string; fixedInfo?: Record<string, string> }): Promise<Applicant>;
  findApplicantByExternalUserId(externalUserId: string): Promise<Applicant | undefined>;
  getApplicant(applicantId: string): Promise<Applicant>;
  createAccessToken(input: { externalUserId: string; levelName: string; ttlInSecs: number }): Promise<{ token: string; userId: string }>;
  /** Sumsub's "Reject applicant": RED, FINAL, label EXTERNAL_DECISION_REJECTION. The note is logged at Sumsub. */
  rejectApplicant(applicantId: string, input: { note: string }): Promise<void>;
}

export function createSumsubClient(options: SumsubClientOptions): SumsubClient {
  const base = options.baseUrl.replace(/\/$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxAttempts = options.maxAttempts ?? 4;
  const retryBaseMs = options.retryBaseMs ?? 250;

  async function call<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let retryAfterMs: number | undefined;
      try {
        const response = await fetch(`${base}${path}`, {
          method,
          headers: {
            accept: 'application/json',
            ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
            ...signedRequestHeaders(options.appToken, options.secretKey, { method, path, body: payload }),
          },
          body: payload,
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await response.text();
        if (response.ok) return schema.parse(JSON.parse(text));
        const description = safeDescription(text);
        lastError = new SumsubError(response.status, `Sumsub ${method} ${path.split('?')[0]} answered ${response.status}`, description);
        if (response.status !== 429 && response.status < 500) throw lastError;
        const retryAfter = Number(response.headers.get('retry-after'));
        if (Number.isFinite(retryAfter) && retryAfter > 0) retryAfterMs = Math.min(retryAfter * 1000, 30_000);
      } catch (error) {
        if (error instanceof SumsubError && error.status !== 429 && error.status < 500) throw error;
        if (!(error instanceof SumsubError))
          lastError = new SumsubError(0, `Sumsub ${method} ${path.split('?')[0]} failed: ${(error as Error).message}`);
      }
      if (attempt < maxAttempts) await new Promise((resolve) => setTimeout(resolve, retryAfterMs ?? retryBaseMs * 2 ** (attempt - 1)));
    }
    throw lastError ?? new SumsubError(0, 'Sumsub request failed');
  }

  return {
    createApplicant: ({ externalUserId, levelName, fixedInfo }) =>
      call('POST', `/resources/applicants?levelName=${encodeURIComponent(levelName)}`, applicantSchema, {
        externalUserId,
        ...(fixedInfo ? { fixedInfo } : {}),
      }),
    async findApplicantByExternalUserId(externalUserId) {
      try {
        return await call('GET', `/resources/applicants/-;externalUserId=${encodeURIComponent(externalUserId)}/one`, applicantSchema);
      } catch (error) {
        if (error instanceof SumsubError && error.status === 404) return undefined;
        throw error;
      }
    },
    getApplicant: (applicantId) => call('GET', `/resources/applicants/${encodeURIComponent(applicantId)}/one`, applicantSchema),
    async rejectApplicant(applicantId, input) {
      await call('POST', `/resources/applicants/${encodeURIComponent(applicantId)}/-/reject`, z.unknown(), { note: input.note });
    },
    // Sumsub names the applicant's external id `userId` here ("Generate access token").
    createAccessToken: (input) =>
      call('POST', '/resources/accessTokens/sdk', accessTokenSchema, {
        userId: input.externalUserId,
        levelName: input.levelName,
        ttlInSecs: input.ttlInSecs,
      }),
  };
}

function safeDescription(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { description?: unknown };
    return typeof parsed.description === 'string' ? parsed.description.slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}
