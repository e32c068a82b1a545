import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../errors.ts';

export interface SessionView {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  acr: string | null;
  current: boolean;
}

/** A customer's live sessions, newest first. */
export async function listSessions(db: Db, customer: { userId: string; sessionId: string }): Promise<SessionView[]> {
  const { rows } = await db.query<{
    id: string;
    created_at: Date;
    last_seen_at: Date;
    expires_at: Date;
    user_agent: string | null;
    acr: string | null;
  }>(
    `SELECT id, created_at, last_seen_at, expires_at, user_agent, acr FROM sessions
      WHERE user_id = $1 AND revoked = 0 AND expires_at > now()
      ORDER BY created_at DESC`,
    [customer.userId],
  );
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    userAgent: row.user_agent,
    acr: row.acr,
    current: row.id === customer.sessionId,
  }));
}

/**
 * Ends sessions of one customer: one by id (logout, or ending another device), or all of them
 * ("log out everywhere"). Someone else's session id is NOT_FOUND, never a hint that it exists.
 */
export async function revokeSessions(
  db: Db,
  input: {
    userId: string;
    actor: string;
    which: { sessionId: string } | 'all';
    reason: 'logout' | 'logout_everywhere' | 'ended_by_customer' | 'revoked_by_staff';
    /** Why, in the operator's words; kept in the audit event. */
    note?: string;
  },
): Promise<number> {
  return withTransaction(db, async (tx) => {
    await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.actor]);
    const result =
      input.which === 'all'
        ? await tx.query(`UPDATE sessions SET revoked = 1, revoked_reason = $2 WHERE user_id = $1 AND revoked = 0`, [
            input.userId,
            input.reason,
          ])
        : await tx.query(`UPDATE sessions SET revoked = 1, revoked_reason = $3 WHERE user_id = $1 AND id = $2 AND revoked = 0`, [
            input.userId,
            input.which.sessionId,
            input.reason,
          ]);
    if (input.which !== 'all' && result.rowCount === 0) throw new DomainError('NOT_FOUND', 'No such session.');
    await recordAuditEvent(tx, {
      action: input.reason,
      resourceType: 'user',
      resourceId: input.userId,
      actor: input.actor,
      details: {
        sessionsEnded: result.rowCount ?? 0,
        ...(input.which === 'all' ? {} : { sessionId: input.which.sessionId }),
        ...(input.note ? { note: input.note } : {}),
      },
    });
    return result.rowCount ?? 0;
  });
}
