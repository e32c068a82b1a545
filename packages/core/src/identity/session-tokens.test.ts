/**
 * The negative-token corpus (RFC 8725; ASVS 9.1, 9.2): every token that is not a live session
 * token of ours, signed with a key we hold, is refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import {
  envKeyId,
  keyRingFromSecret,
  SESSION_AUDIENCE,
  SESSION_TOKEN_TYPE,
  signSessionToken,
  verifySessionToken,
} from './session-tokens.ts';

const ISSUER = 'http://localhost:3000';
const SECRET = 'a-session-signing-secret-of-at-least-32-chars';
const ring = keyRingFromSecret(SECRET);
const KID = envKeyId(SECRET);
const inAnHour = () => new Date(Date.now() + 3600_000);
const claims = { userId: 'usr_01JAAAAAAAAAAAAAAAAAAAAAAA', sessionId: 'ses_01JAAAAAAAAAAAAAAAAAAAAAAA' };

function forge(overrides: { header?: Record<string, unknown>; payload?: Record<string, unknown>; secret?: string } = {}) {
  return new SignJWT({ sid: claims.sessionId, ...overrides.payload })
    .setProtectedHeader({ alg: 'HS256', kid: KID, typ: SESSION_TOKEN_TYPE, ...overrides.header } as { alg: string })
    .setIssuer((overrides.payload?.iss as string) ?? ISSUER)
    .setAudience((overrides.payload?.aud as string) ?? SESSION_AUDIENCE)
    .setSubject(claims.userId)
    .setIssuedAt()
    .setExpirationTime((overrides.payload?.exp as number) ?? Math.floor(inAnHour().getTime() / 1000))
    .sign(new TextEncoder().encode(overrides.secret ?? SECRET));
}

describe('session tokens', () => {
  it('verify when signed by us, for us, and not expired', async () => {
    const token = await signSessionToken(ring, ISSUER, { ...claims, expiresAt: inAnHour() });
    assert.deepEqual(await verifySessionToken(ring, ISSUER, token), claims);
    const [header] = token.split('.');
    assert.deepEqual(JSON.parse(Buffer.from(header ?? '', 'base64url').toString()), {
      alg: 'HS256',
      kid: (await ring.current()).kid,
      typ: SESSION_TOKEN_TYPE,
    });
  });

  it('refuse alg none', async () => {
    const token = new UnsecuredJWT({ sid: claims.sessionId })
      .setIssuer(ISSUER)
      .setAudience(SESSION_AUDIENCE)
      .setSubject(claims.userId)
      .setIssuedAt()
      .setExpirationTime('1h')
      .encode();
    assert.equal(await verifySessionToken(ring, ISSUER, token), undefined);
  });

  it('refuse a token signed with another secret, an unknown kid, or a truncated signature', async () => {
    assert.equal(
      await verifySessionToken(ring, ISSUER, await forge({ secret: 'another-secret-that-is-also-32-characters-long' })),
      undefined,
    );
    assert.equal(await verifySessionToken(ring, ISSUER, await forge({ header: { kid: 'attacker' } })), undefined);
    const good = await forge();
    assert.equal(await verifySessionToken(ring, ISSUER, good.slice(0, -4)), undefined);
  });

  it('refuse another audience, another issuer, a missing or other typ, and an expired token', async () => {
    assert.equal(await verifySessionToken(ring, ISSUER, await forge({ payload: { aud: 'drop-local' } })), undefined);
    assert.equal(await verifySessionToken(ring, ISSUER, await forge({ payload: { iss: 'https://evil.example' } })), undefined);
    assert.equal(await verifySessionToken(ring, ISSUER, await forge({ header: { typ: 'JWT' } })), undefined);
    assert.equal(await verifySessionToken(ring, ISSUER, await forge({ header: { typ: undefined } })), undefined);
    assert.equal(await verifySessionToken(ring, ISSUER, await forge({ payload: { exp: Math.floor(Date.now() / 1000) - 1 } })), undefined);
  });

  it('refuse a token without a session id', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: (await ring.current()).kid, typ: SESSION_TOKEN_TYPE })
      .setIssuer(ISSUER)
      .setAudience(SESSION_AUDIENCE)
      .setSubject(claims.userId)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    assert.equal(await verifySessionToken(ring, ISSUER, token), undefined);
  });

  it('refuse an RS256 token (an ID token, or HS/RS confusion) even with an embedded or published key', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = await exportJWK(publicKey);
    const idTokenLike = await new SignJWT({ sid: claims.sessionId, nnin_altsub: '15076500565', acr: 'urn:bankid:bid;LOA=4' })
      .setProtectedHeader({ alg: 'RS256', kid: (await ring.current()).kid, typ: SESSION_TOKEN_TYPE, jwk })
      .setIssuer(ISSUER)
      .setAudience(SESSION_AUDIENCE)
      .setSubject(claims.userId)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    assert.equal(await verifySessionToken(ring, ISSUER, idTokenLike), undefined);
    // HS256 signed with the public key's bytes, the classic confusion attack.
    const confused = await forge({ secret: JSON.stringify(jwk) });
    assert.equal(await verifySessionToken(ring, ISSUER, confused), undefined);
  });

  it('remember a verified token only while it is unexpired and its key is still the ring’s', async () => {
    let current = keyRingFromSecret(SECRET);
    const rotating = { current: () => current.current(), find: (kid: string) => current.find(kid) };
    const expiresAt = new Date(Date.now() + 60_000);
    const token = await signSessionToken(rotating, ISSUER, { ...claims, expiresAt });
    assert.deepEqual(await verifySessionToken(rotating, ISSUER, token), claims);
    // Again (now from memory), then past its expiry: refused without a fresh verification.
    assert.deepEqual(await verifySessionToken(rotating, ISSUER, token), claims);
    assert.equal(await verifySessionToken(rotating, ISSUER, token, () => expiresAt.getTime() + 1000), undefined);
    assert.deepEqual(await verifySessionToken(rotating, ISSUER, token), claims);
    // The key is retired (an emergency rotation): the remembered token is refused at once.
    current = keyRingFromSecret('another-session-signing-secret-of-32-chars');
    assert.equal(await verifySessionToken(rotating, ISSUER, token), undefined);
    // Memory is per issuer too.
    current = keyRingFromSecret(SECRET);
    assert.equal(await verifySessionToken(rotating, 'https://elsewhere.example', token), undefined);
    // A tampered copy of a remembered token is verified, and refused.
    const [head, body, signature] = token.split('.');
    const tampered = `${head}.${body}.${(signature as string).slice(0, -2)}AA`;
    assert.equal(await verifySessionToken(rotating, ISSUER, tampered), undefined);
  });

  it('give the same key id for the same secret across restarts, and another for another secret', async () => {
    assert.equal((await keyRingFromSecret(SECRET).current()).kid, (await ring.current()).kid);
    assert.notEqual((await keyRingFromSecret(`${SECRET}x`).current()).kid, (await ring.current()).kid);
    assert.doesNotMatch((await ring.current()).kid, new RegExp(SECRET.slice(0, 8)), 'the kid does not reveal the secret');
  });
});
