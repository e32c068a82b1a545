import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { signInCode } from '../../../../test/support/staff.ts';
import { DomainError } from '../errors.ts';
import { createStaffMember } from './create-staff-member.ts';
import { completeEnrolment, getEnrolment } from './enrol-staff-member.ts';
import { hashPassword, passwordProblem, verifyPassword } from './password.ts';
import { authenticateStaffSession, MAX_FAILED_ATTEMPTS, signInStaff } from './staff-sign-in.ts';
import { totpFor } from './totp.ts';

const DATA_KEY = Buffer.alloc(32, 6).toString('base64');
const PASSWORD = 'correct horse battery 42';
const isCode = (code: string) => (error: unknown) => error instanceof DomainError && error.code === code;

describe('staff accounts', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
  });

  /** A staff member who has enrolled; returns their TOTP secret. */
  async function enrolled(email: string, role: 'support' | 'admin' = 'support') {
    const { staffId, enrolmentToken } = await createStaffMember(db.pool, {
      email,
      name: 'Test Person',
      role,
      actor: 'test',
      dataEncryptionKey: DATA_KEY,
    });
    const view = await getEnrolment(db.pool, { token: enrolmentToken, dataEncryptionKey: DATA_KEY });
    const totp = totpFor(view.totpSecret, email);
    // Enrolment takes the current step's code and sign-ins the next step's (`signInCode`): each step
    // works once, and the next step stays valid however slow the machine is.
    await completeEnrolment(db.pool, {
      token: enrolmentToken,
      password: PASSWORD,
      totp: totp.generate(),
      dataEncryptionKey: DATA_KEY,
    });
    return { staffId, totp };
  }
  const signIn = (email: string, password: string, code: string, onLocked?: () => void) =>
    signInStaff(db.pool, {
      email,
      password,
      totp: code,
      dataEncryptionKey: DATA_KEY,
      sessionLifetimeSeconds: 3600,
      client: { ip: undefined, userAgent: undefined },
      onLocked,
    });

  it('hashes passwords with argon2id and verifies only the right one', async () => {
    const hash = await hashPassword(PASSWORD);
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await verifyPassword(PASSWORD, hash), true);
    assert.equal(await verifyPassword(`${PASSWORD}x`, hash), false);
    assert.notEqual(await hashPassword(PASSWORD), hash, 'a fresh salt every time');
    assert.equal(await verifyPassword(PASSWORD, 'not a hash'), false);
    assert.equal(passwordProblem('short'), 'at least 12 characters');
    assert.equal(passwordProblem('aaaaaaaaaaaaaaa'), 'not one repeated character');
    assert.equal(passwordProblem('123456789012'), 'not only digits or only letters');
    assert.equal(passwordProblem(PASSWORD), undefined);
  });

  it('enrols once with a one-time link, a strong password and a working authenticator', async () => {
    const { enrolmentToken } = await createStaffMember(db.pool, {
      email: 'new@drop.no',
      name: 'Nina New',
      role: 'support',
      actor: 'cli:ops',
      dataEncryptionKey: DATA_KEY,
    });
    const view = await getEnrolment(db.pool, { token: enrolmentToken, dataEncryptionKey: DATA_KEY });
    assert.equal(view.role, 'support');
    assert.match(view.totpSecret, /^[A-Z2-7]{32}$/);
    assert.match(view.otpauthUri, /^otpauth:\/\/totp\/Drop:new%40drop\.no\?/);
    const totp = totpFor(view.totpSecret, 'new@drop.no');
    await assert.rejects(
      completeEnrolment(db.pool, { token: enrolmentToken, password: 'short', totp: totp.generate(), dataEncryptionKey: DATA_KEY }),
      isCode('WEAK_PASSWORD'),
    );
    await assert.rejects(
      completeEnrolment(db.pool, { token: enrolmentToken, password: PASSWORD, totp: '000000', dataEncryptionKey: DATA_KEY }),
      isCode('INVALID_CREDENTIALS'),
    );
    await completeEnrolment(db.pool, { token: enrolmentToken, password: PASSWORD, totp: totp.generate(), dataEncryptionKey: DATA_KEY });
    await assert.rejects(
      getEnrolment(db.pool, { token: enrolmentToken, dataEncryptionKey: DATA_KEY }),
      isCode('ENROLMENT_INVALID'),
      'the link works once',
    );
    await assert.rejects(
      createStaffMember(db.pool, { email: 'NEW@drop.no', name: 'Again', role: 'admin', actor: 'x', dataEncryptionKey: DATA_KEY }),
      isCode('CONFLICT'),
    );
    const stored = await db.pool.query(`SELECT password_hash, totp_secret_ciphertext FROM staff WHERE email = 'new@drop.no'`);
    assert.ok(!stored.rows[0].totp_secret_ciphertext.includes(Buffer.from(view.totpSecret)), 'the TOTP secret is sealed');
  });

  it('signs in with password and code, and refuses the same code twice', async () => {
    const { staffId, totp } = await enrolled('kim@drop.no');
    const code = signInCode(totp);
    const session = await signIn('kim@drop.no', PASSWORD, code);
    assert.equal(session.staffId, staffId);
    const staff = await authenticateStaffSession(db.pool, { token: session.token, idleSeconds: 900 });
    assert.equal(staff?.role, 'support');
    assert.deepEqual(staff?.permissions, [
      'overview',
      'customers',
      'revoke_customer_sessions',
      'data_requests',
      'transfers_view',
      'payments_view',
    ]);
    await assert.rejects(signIn('kim@drop.no', PASSWORD, code), isCode('INVALID_CREDENTIALS'), 'a used code is refused');
    assert.equal(await authenticateStaffSession(db.pool, { token: 'forged-token', idleSeconds: 900 }), undefined);
    const stored = await db.pool.query('SELECT token_hash FROM staff_sessions WHERE staff_id = $1', [staffId]);
    assert.ok(!stored.rows[0].token_hash.equals(Buffer.from(session.token)), 'only a hash of the token is stored');
  });

  it('answers the same for an unknown email, a wrong password and a wrong code', async () => {
    const { totp } = await enrolled('lee@drop.no');
    await assert.rejects(signIn('nobody@drop.no', PASSWORD, totp.generate()), isCode('INVALID_CREDENTIALS'));
    await assert.rejects(signIn('lee@drop.no', 'wrong password 123', totp.generate()), isCode('INVALID_CREDENTIALS'));
    await assert.rejects(signIn('lee@drop.no', PASSWORD, '000000'), isCode('INVALID_CREDENTIALS'));
  });

  it(`locks the account after ${MAX_FAILED_ATTEMPTS} failures, alerts once, and refuses even the right credentials`, async () => {
    const { staffId, totp } = await enrolled('max@drop.no', 'admin');
    let alerts = 0;
    for (let attempt = 1; attempt < MAX_FAILED_ATTEMPTS; attempt++) {
      await assert.rejects(
        signIn('max@drop.no', 'wrong password 123', totp.generate(), () => alerts++),
        isCode('INVALID_CREDENTIALS'),
      );
    }
    assert.equal(alerts, 0);
    await assert.rejects(
      signIn('max@drop.no', 'wrong password 123', totp.generate(), () => alerts++),
      isCode('ACCOUNT_LOCKED'),
    );
    assert.equal(alerts, 1, 'the fifth failure alerts');
    await assert.rejects(
      signIn('max@drop.no', PASSWORD, signInCode(totp), () => alerts++),
      isCode('ACCOUNT_LOCKED'),
    );
    assert.equal(alerts, 1);
    const audit = await db.pool.query(`SELECT action FROM audit_log WHERE resource_id = $1 AND action LIKE 'staff_%' ORDER BY seq`, [
      staffId,
    ]);
    assert.deepEqual(
      audit.rows.map((row) => row.action),
      [
        'staff_created',
        'staff_enrolled',
        ...Array(MAX_FAILED_ATTEMPTS - 1).fill('staff_login_failed'),
        'staff_locked',
        'staff_login_failed',
      ],
    );
    // Once the lock has passed, the right credentials work again and the count starts over.
    await db.pool.query(`UPDATE staff SET locked_until = now() - interval '1 second' WHERE id = $1`, [staffId]);
    const session = await signIn('max@drop.no', PASSWORD, signInCode(totp));
    assert.equal(session.staffId, staffId);
    const row = await db.pool.query('SELECT failed_attempts FROM staff WHERE id = $1', [staffId]);
    assert.equal(row.rows[0].failed_attempts, 0);
  });

  it('ends staff sessions that are idle, and those of disabled staff', async () => {
    const { staffId, totp } = await enrolled('ida@drop.no');
    const session = await signIn('ida@drop.no', PASSWORD, signInCode(totp));
    await db.pool.query(`UPDATE staff_sessions SET last_seen_at = now() - interval '16 minutes' WHERE staff_id = $1`, [staffId]);
    assert.equal(await authenticateStaffSession(db.pool, { token: session.token, idleSeconds: 900 }), undefined);
    await db.pool.query(`UPDATE staff_sessions SET last_seen_at = now() WHERE staff_id = $1`, [staffId]);
    assert.ok(await authenticateStaffSession(db.pool, { token: session.token, idleSeconds: 900 }));
    await db.pool.query(`UPDATE staff SET disabled_at = now() WHERE id = $1`, [staffId]);
    assert.equal(await authenticateStaffSession(db.pool, { token: session.token, idleSeconds: 900 }), undefined);
  });
});
