import { type Db, type DbClient, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../database-errors.ts';
import { DomainError } from '../errors.ts';
import { formatAmount } from '../money/amount.ts';
import { lockException, postSuspenseOut, refundAccount } from './bank-exception.ts';
import { fundTransferIn } from './fund-transfer.ts';

export interface MatchBankEntryInput {
  entryId: string;
  transactionId: string;
  staffId: string;
  note: string;
  /** Where any amount beyond the transfer's goes back to; by default the account that paid. */
  refundExcessTo?: string | undefined;
}

/**
 * Staff decide that a payment in the exceptions queue pays for a transfer (a KID mistyped, a
 * late payment honoured): the transfer is funded as an exact match would have funded it, the
 * amount leaves the suspense account, and anything paid beyond the transfer's amount is refunded
 * to the payer, all in one transaction with an audit event. A held transfer, or a blocked
 * customer's, gets the money recorded and stays held (fundTransferIn).
 */
export async function matchBankEntryByHand(db: Db, input: MatchBankEntryInput) {
  return mappingDomainErrors(() => withTransaction(db, (tx) => matchBankEntryIn(tx, input)));
}

/** The same, inside the caller's transaction. */
export async function matchBankEntryIn(tx: DbClient, input: MatchBankEntryInput) {
  const entry = await lockException(tx, input.entryId);
  if (entry.credit_debit !== 'CRDT' || entry.reversal || entry.currency !== 'NOK') {
    throw new DomainError('BANK_ENTRY_STATE_INVALID', 'Only an incoming NOK payment can fund a transfer; refund this one instead.');
  }
  const { rows } = await tx.query<{ send_amount_minor: string; status: string }>(
    `SELECT send_amount_minor, status FROM transactions WHERE id = $1 AND type = 'transfer' FOR UPDATE`,
    [input.transactionId],
  );
  const transfer = rows[0];
  if (!transfer) throw new DomainError('NOT_FOUND', 'No such transfer.');
  const paid = BigInt(entry.amount_minor);
  const due = BigInt(transfer.send_amount_minor);
  if (paid < due) {
    throw new DomainError(
      'PAYMENT_AMOUNT_MISMATCH',
      `The payment (NOK ${formatAmount(paid, 'NOK')}) does not cover the transfer (NOK ${formatAmount(due, 'NOK')}): refund it instead.`,
      { paid: formatAmount(paid, 'NOK'), due: formatAmount(due, 'NOK') },
    );
  }
  const excessTo = paid > due ? refundAccount(input.refundExcessTo, entry) : null;
  const funding = await fundTransferIn(tx, {
    transactionId: input.transactionId,
    actor: input.staffId,
    reason: `bank payment ${entry.reference} matched by hand: ${input.note}`,
  });
  await postSuspenseOut(tx, 'suspense_matched', due, input.transactionId);
  if (excessTo) await postSuspenseOut(tx, 'suspense_refund', paid - due, input.transactionId);
  await tx.query(
    `UPDATE bank_entries SET status = 'resolved', transaction_id = $2, resolved_by = $3, resolved_at = now(),
                resolution_note = $4, refund_account = $5 WHERE id = $1`,
    [entry.id, input.transactionId, input.staffId, input.note, excessTo],
  );
  await recordAuditEvent(tx, {
    action: 'bank_entry_matched',
    resourceType: 'bank_entry',
    resourceId: entry.id,
    actor: input.staffId,
    details: {
      transactionId: input.transactionId,
      reason: entry.exception_reason,
      amount: formatAmount(paid, 'NOK'),
      refunded: excessTo ? formatAmount(paid - due, 'NOK') : null,
      held: funding === 'held',
    },
  });
  return { entryId: entry.id, transactionId: input.transactionId, refunded: excessTo ? formatAmount(paid - due, 'NOK') : null };
}
