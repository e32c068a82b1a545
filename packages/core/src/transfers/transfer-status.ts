/**
 * A transfer's life: awaiting funds → funds received → processing → paid out, with cancelled,
 * failed and refunded as the ways out and 'held' as compliance's pause button. The database owns
 * the rules (table transfer_status_transitions and trigger transactions_guard, whose body is
 * packages/db/functions/transactions_guard.sql); the statuses are named in @drop/contracts; this
 * file says what each step does to the ledger.
 */
import type { TransferStatus } from '@drop/contracts';

export { TRANSFER_STATUSES, type TransferStatus } from '@drop/contracts';

/**
 * What a status change moves in the ledger. A held transfer moves money as the status it was held
 * in would: releasing it moves nothing, stopping it takes that status's own exit.
 */
export type LedgerMovement =
  | 'post_payin' // the customer's money arrived: the reserved pay-in is posted
  | 'void_payin' // cancelled before paying: the reservation is released
  | 'convert' // fee taken, NOK converted, payout reserved at the partner
  | 'post_payout' // the partner paid the recipient
  | 'fail_payout' // the partner failed: payout released, fee and conversion reversed
  | 'return_payout' // paid, then sent back by the recipient's bank: payout, fee and conversion reversed
  | 'refund'; // the customer's money goes back to their bank account

export function ledgerMovementFor(from: TransferStatus, to: TransferStatus, heldFrom: TransferStatus | null): LedgerMovement | null {
  if (to === 'held') return null;
  const effectiveFrom = from === 'held' ? heldFrom : from;
  if (from === 'held' && to === heldFrom) return null;
  switch (`${effectiveFrom}->${to}`) {
    case 'awaiting_funds->funds_received':
      return 'post_payin';
    case 'awaiting_funds->cancelled':
      return 'void_payin';
    case 'funds_received->processing':
      return 'convert';
    case 'processing->paid_out':
      return 'post_payout';
    case 'processing->failed':
      return 'fail_payout';
    case 'paid_out->failed':
      return 'return_payout';
    case 'funds_received->refunded':
    case 'failed->refunded':
      return 'refund';
    default:
      return null;
  }
}

/** How a new transfer reaches each status from awaiting_funds, one legal step at a time (the demo seeder and tests walk these). */
export const STEPS_TO_STATUS: Record<TransferStatus, TransferStatus[]> = {
  awaiting_funds: [],
  funds_received: ['funds_received'],
  processing: ['funds_received', 'processing'],
  paid_out: ['funds_received', 'processing', 'paid_out'],
  held: ['held'],
  cancelled: ['cancelled'],
  failed: ['funds_received', 'processing', 'failed'],
  refunded: ['funds_received', 'refunded'],
};
