import { createHash, randomBytes } from 'node:crypto';
import { type Db, newId, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { deriveKey, open } from '../crypto/data-key.ts';
import { DomainError } from '../errors.ts';
import { TOTP_KEY_PURPOSE } from './create-staff-member.ts';
import { DUMMY_HASH_PROMISE, verifyPassword } from './password.ts';
import { type Permission, permissionsOf, type StaffRole } from './roles.ts';
import { acceptedStep } from './totp.ts';

export const MAX_FAILED_ATTEMPTS = 5;
const LOCK_MINUTES = 15;

export const hashSessionToken = (token: string) => createHash('sha256').update(token).digest();

export interface StaffSignIn {
  token: string;
  staffId: string;
  expiresAt: Date;
}

/**
 * Staff sign-in: password (argon2id) and a TOTP code, one answer for every wrong part. Five
 * failures in a row lock the account for 15 minutes, during which even the right credentials are
 * refused; the fifth failure also calls `onLocked` (the operations alert). Every attempt is audited.
 */
export async function signInStaff(
  db: Db,
  input: {
    email: string;
    password: string;
    totp: string;
    dataEncryptionKey: string;
    sessionLifetimeSeconds: number;
    client: { ip: string | undefined; userAgent: string | undefined };
    onLocked?: (staff: { staffId: string; email: string }) => Promise<void> | void;
  },
): Promise<StaffSignIn> {
  const { rows } = await db.query<{
    id: string;
    email: string;
    password_hash: string | null;
    totp_secret_ciphertext: Buffer;
    totp_last_step: string | null;
    locked: boolean;
    locked_seconds: number | null;
    usable: boolean;
  }>(
    `SELECT id, email, password_hash, totp_secret_ciphertext, totp_last_step,
            locked_until > now() AS locked, ceil(extract(epoch FROM locked_until - now()))::int AS locked_seconds,
            enrolled_at IS NOT NULL AND disabled_at IS NULL AS usable
       FROM staff WHERE lower(email) = lower($1)`,
    [input.email.trim()],
  );
  const staff = rows[0];
  // Same work whether or not the account exists, so timing does not reveal staff emails.
  const passwordOk = await verifyPassword(input.password, staff?.password_hash ?? (await DUMMY_HASH_PROMISE));
  if (!staff?.usable) {
    await recordAuditEvent(db, {
      action: 'staff_login_failed',
      resourceType: 'staff',
      actor: 'anonymous',
      details: { reason: 'unknown_or_disabled' },
    });
    throw new DomainError('INVALID_CREDENTIALS', 'Email, password or code is not right.');
  }
  if (staff.locked) {
    await recordAuditEvent(db, {
      action: 'staff_login_failed',
      resourceType: 'staff',
      resourceId: staff.id,
      actor: 'anonymous',
      details: { reason: 'locked' },
    });
    throw new DomainError('ACCOUNT_LOCKED', 'Too many failed attempts: the account is locked for a while.', {
      retryAfterSeconds: staff.locked_seconds ?? 60,
    });
  }
  const secret = open(deriveKey(input.dataEncryptionKey, TOTP_KEY_PURPOSE), staff.totp_secret_ciphertext).toString();
  const step = acceptedStep(secret, input.totp);
  const codeOk = step !== undefined && (staff.totp_last_step === null || step > Number(staff.totp_last_step));

  if (!passwordOk || !codeOk) {
    const failed = await withTransaction(db, async (tx) => {
      const { rows: updated } = await tx.query<{ failed_attempts: number; locked: boolean }>(
        `UPDATE staff SET failed_attempts = failed_attempts + 1,
                          locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN now() + make_interval(mins => $3) END
          WHERE id = $1 RETURNING failed_attempts, locked_until IS NOT NULL AS locked`,
        [staff.id, MAX_FAILED_ATTEMPTS, LOCK_MINUTES],
      );
      const result = updated[0] ?? { failed_attempts: 0, locked: false };
      await recordAuditEvent(tx, {
        action: result.locked ? 'staff_locked' : 'staff_login_failed',
        resourceType: 'staff',
        resourceId: staff.id,
        actor: 'anonymous',
        details: { reason: passwordOk ? 'code' : 'password', failedAttempts: result.failed_attempts },
      });
      return result;
    });
    if (failed.locked) {
      await input.onLocked?.({ staffId: staff.id, email: staff.email });
      throw new DomainError('ACCOUNT_LOCKED', 'Too many failed attempts: the account is locked for a while.', {
        retryAfterSeconds: LOCK_MINUTES * 60,
      });
    }
    throw new DomainError('INVALID_CREDENTIALS', 'Email, password or code is not right.');
  }

  const token = randomBytes(32).toString('base64url');
  return withTransaction(db, async (tx) => {
    await tx.query(`UPDATE staff SET failed_attempts = 0, locked_until = NULL, totp_last_step = $2 WHERE id = $1`, [staff.id, step]);
    const sessionId = newId('sts');
    const session = await tx.query<{ expires_at: Date }>(
      `INSERT INTO staff_sessions (id, staff_id, token_hash, expires_at, ip, user_agent)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4), $5, $6) RETURNING expires_at`,
      [
        sessionId,
        staff.id,
        hashSessionToken(token),
        input.sessionLifetimeSeconds,
        input.client.ip ?? null,
        input.client.userAgent?.slice(0, 512) ?? null,
      ],
    );
    await recordAuditEvent(tx, {
      action: 'staff_login_succeeded',
      resourceType: 'staff',
      resourceId: staff.id,
      actor: staff.id,
      details: { sessionId },
    });
    return { token, staffId: staff.id, expiresAt: session.rows[0]?.expires_at as Date };
  });
}

export interface AuthenticatedStaff {
  staffId: string;
  sessionId: string;
  email: string;
  name: string;
  role: StaffRole;
  permissions: readonly Permission[];
}

/** Every back-office request: the session must be live, not idle, and its staff member enrolled and enabled. */
export async function authenticateStaffSession(
  db: Db,
  input: { token: string | undefined; idleSeconds: number },
): Promise<AuthenticatedStaff | undefined> {
  if (!input.token || input.token.length > 100) return undefined;
  const { rows } = await db.query<{ session_id: string; staff_id: string; email: string; full_name: string; role: StaffRole }>(
    `UPDATE staff_sessions ss SET last_seen_at = now()
       FROM staff s
      WHERE ss.token_hash = $1 AND s.id = ss.staff_id AND ss.revoked = 0 AND ss.expires_at > now()
        AND ss.last_seen_at > now() - make_interval(secs => $2) AND s.disabled_at IS NULL AND s.enrolled_at IS NOT NULL
      RETURNING ss.id AS session_id, s.id AS staff_id, s.email, s.full_name, s.role`,
    [hashSessionToken(input.token), input.idleSeconds],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    staffId: row.staff_id,
    sessionId: row.session_id,
    email: row.email,
    name: row.full_name,
    role: row.role,
    permissions: permissionsOf(row.role),
  };
}

export async function signOutStaff(db: Db, staff: { staffId: string; sessionId: string }): Promise<void> {
  await withTransaction(db, async (tx) => {
    await tx.query(`UPDATE staff_sessions SET revoked = 1, revoked_at = now() WHERE id = $1`, [staff.sessionId]);
    await recordAuditEvent(tx, { action: 'staff_logout', resourceType: 'staff', resourceId: staff.staffId, actor: staff.staffId });
  });
}
