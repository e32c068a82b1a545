import type { DbClient } from '@drop/db';
import { DomainError } from '../errors.ts';

/** Statuses in which a transfer may still pay out (or be released to) its recipient's details. */
export const RECIPIENT_BUSY_STATUSES = ['awaiting_funds', 'funds_received', 'processing', 'held'] as const;

/**
 * Locks the customer's live recipient for a change (edit or removal) and refuses while a transfer
 * to it is on its way: that transfer pays the details the customer confirmed, and a change now
 * would look like it changed the payment. The row lock (FOR UPDATE) waits for, and is waited on
 * by, create_transfer's FOR KEY SHARE on the same row, so a transfer cannot slip in between the
 * check and the change.
 */
export async function lockRecipientForChange(tx: DbClient, input: { userId: string; recipientId: string }): Promise<void> {
  const { rows } = await tx.query<{ id: string }>(
    `SELECT id FROM recipients WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL FOR UPDATE`,
    [input.recipientId, input.userId],
  );
  if (!rows[0]) throw new DomainError('RECIPIENT_NOT_FOUND', 'No such recipient.');
  const busy = await tx.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM transactions WHERE recipient_id = $1 AND status = ANY($2::text[])`,
    [input.recipientId, RECIPIENT_BUSY_STATUSES],
  );
  const count = busy.rows[0]?.count ?? 0;
  if (count > 0) {
    throw new DomainError('RECIPIENT_IN_USE', 'A transfer to this recipient is on its way; change or remove them once it has arrived.', {
      transfersInFlight: count,
    });
  }
}
