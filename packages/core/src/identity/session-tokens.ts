import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';

/**
 * Session tokens: compact JWTs, HS256, signed with a key that carries a key id (`kid`), so a new
 * signing key can be introduced while tokens signed with the old one still verify. Everything
 * about them is checked: algorithm (HS256 only: no `none`, no RS/HS confusion), `typ`, issuer,
 * audience, expiry, and the required claims. A BankID ID token fails on `typ`, issuer, audience
 * and algorithm alike. The token only names the session; the session row decides if it is live.
 */
export const SESSION_TOKEN_TYPE = 'drop-session+jwt';
export const SESSION_AUDIENCE = 'drop:customer-session';

export interface SigningKey {
  kid: string;
  /** A KeyObject, made once: jose would otherwise import raw key bytes again on every verify. */
  secret: KeyObject;
}

/** Where signing keys come from: the key new tokens are signed with, and any accepted key by id. */
export interface KeyRing {
  /** The signing key, as of now: a database ring reloads first, so no new token uses a retired key. */
  current(): Promise<SigningKey>;
  find(kid: string): Promise<SigningKey | undefined>;
}

export function envKeyId(secret: string): string {
  return `env-${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;
}

export function envSigningKey(secret: string): SigningKey {
  return { kid: envKeyId(secret), secret: createSecretKey(new TextEncoder().encode(secret)) };
}

/** The single-key ring from JWT_SECRET: its kid is derived from the secret, so it is stable across restarts. */
export function keyRingFromSecret(secret: string): KeyRing {
  const key = envSigningKey(secret);
  return { current: async () => key, find: async (kid) => (kid === key.kid ? key : undefined) };
}

export interface SessionClaims {
  userId: string;
  sessionId: string;
  expiresAt: Date;
}

export async function signSessionToken(ring: KeyRing, issuer: string, claims: SessionClaims): Promise<string> {
  const key = await ring.current();
  return new SignJWT({ sid: claims.sessionId })
    .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: SESSION_TOKEN_TYPE })
    .setIssuer(issuer)
    .setAudience(SESSION_AUDIENCE)
    .setSubject(claims.userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(claims.expiresAt.getTime() / 1000))
    .sign(key.secret);
}

interface VerifiedToken {
  userId: string;
  sessionId: string;
  kid: string;
  key: KeyObject;
  expiresAtMs: number;
}

/**
 * Tokens already verified, per key ring: every request carries the session token, and verifying
 * its HMAC through WebCrypto was a tenth of the server's CPU under load (bench:transfers). A hit
 * is only taken while the token is unexpired and its key is still the ring's key for that id, so
 * a retired or replaced key refuses the token at once, as a fresh verification would. Whether
 * the session is live is the database's answer on every request, cached or not.
 */
const verifiedTokens = new WeakMap<KeyRing, Map<string, VerifiedToken>>();
const VERIFIED_TOKENS_MAX = 10_000;

/** The verified claims, or undefined for any token that is not a live, well-formed session token of ours. */
export async function verifySessionToken(
  ring: KeyRing,
  issuer: string,
  token: string,
  now: () => number = Date.now,
): Promise<{ userId: string; sessionId: string } | undefined> {
  let cache = verifiedTokens.get(ring);
  if (!cache) {
    cache = new Map();
    verifiedTokens.set(ring, cache);
  }
  const cacheKey = `${issuer}\n${token}`;
  const hit = cache.get(cacheKey);
  if (hit) {
    if (hit.expiresAtMs > now() && (await ring.find(hit.kid))?.secret === hit.key) return { userId: hit.userId, sessionId: hit.sessionId };
    cache.delete(cacheKey);
  }
  try {
    let used: SigningKey | undefined;
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        used = header.kid ? await ring.find(header.kid) : undefined;
        if (!used) throw new joseErrors.JWSSignatureVerificationFailed('unknown key id');
        return used.secret;
      },
      {
        algorithms: ['HS256'],
        typ: SESSION_TOKEN_TYPE,
        issuer,
        audience: SESSION_AUDIENCE,
        requiredClaims: ['sub', 'sid', 'exp', 'iat'],
        currentDate: new Date(now()),
      },
    );
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || !used) return undefined;
    if (cache.size >= VERIFIED_TOKENS_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(cacheKey, {
      userId: payload.sub,
      sessionId: payload.sid,
      kid: used.kid,
      key: used.secret,
      expiresAtMs: (payload.exp as number) * 1000,
    });
    return { userId: payload.sub, sessionId: payload.sid };
  } catch {
    return undefined;
  }
}
