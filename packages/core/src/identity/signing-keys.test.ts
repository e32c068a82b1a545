import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { authenticateSession } from './authenticate-session.ts';
import { createNationalIdProtector } from './national-id.ts';
import { envKeyId, signSessionToken, verifySessionToken } from './session-tokens.ts';
import { signInWithBankId } from './sign-in-with-bankid.ts';
import { DatabaseKeyRing, rotateSigningKey } from './signing-keys.ts';

const ISSUER = 'http://localhost:3000';
const ENV_SECRET = 'the-jwt-secret-from-the-environment-32+';
const DATA_KEY = Buffer.alloc(32, 4).toString('base64');
const LIFETIME = 43_200;
const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).kid as string;

describe('session signing key rotation', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
  });

  const rotate = (emergency = false) =>
    rotateSigningKey(db.pool, {
      envSecret: ENV_SECRET,
      dataEncryptionKey: DATA_KEY,
      sessionLifetimeSeconds: LIFETIME,
      emergency,
      actor: 'cli:test',
    });
  const loadRing = () => DatabaseKeyRing.load(db.pool, { envSecret: ENV_SECRET, dataEncryptionKey: DATA_KEY });
  const session = async () => {
    const signedIn = await signInWithBankId(db.pool, {
      identity: {
        subject: 's',
        nationalId: '15076500565',
        givenName: 'Kari',
        familyName: 'Nordmann',
        name: 'Kari Nordmann',
        birthdate: undefined,
        acr: 'urn:bankid:bid;LOA=4',
        amr: ['BID'],
      },
      minLoa: 4,
      protector: createNationalIdProtector(DATA_KEY),
      sessionLifetimeSeconds: LIFETIME,
      client: { ip: undefined, userAgent: undefined },
    });
    return signedIn;
  };

  it('signs with the JWT_SECRET key until the first rotation', async () => {
    const ring = await loadRing();
    assert.equal((await ring.current()).kid, envKeyId(ENV_SECRET));
  });

  it('rotates without logging anyone out, and writes the runbook audit row', async () => {
    const before_ = await loadRing();
    const old = await session();
    const oldToken = await signSessionToken(before_, ISSUER, old);
    assert.equal(kidOf(oldToken), envKeyId(ENV_SECRET));

    const result = await rotate();
    assert.match(result.kid, /^k-[0-9A-Z]{26}$/);
    assert.equal(result.previousKid, envKeyId(ENV_SECRET));
    assert.equal(result.sessionsRevoked, 0);
    assert.ok(
      result.verifyUntil && result.verifyUntil.getTime() > Date.now() + (LIFETIME - 60) * 1000,
      'the old key verifies for a session lifetime',
    );

    const ring = await loadRing();
    assert.equal((await ring.current()).kid, result.kid, 'the new key signs');
    const newToken = await signSessionToken(ring, ISSUER, await session());
    assert.equal(kidOf(newToken), result.kid);
    for (const token of [oldToken, newToken]) {
      const verdict = await authenticateSession(db.pool, { token, ring, issuer: ISSUER, idleSeconds: 300 });
      assert.equal(verdict.ok, true, `token signed with ${kidOf(token)} still works`);
    }
    const audit = await db.pool.query(`SELECT actor, resource_type, resource_id, details FROM audit_log WHERE action = 'secret_rotated'`);
    assert.equal(audit.rowCount, 1);
    assert.equal(audit.rows[0].resource_type, 'secret');
    assert.equal(audit.rows[0].resource_id, 'JWT_SECRET');
    assert.equal(audit.rows[0].actor, 'cli:test');
    assert.equal(audit.rows[0].details.kid, result.kid);
    assert.equal(audit.rows[0].details.emergency, false);
    assert.ok(!Number.isNaN(Date.parse(audit.rows[0].details.rotated_at)));
  });

  it('lets an instance that has not refreshed verify a token signed with the new key', async () => {
    const stale = await loadRing();
    const result = await rotate();
    const fresh = await loadRing();
    const token = await signSessionToken(fresh, ISSUER, await session());
    assert.notEqual(stale.cachedSigner().kid, result.kid, 'the stale ring has not seen the new key');
    assert.ok(await verifySessionToken(stale, ISSUER, token), 'an unknown kid makes it reload the keys');
  });

  it('stops accepting a replaced key once its sessions have all expired', async () => {
    const ring = await loadRing();
    const previous = await ring.current();
    const token = await signSessionToken(ring, ISSUER, await session());
    await rotate();
    await db.pool.query(`UPDATE signing_keys SET verify_until = now() - interval '1 second' WHERE kid = $1`, [previous.kid]);
    assert.equal(await verifySessionToken(await loadRing(), ISSUER, token), undefined);
  });

  it('keeps key secrets sealed: another data key cannot open them', async () => {
    const sealed = await db.pool.query(`SELECT secret_ciphertext FROM signing_keys WHERE kid LIKE 'k-%' LIMIT 1`);
    assert.ok(sealed.rows[0].secret_ciphertext.length > 48);
    await assert.rejects(
      DatabaseKeyRing.load(db.pool, { envSecret: ENV_SECRET, dataEncryptionKey: Buffer.alloc(32, 8).toString('base64') }),
    );
  });

  it('in an emergency retires every earlier key and ends every session', async () => {
    const ring = await loadRing();
    const live = await session();
    const token = await signSessionToken(ring, ISSUER, live);
    const result = await rotate(true);
    assert.equal(result.emergency, true);
    assert.ok(result.sessionsRevoked >= 1);
    const liveSessions = await db.pool.query('SELECT count(*)::int AS n FROM sessions WHERE revoked = 0');
    assert.equal(liveSessions.rows[0].n, 0);
    const fresh = await loadRing();
    assert.equal(await verifySessionToken(fresh, ISSUER, token), undefined, 'the retired key verifies nothing');
    const keys = await db.pool.query(`SELECT status, count(*)::int AS n FROM signing_keys GROUP BY status ORDER BY status`);
    assert.deepEqual(
      keys.rows.map((row) => [row.status, row.n]),
      [
        ['active', 1],
        ['retired', (await db.pool.query(`SELECT count(*)::int AS n FROM signing_keys`)).rows[0].n - 1],
      ],
    );
    const audit = await db.pool.query(`SELECT details FROM audit_log WHERE action = 'secret_rotated' ORDER BY seq DESC LIMIT 1`);
    assert.equal(audit.rows[0].details.emergency, true);
    assert.equal(audit.rows[0].details.sessionsRevoked, result.sessionsRevoked);
    assert.equal((await verifyAuditChain(db.pool)).ok, true);
  });
});
