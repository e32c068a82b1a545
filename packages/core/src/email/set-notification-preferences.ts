import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';

/**
 * Which optional emails the customer wants (funds received, paid out). A failed payout, its refund
 * and the security emails are always sent, so they are not choices here.
 */
export async function setNotificationPreferences(
  db: Db,
  input: { userId: string; fundsReceived: boolean; paidOut: boolean },
): Promise<void> {
  await withTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ funds_received: boolean; paid_out: boolean }>(
      `UPDATE users u SET notify_funds_received = $2, notify_paid_out = $3
         FROM (SELECT notify_funds_received, notify_paid_out FROM users WHERE id = $1 FOR NO KEY UPDATE) old
        WHERE u.id = $1
        RETURNING old.notify_funds_received AS funds_received, old.notify_paid_out AS paid_out`,
      [input.userId, input.fundsReceived, input.paidOut],
    );
    const before = rows[0];
    if (!before || (before.funds_received === input.fundsReceived && before.paid_out === input.paidOut)) return;
    await recordAuditEvent(tx, {
      action: 'notification_preferences_changed',
      resourceType: 'user',
      resourceId: input.userId,
      actor: input.userId,
      details: {
        before: { fundsReceived: before.funds_received, paidOut: before.paid_out },
        after: { fundsReceived: input.fundsReceived, paidOut: input.paidOut },
      },
    });
  });
}
