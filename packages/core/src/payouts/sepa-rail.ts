/**
 * The SEPA payout rail: euros to IBANs paid by Drop's own bank instead of the payout partner.
 * With SEPA_PAYOUTS=bank, `startPayoutIn` writes such payouts with partner 'sepa' and no send job;
 * staff export the waiting ones in a SEPA credit-transfer file (pain.001.001.09) and upload it to
 * the bank; the bank's statements of Drop's EUR account, imported like the pay-in statements,
 * settle them: the booked debit carrying a payout's EndToEndId pays it, a returned credit fails it.
 *
 * Core writes no XML: the file is made by the writer the caller passes in (@drop/integrations'
 * `buildPain001`, which checks every field against the EPC rules before writing anything).
 */
import type { DbClient } from '@drop/db';

/** The `payouts.partner` of a payout Drop's bank pays from a SEPA file. */
export const SEPA_PARTNER = 'sepa';

/** SEPA_PAYOUTS: who pays euro payouts to IBANs, the payout partner or Drop's own bank. */
export type SepaPayoutsRail = 'partner' | 'bank';

/** The EPC's limit on a creditor's name; a longer one is never shortened, so such payouts stay with the partner. */
const MAX_CREDITOR_NAME = 70;

/** The payment's EndToEndId: its idempotency UUID without dashes (32 characters of the SEPA set). */
export function sepaEndToEndId(idempotencyKey: string): string {
  return idempotencyKey.replace(/-/g, '');
}

/** Whether Drop's bank can pay this transfer's payout by SEPA: euros, to an IBAN, for a name the file can carry. */
export async function sepaCanPay(tx: DbClient, transactionId: string): Promise<boolean> {
  const { rows } = await tx.query<{ sepa: boolean }>(
    `SELECT t.receive_currency = 'EUR' AND r.rail = 'iban' AND coalesce(r.details->>'iban', '') <> ''
            AND char_length(r.name) <= $2 AS sepa
       FROM transactions t JOIN recipients r ON r.id = t.recipient_id WHERE t.id = $1`,
    [transactionId, MAX_CREDITOR_NAME],
  );
  return rows[0]?.sepa === true;
}
