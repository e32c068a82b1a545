import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { DomainError } from '../errors.ts';
import { authenticateSession } from './authenticate-session.ts';
import { listSessions, revokeSessions } from './manage-sessions.ts';
import { createNationalIdProtector } from './national-id.ts';
import { keyRingFromSecret, signSessionToken } from './session-tokens.ts';
import { type BankIdIdentity, signInWithBankId } from './sign-in-with-bankid.ts';

const ISSUER = 'http://localhost:3000';
const IDLE = 300;
const ring = keyRingFromSecret('a-session-signing-secret-of-at-least-32-chars');
const protector = createNationalIdProtector(Buffer.alloc(32, 5).toString('base64'));

function identity(nationalId: string, overrides: Partial<BankIdIdentity> = {}): BankIdIdentity {
  return {
    subject: `bankid-subject-${Buffer.from(nationalId).toString('base64url')}`,
    nationalId,
    givenName: 'Kari',
    familyName: 'Nordmann',
    name: 'Kari Nordmann',
    birthdate: '1985-04-12',
    acr: 'urn:bankid:bid;LOA=4',
    amr: ['BID'],
    ...overrides,
  };
}

describe('BankID sign-in and sessions', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
  });

  const signIn = (nationalId: string, overrides: Partial<BankIdIdentity> = {}) =>
    signInWithBankId(db.pool, {
      identity: identity(nationalId, overrides),
      minLoa: 4,
      protector,
      sessionLifetimeSeconds: 43_200,
      client: { ip: '127.0.0.1', userAgent: 'test' },
    });
  const authenticate = async (session: { userId: string; sessionId: string; expiresAt: Date }) =>
    authenticateSession(db.pool, { token: await signSessionToken(ring, ISSUER, session), ring, issuer: ISSUER, idleSeconds: IDLE });

  it('creates a customer on first sign-in, with the national id only encrypted, and a new session every time', async () => {
    const first = await signIn('15076500565');
    assert.equal(first.newCustomer, true);
    assert.match(first.userId, /^usr_[0-9A-Z]{26}$/);
    const user = await db.pool.query('SELECT * FROM users WHERE id = $1', [first.userId]);
    assert.equal(user.rows[0].auth_provider, 'bankid');
    assert.equal(user.rows[0].kyc_status, 'not_started');
    assert.equal(user.rows[0].full_name, 'Kari Nordmann');
    assert.equal(protector.decrypt(user.rows[0].national_id_ciphertext), '15076500565');
    assert.ok(!JSON.stringify(user.rows[0]).includes('15076500565'), 'the number is stored nowhere in clear');

    const second = await signIn('15076500565');
    assert.equal(second.newCustomer, false);
    assert.equal(second.userId, first.userId);
    assert.notEqual(second.sessionId, first.sessionId);
    const logins = await db.pool.query(`SELECT details FROM audit_log WHERE action = 'login_succeeded' AND resource_id = $1 ORDER BY seq`, [
      first.userId,
    ]);
    assert.deepEqual(
      logins.rows.map((row) => row.details.newCustomer),
      [true, false],
    );
    assert.ok(!JSON.stringify(logins.rows).includes('15076500565'), 'the audit trail holds no national id');
  });

  it('refuses a level of assurance below the minimum and an invalid national id', async () => {
    await assert.rejects(
      signIn('01010100131', { acr: 'urn:bankid:bis;LOA=3' }),
      (error: unknown) => error instanceof DomainError && error.code === 'AUTH_LEVEL_TOO_LOW',
    );
    await assert.rejects(signIn('01010100132'), (error: unknown) => error instanceof DomainError && error.code === 'SIGN_IN_FAILED');
    const created = await db.pool.query('SELECT count(*)::int AS n FROM users WHERE national_id_hash = $1', [
      protector.lookupHash('01010100131'),
    ]);
    assert.equal(created.rows[0].n, 0, 'a refused sign-in creates no customer');
  });

  it('accepts a live session and records activity', async () => {
    const session = await signIn('01010100131');
    await db.pool.query(`UPDATE sessions SET last_seen_at = now() - interval '10 seconds' WHERE id = $1`, [session.sessionId]);
    const result = await authenticate(session);
    assert.deepEqual(result, { ok: true, customer: { userId: session.userId, sessionId: session.sessionId } });
    const seen = await db.pool.query(`SELECT now() - last_seen_at < interval '2 seconds' AS fresh FROM sessions WHERE id = $1`, [
      session.sessionId,
    ]);
    assert.equal(seen.rows[0].fresh, true);
  });

  it("ends a session on the next request after the runbook's revocation SQL", async () => {
    const session = await signIn('01010100131');
    assert.equal((await authenticate(session)).ok, true);
    await db.pool.query(`UPDATE sessions SET revoked = 1 WHERE user_id = '${session.userId}' AND revoked = 0`);
    assert.deepEqual(await authenticate(session), { ok: false, reason: 'revoked' });
  });

  it("refuses a deleted customer and a rejected customer, as the runbook's containment steps expect", async () => {
    const deleted = await signIn('01010100131');
    await db.pool.query(`UPDATE users SET deleted_at = NOW() WHERE id = '${deleted.userId}'`);
    assert.deepEqual(await authenticate(deleted), { ok: false, reason: 'user_deleted' });
    await assert.rejects(signIn('01010100131'), (error: unknown) => error instanceof DomainError && error.code === 'ACCOUNT_BLOCKED');

    const rejected = await signIn('15076500565');
    await db.pool.query(`UPDATE users SET kyc_status = 'rejected' WHERE id = $1`, [rejected.userId]);
    assert.deepEqual(await authenticate(rejected), { ok: false, reason: 'user_rejected' });
    const refused = await db.pool.query(`SELECT details FROM audit_log WHERE action = 'login_refused' ORDER BY seq`);
    assert.deepEqual(
      refused.rows.map((row) => row.details.reason),
      ['deleted'],
    );
  });

  it('times out an idle session on the server, and keeps it dead', async () => {
    const other = await signIn('12127800284');
    await db.pool.query(`UPDATE sessions SET last_seen_at = now() - make_interval(secs => $2) WHERE id = $1`, [other.sessionId, IDLE - 2]);
    assert.equal((await authenticate(other)).ok, true, 'just inside the idle window');
    await db.pool.query(`UPDATE sessions SET last_seen_at = now() - make_interval(secs => $2) WHERE id = $1`, [other.sessionId, IDLE + 1]);
    assert.deepEqual(await authenticate(other), { ok: false, reason: 'idle_timeout' });
    const row = await db.pool.query('SELECT revoked, revoked_reason FROM sessions WHERE id = $1', [other.sessionId]);
    assert.deepEqual(row.rows[0], { revoked: 1, revoked_reason: 'idle_timeout' });
    await db.pool.query(`UPDATE sessions SET last_seen_at = now() WHERE id = $1`, [other.sessionId]);
    assert.deepEqual(await authenticate(other), { ok: false, reason: 'revoked' }, 'activity cannot revive it');
  });

  it('ends a session at its absolute lifetime however active it is', async () => {
    const session = await signIn('12127800284');
    await db.pool.query(
      `UPDATE sessions SET created_at = now() - interval '13 hours', expires_at = now() - interval '1 second' WHERE id = $1`,
      [session.sessionId],
    );
    assert.deepEqual(await authenticate(session), { ok: false, reason: 'expired' });
  });

  it('lists live sessions and ends one, or all ("log out everywhere")', async () => {
    const a = await signIn('12127800284');
    const b = await signIn('12127800284');
    const listed = await listSessions(db.pool, a);
    assert.deepEqual(
      listed.map((session) => [session.id, session.current]),
      [
        [b.sessionId, false],
        [a.sessionId, true],
      ],
    );
    await assert.rejects(
      revokeSessions(db.pool, {
        userId: 'usr_01JAAAAAAAAAAAAAAAAAAAAAAA',
        actor: 'x',
        which: { sessionId: b.sessionId },
        reason: 'ended_by_customer',
      }),
      (error: unknown) => error instanceof DomainError && error.code === 'NOT_FOUND',
      "someone else's session id is not found",
    );
    await revokeSessions(db.pool, { userId: a.userId, actor: a.userId, which: { sessionId: b.sessionId }, reason: 'ended_by_customer' });
    assert.equal((await authenticate(b)).ok, false);
    assert.equal((await authenticate(a)).ok, true);
    const c = await signIn('12127800284');
    assert.equal(await revokeSessions(db.pool, { userId: a.userId, actor: a.userId, which: 'all', reason: 'logout_everywhere' }), 2);
    assert.equal((await authenticate(a)).ok, false);
    assert.equal((await authenticate(c)).ok, false);
    const audit = await db.pool.query(`SELECT actor, details FROM audit_log WHERE action = 'logout_everywhere'`);
    assert.deepEqual(audit.rows, [{ actor: a.userId, details: { sessionsEnded: 2 } }]);
    assert.equal((await verifyAuditChain(db.pool)).ok, true);
  });
});
