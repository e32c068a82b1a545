import { type Db, type DbClient, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../database-errors.ts';
import { formatAmount } from '../money/amount.ts';
import { lockException, postSuspenseOut, refundAccount } from './bank-exception.ts';

export interface RefundBankEntryInput {
  entryId: string;
  staffId: string;
  note: string;
  /** By default the account that paid, as the bank reported it. */
  refundTo?: string | undefined;
}

/**
 * Staff send a payment from the exceptions queue back to whoever paid it: the money leaves the
 * suspense account and the bank account in the ledger, and the entry records where it went.
 */
export async function refundBankEntry(db: Db, input: RefundBankEntryInput) {
  return mappingDomainErrors(() => withTransaction(db, (tx) => refundBankEntryIn(tx, input)));
}

/** The same, inside the caller's transaction. */
export async function refundBankEntryIn(tx: DbClient, input: RefundBankEntryInput) {
  const entry = await lockException(tx, input.entryId);
  const to = refundAccount(input.refundTo, entry);
  const amount = BigInt(entry.amount_minor);
  // Only NOK credits were put in the suspense account; a foreign-currency credit is returned as is.
  if (entry.currency === 'NOK' && entry.credit_debit === 'CRDT') await postSuspenseOut(tx, 'suspense_refund', amount, null);
  await tx.query(
    `UPDATE bank_entries SET status = 'refunded', resolved_by = $2, resolved_at = now(), resolution_note = $3, refund_account = $4
          WHERE id = $1`,
    [entry.id, input.staffId, input.note, to],
  );
  await recordAuditEvent(tx, {
    action: 'bank_entry_refunded',
    resourceType: 'bank_entry',
    resourceId: entry.id,
    actor: input.staffId,
    details: { reason: entry.exception_reason, amount: formatAmount(amount, entry.currency), currency: entry.currency },
  });
  return { entryId: entry.id, refundedTo: to, amount: formatAmount(amount, entry.currency), currency: entry.currency };
}
