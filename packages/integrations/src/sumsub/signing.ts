/**
 * Sumsub's two HMAC schemes (docs.sumsub.com, "Authentication" and "Webhook manager").
 *
 * Requests to Sumsub carry X-App-Token, X-App-Access-Ts (Unix seconds) and X-App-Access-Sig:
 * lowercase hex HMAC-SHA256, keyed with the app's secret key, over
 * `ts + METHOD + path-with-query + body`.
 *
 * Webhooks from Sumsub carry X-Payload-Digest: hex HMAC of the raw body, keyed with the webhook
 * secret, with the algorithm named in X-Payload-Digest-Alg. Drop accepts SHA-256 and SHA-512 only
 * (never SHA-1, never an unknown name) and compares in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function requestSignature(secretKey: string, input: { ts: number; method: string; path: string; body?: string | Buffer }): string {
  const hmac = createHmac('sha256', secretKey).update(`${input.ts}${input.method.toUpperCase()}${input.path}`);
  if (input.body !== undefined && input.body.length > 0) hmac.update(input.body);
  return hmac.digest('hex');
}

export function signedRequestHeaders(
  appToken: string,
  secretKey: string,
  input: { method: string; path: string; body?: string; now?: number },
) {
  const ts = Math.floor((input.now ?? Date.now()) / 1000);
  return {
    'X-App-Token': appToken,
    'X-App-Access-Ts': String(ts),
    'X-App-Access-Sig': requestSignature(secretKey, { ts, method: input.method, path: input.path, body: input.body }),
  };
}

/** True when the request's signature is right and its timestamp within `toleranceSeconds` of now. */
export function verifyRequestSignature(
  secretKey: string,
  input: {
    ts: string | undefined;
    signature: string | undefined;
    method: string;
    path: string;
    body?: string | Buffer;
    now?: number;
    toleranceSeconds?: number;
  },
): boolean {
  const ts = Number(input.ts);
  if (!Number.isInteger(ts) || !input.signature) return false;
  if (Math.abs(Math.floor((input.now ?? Date.now()) / 1000) - ts) > (input.toleranceSeconds ?? 300)) return false;
  return hexEquals(requestSignature(secretKey, { ts, method: input.method, path: input.path, body: input.body }), input.signature);
}

export const WEBHOOK_DIGEST_ALGORITHMS = { HMAC_SHA256_HEX: 'sha256', HMAC_SHA512_HEX: 'sha512' } as const;
export type WebhookDigestAlgorithm = keyof typeof WEBHOOK_DIGEST_ALGORITHMS;

export function webhookDigest(secret: string, algorithm: WebhookDigestAlgorithm, rawBody: Buffer | string): string {
  return createHmac(WEBHOOK_DIGEST_ALGORITHMS[algorithm], secret).update(rawBody).digest('hex');
}

export type WebhookVerdict =
  | { ok: true; algorithm: WebhookDigestAlgorithm }
  | { ok: false; reason: 'missing_digest' | 'algorithm_not_allowed' | 'digest_mismatch' };

/** Checks a webhook's digest over the exact bytes received. */
export function verifyWebhookDigest(
  secret: string,
  rawBody: Buffer,
  digest: string | undefined,
  algorithm: string | undefined,
): WebhookVerdict {
  if (!digest) return { ok: false, reason: 'missing_digest' };
  const name = algorithm ?? 'HMAC_SHA256_HEX';
  if (!Object.hasOwn(WEBHOOK_DIGEST_ALGORITHMS, name)) return { ok: false, reason: 'algorithm_not_allowed' };
  const expected = webhookDigest(secret, name as WebhookDigestAlgorithm, rawBody);
  return hexEquals(expected, digest) ? { ok: true, algorithm: name as WebhookDigestAlgorithm } : { ok: false, reason: 'digest_mismatch' };
}

/** Constant-time comparison of two hex strings (timingSafeEqual needs equal lengths: check first). */
function hexEquals(expected: string, given: string): boolean {
  const a = Buffer.from(expected.toLowerCase(), 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
