import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';

/** The customer withdraws the address waiting for its code; the verified one (if any) stays. Idempotent. */
export async function cancelEmailChange(db: Db, input: { userId: string }): Promise<void> {
  await withTransaction(db, async (tx) => {
    const closed = await tx.query<{ id: string }>(
      'UPDATE email_verifications SET closed_at = now() WHERE user_id = $1 AND closed_at IS NULL RETURNING id',
      [input.userId],
    );
    const id = closed.rows[0]?.id;
    if (!id) return;
    await recordAuditEvent(tx, {
      action: 'email_change_cancelled',
      resourceType: 'user',
      resourceId: input.userId,
      actor: input.userId,
      details: { verificationId: id },
    });
  });
}
