import type { DbClient } from '@drop/db';
import type { TransferStatus } from '../../transfers/transfer-status.ts';
import { transitionTransferIn } from '../../transfers/transition-transfer.ts';

/** The statuses whose money has not left Drop (the same as the database's hold_customer_transfers). */
const IN_FLIGHT: readonly TransferStatus[] = ['awaiting_funds', 'funds_received', 'processing'];

/**
 * Defence in depth behind the containment trigger on users: asks the database whether the
 * transfer's customer is blocked (customer_block_reason: deleted, frozen by AML, not verified) and,
 * if so, holds the transfer when it is still in flight, in the caller's transaction and under the
 * transfer's lock. Returns why the customer is blocked, or null when they are not (nothing done).
 * Money steps (payout start and send, the SEPA export, the bank import) call it before moving money.
 */
export async function holdIfCustomerBlocked(tx: DbClient, input: { transactionId: string; actor: string }): Promise<string | null> {
  const { rows } = await tx.query<{ status: TransferStatus; reason: string | null }>(
    `SELECT t.status, customer_block_reason(u.kyc_status, u.deleted_at, u.aml_frozen_at) AS reason
       FROM transactions t JOIN users u ON u.id = t.user_id
      WHERE t.id = $1 FOR UPDATE OF t`,
    [input.transactionId],
  );
  const transfer = rows[0];
  if (!transfer?.reason) return null;
  if (IN_FLIGHT.includes(transfer.status)) {
    await transitionTransferIn(tx, {
      transactionId: input.transactionId,
      to: 'held',
      actor: input.actor,
      reason: `customer blocked (${transfer.reason})`,
    });
  }
  return transfer.reason;
}
