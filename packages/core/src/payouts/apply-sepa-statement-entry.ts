import type { DbClient } from '@drop/db';
import type { BankEntry } from '../payments/bank-file.ts';
import { applyPayoutEvent } from './apply-payout-event.ts';
import { SEPA_PARTNER } from './sepa-rail.ts';

/** What a statement entry of the EUR account did to the SEPA payout its EndToEndId names. */
export interface SepaStatementMatch {
  entryId: string;
  transactionId: string;
  endToEndId: string;
  /**
   * paid / returned / failed: the payout (and its transfer) moved; ignored: nothing new (already
   * settled); amount_mismatch: a debit for another amount than the payout's, left for staff.
   */
  outcome: 'paid' | 'returned' | 'failed' | 'ignored' | 'amount_mismatch';
}

/**
 * Applies one booked entry of Drop's EUR account (already stored as `entryId`) to the SEPA payout
 * whose EndToEndId it carries, in the import's transaction: a debit of the payout's amount pays
 * it; a credit with a return reason fails it (returned when it had been paid, failed when not
 * yet). Returns nothing for an entry that names no SEPA payout (fees, interest, other payments).
 */
export async function applySepaStatementEntry(tx: DbClient, entryId: string, entry: BankEntry): Promise<SepaStatementMatch | undefined> {
  const endToEndId = entry.endToEndId?.trim();
  if (!endToEndId || entry.currency !== 'EUR') return undefined;
  const isDebit = entry.creditDebit === 'DBIT' && !entry.reversal;
  const isReturn = entry.creditDebit === 'CRDT' && Boolean(entry.returnReason);
  if (!isDebit && !isReturn) return undefined;
  const { rows } = await tx.query<{ transaction_id: string; state: string; amount_minor: string }>(
    `SELECT transaction_id, state, amount_minor::text AS amount_minor FROM payouts WHERE partner = $1 AND partner_reference = $2 FOR UPDATE`,
    [SEPA_PARTNER, endToEndId],
  );
  const payout = rows[0];
  if (!payout) return undefined;
  await tx.query('UPDATE bank_entries SET transaction_id = $2 WHERE id = $1', [entryId, payout.transaction_id]);
  const match = { entryId, transactionId: payout.transaction_id, endToEndId };
  if (isDebit && entry.amountMinor !== BigInt(payout.amount_minor)) return { ...match, outcome: 'amount_mismatch' };

  const state = isDebit ? 'paid' : payout.state === 'paid' ? 'returned' : 'failed';
  const applied = await applyPayoutEvent(tx, {
    partner: SEPA_PARTNER,
    event: {
      partnerReference: endToEndId,
      state,
      partnerState: isDebit ? 'booked' : `returned ${entry.returnReason}`,
      occurredAt: entry.bookingDate ?? new Date().toISOString(),
      deliveryId: entry.reference,
    },
  });
  return { ...match, outcome: applied === 'applied' ? state : 'ignored' };
}
