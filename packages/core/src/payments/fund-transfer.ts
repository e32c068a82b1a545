import type { DbClient } from '@drop/db';
import { holdIfCustomerBlocked } from '../aml/containment/hold-if-customer-blocked.ts';
import { queueAfterFunding } from '../payouts/start-payout.ts';
import { transitionTransferIn } from '../transfers/transition-transfer.ts';

/** `held`: the money is recorded against the transfer (pay-in posted), but the transfer waits for compliance. */
export type FundingOutcome = 'funded' | 'held';

/**
 * A payment for a transfer arrived (an exact match in a bank file, or staff matching one by hand):
 * in the caller's transaction the money is recorded against the transfer (awaiting funds → funds
 * received, the pay-in posted) and, when the transfer may go on, its payout start and the
 * customer's email are queued. The money is recorded even when the transfer may not go on, so the
 * ledger shows whose it is and compliance can release or refund it:
 * - a transfer held while it awaited funds is funded and stays held (held → awaiting funds →
 *   funds received → held, each step on its timeline);
 * - a blocked customer's transfer (customer_block_reason) is funded, then held.
 * Any other status is refused (TRANSFER_STATE_INVALID).
 */
export async function fundTransferIn(
  tx: DbClient,
  input: { transactionId: string; actor: string; reason: string },
): Promise<FundingOutcome> {
  const { rows } = await tx.query<{ status: string; held_from: string | null }>(
    `SELECT status, held_from FROM transactions WHERE id = $1 FOR UPDATE`,
    [input.transactionId],
  );
  const heldWhileAwaiting = rows[0]?.status === 'held' && rows[0].held_from === 'awaiting_funds';
  const step = { transactionId: input.transactionId, actor: input.actor };
  if (heldWhileAwaiting) {
    await transitionTransferIn(tx, { ...step, to: 'awaiting_funds', reason: `${input.reason}: recorded while held`, onlyFrom: ['held'] });
  }
  await transitionTransferIn(tx, { ...step, to: 'funds_received', reason: input.reason, onlyFrom: ['awaiting_funds'] });
  if (heldWhileAwaiting) {
    await transitionTransferIn(tx, { ...step, to: 'held', reason: 'held again: the payment is recorded, the hold stands' });
    return 'held';
  }
  if (await holdIfCustomerBlocked(tx, step)) return 'held';
  await queueAfterFunding(tx, input.transactionId);
  return 'funded';
}
