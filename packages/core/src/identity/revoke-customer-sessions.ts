import { isId } from '@drop/contracts';
import type { Db } from '@drop/db';
import { DomainError } from '../errors.ts';
import { revokeSessions } from './manage-sessions.ts';

/**
 * Whose sessions an operator ends: one customer, or every customer with an open AML alert (the DR
 * runbook's scenario 5: `UPDATE sessions SET revoked = 1 WHERE user_id IN (SELECT user_id FROM
 * aml_alerts WHERE status = 'open')`, any severity).
 */
export type SessionRevocationTarget = { userId: string } | 'open-alerts';

export interface CustomerSessionsRevoked {
  userId: string;
  /** Sessions ended (with a dry run: live sessions that would be ended). */
  sessionsEnded: number;
}

/**
 * Runbook 6.2's emergency revocation (`UPDATE sessions SET revoked = 1 WHERE user_id = …`) for an
 * operator: each customer's sessions end through `revokeSessions`, one `revoked_by_staff` audit
 * event per customer. A dry run counts the live sessions and changes nothing. A malformed or
 * unknown customer id is refused (VALIDATION_FAILED, NOT_FOUND) before anything changes.
 */
export async function revokeCustomerSessionsAsOperator(
  db: Db,
  input: { target: SessionRevocationTarget; actor: string; note?: string; dryRun: boolean },
): Promise<CustomerSessionsRevoked[]> {
  let userIds: string[];
  if (input.target === 'open-alerts') {
    const { rows } = await db.query<{ user_id: string }>(
      `SELECT DISTINCT user_id FROM aml_alerts WHERE status = 'open' AND user_id IS NOT NULL ORDER BY user_id`,
    );
    userIds = rows.map((row) => row.user_id);
  } else {
    const { userId } = input.target;
    if (!isId('usr', userId)) throw new DomainError('VALIDATION_FAILED', `${userId} is not a customer id (usr_ and 26 characters).`);
    const { rowCount } = await db.query('SELECT 1 FROM users WHERE id = $1', [userId]);
    if (!rowCount) throw new DomainError('NOT_FOUND', `No customer ${userId}.`);
    userIds = [userId];
  }
  const results: CustomerSessionsRevoked[] = [];
  for (const userId of userIds) {
    if (input.dryRun) {
      const { rows } = await db.query<{ count: string }>(`SELECT count(*) FROM sessions WHERE user_id = $1 AND revoked = 0`, [userId]);
      results.push({ userId, sessionsEnded: Number(rows[0]?.count ?? 0) });
    } else {
      const sessionsEnded = await revokeSessions(db, {
        userId,
        actor: input.actor,
        which: 'all',
        reason: 'revoked_by_staff',
        ...(input.note ? { note: input.note } : {}),
      });
      results.push({ userId, sessionsEnded });
    }
  }
  return results;
}
