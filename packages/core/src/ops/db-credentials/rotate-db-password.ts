/**
 * `drop secrets rotate-db-password`: a new database password without downtime, by alternating
 * users (the strategy of AWS Secrets Manager's "alternating users" rotation). Drop's login
 * alternates between two roles, `dropuser` and `dropuser_clone`, with the same rights: both are
 * members of `drop_app`, the application's role, which owns nothing (packages/db/src/privileges.ts):
 *
 * 1. the role not in use gets a new random password, and a fresh connection proves it logs in;
 * 2. the credential store is switched to it: every new pool connection from then on (the pool
 *    reads the store as each connection opens) logs in as that role, while connections already
 *    open carry on, so no request fails;
 * 3. after a grace period (connections that read the old login just before the switch finish
 *    logging in), the old role's password is removed: it no longer logs in.
 *
 * PostgreSQL keeps one password per role, so rotating a single role's password always leaves a
 * moment where a connection opening with the old one is refused; two roles avoid it. Audited as
 * runbook 5.1's `secret_rotated` row with resource id DATABASE_PASSWORD (what `drop secrets status`
 * reads). The new password is never logged or audited.
 */
import { randomBytes } from 'node:crypto';
import { type Db, type DbClient, roleExists, setRolePassword, tryLogin } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import type { CredentialStore } from './credential-store.ts';

export const CLONE_SUFFIX = '_clone';

export class DbPasswordRotationError extends Error {
  readonly code: 'DB_ROLE_MISSING' | 'DB_ROLE_CHANGE_REFUSED' | 'DB_LOGIN_FAILED' | 'DB_ROTATION_BUSY';
  constructor(code: DbPasswordRotationError['code'], message: string) {
    super(message);
    this.name = 'DbPasswordRotationError';
    this.code = code;
  }
}

export interface DbPasswordRotation {
  /** The role Drop now logs in as. */
  activeRole: string;
  /** The role whose password was removed. */
  retiredRole: string;
  rotatedAt: Date;
}

/** The other role of the pair: `dropuser` ↔ `dropuser_clone`. */
export function partnerRole(role: string): string {
  return role.endsWith(CLONE_SUFFIX) ? role.slice(0, -CLONE_SUFFIX.length) : `${role}${CLONE_SUFFIX}`;
}

export async function rotateDatabasePassword(
  db: Db,
  options: {
    store: CredentialStore;
    /** DATABASE_URL: the server and database the new login is tried against. */
    url: string;
    actor: string;
    /**
     * Who changes the two roles' passwords. Default: Drop's own connection (its role needs
     * CREATEROLE, enough on PostgreSQL 15 and earlier). PostgreSQL 16 (RDS) lets a role change
     * only its own password or those of roles it has ADMIN on, and two roles cannot each hold
     * ADMIN on the other, so there an administrator's connection does it (the RDS master user, or a
     * role that created both).
     */
    roles?: DbClient;
    /** How long the old login keeps working after the switch (connections opening at that moment). */
    graceMs: number;
    onStep?: (message: string) => void;
  },
): Promise<DbPasswordRotation> {
  const step = options.onStep ?? (() => undefined);
  const current = await options.store.read();
  const oldRole = current.username;
  const newRole = partnerRole(oldRole);
  // One connection for the whole rotation, holding a session lock so two rotations never interleave.
  const client = await db.connect();
  try {
    const locked = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(7406720154) AS locked');
    if (!locked.rows[0]?.locked) throw new DbPasswordRotationError('DB_ROTATION_BUSY', 'another database password rotation is running');
    try {
      const roles = options.roles ?? client;
      if (!(await roleExists(client, newRole))) {
        throw new DbPasswordRotationError(
          'DB_ROLE_MISSING',
          `role ${newRole} does not exist. Once, as an administrator: CREATE ROLE "${newRole}" LOGIN IN ROLE drop_app; ` +
            '(the same rights as the application role, which owns nothing)',
        );
      }
      const password = randomBytes(32).toString('base64url');
      try {
        await setRolePassword(roles, newRole, password);
      } catch (error) {
        throw new DbPasswordRotationError(
          'DB_ROLE_CHANGE_REFUSED',
          `cannot change ${newRole}'s password (${(error as Error).message}); on PostgreSQL 16 give --admin-credentials-file. Nothing changed`,
        );
      }
      try {
        await tryLogin(options.url, { user: newRole, password });
      } catch (error) {
        throw new DbPasswordRotationError(
          'DB_LOGIN_FAILED',
          `${newRole} cannot log in with its new password (${(error as Error).message}); Drop still uses ${oldRole}`,
        );
      }
      step(`${newRole} has a new password and logs in`);

      await options.store.write({ ...current, username: newRole, password });
      const rotatedAt = new Date();
      await recordAuditEvent(client, {
        action: 'secret_rotated',
        resourceType: 'secret',
        resourceId: 'DATABASE_PASSWORD',
        actor: options.actor,
        details: { rotated_at: rotatedAt.toISOString(), strategy: 'alternating_users', activeRole: newRole, retiredRole: oldRole },
      });
      step(`${options.store.description} now names ${newRole}: new connections log in as ${newRole}`);

      await new Promise((resolve) => setTimeout(resolve, options.graceMs));
      await setRolePassword(roles, oldRole, null);
      step(`${oldRole}'s password removed: it no longer logs in`);
      return { activeRole: newRole, retiredRole: oldRole, rotatedAt };
    } finally {
      await client.query('SELECT pg_advisory_unlock(7406720154)').catch(() => undefined);
    }
  } finally {
    client.release();
  }
}
