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
import { createHash } from 'node:crypto';
import { type Db, type DbClient, newId, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../errors.ts';
import { formatAmount } from '../money/amount.ts';
import type { BankEntry } from '../payments/bank-file.ts';
import { applyPayoutEvent } from './apply-payout-event.ts';

/** The `payouts.partner` of a payout Drop's bank pays from a SEPA file. */
export const SEPA_PARTNER = 'sepa';

/** SEPA_PAYOUTS: who pays euro payouts to IBANs, the payout partner or Drop's own bank. */
export type SepaPayoutsRail = 'partner' | 'bank';

/** The EPC's limit on a creditor's name; a longer one is never shortened, so such payouts stay with the partner. */
const MAX_CREDITOR_NAME = 70;
/** Payouts in one file at most; the rest wait for the next export. */
const DEFAULT_FILE_LIMIT = 5000;

/** Drop as the payer: its name, its EUR account and its bank. */
export interface SepaDebtor {
  name: string;
  iban: string;
  bic: string;
}

/** One payment in a SEPA credit-transfer file (@drop/integrations' Pain001Payment has this shape). */
export interface SepaCreditTransfer {
  endToEndId: string;
  amountMinor: bigint;
  currency: 'EUR';
  creditor: { name: string; iban: string; bic?: string; country: string };
  remittance?: string;
}

/** One batch, as @drop/integrations' `buildPain001` takes it (Pain001Input). */
export interface SepaCreditTransferBatch {
  messageId: string;
  /** ISO date-time */
  createdAt: string;
  debtor: SepaDebtor;
  /** YYYY-MM-DD */
  requestedExecutionDate: string;
  payments: SepaCreditTransfer[];
}

/**
 * Writes the pain.001 XML for a batch, or throws naming the field the bank would refuse. It runs
 * inside the export's transaction, with the batch's payouts locked.
 */
export type SepaFileWriter = (batch: SepaCreditTransferBatch) => string | Promise<string>;

export interface ExportSepaPayoutsInput {
  debtor: SepaDebtor;
  /** `stf_…` from the console, `cli:<os user>` from `drop payouts sepa-export`. */
  createdBy: string;
  writeFile: SepaFileWriter;
  now?: Date;
  limit?: number;
}

export interface SepaPayoutFile {
  fileId: string;
  /** GrpHdr/MsgId, also the PmtInfId. */
  messageId: string;
  xml: string;
  count: number;
  /** EUR, as a decimal string (the file's CtrlSum). */
  controlSum: string;
}

interface WaitingPayout {
  transaction_id: string;
  idempotency_key: string;
  amount_minor: string;
  name: string;
  country: string;
  details: Record<string, string>;
}

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

const osloDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' });

/**
 * Takes every SEPA payout still waiting ('sending', its transfer processing and not held) into
 * one pain.001 file, in one transaction: the file is stored, the payouts become 'sent' with their
 * EndToEndId as reference and the file's id, and the export is audited. Rows are taken FOR UPDATE
 * SKIP LOCKED, so two exports at once never put one payout in two files (the second takes what
 * the first left). Returns nothing when no payout is waiting.
 */
export async function exportSepaPayouts(db: Db, input: ExportSepaPayoutsInput): Promise<SepaPayoutFile | undefined> {
  const now = input.now ?? new Date();
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<WaitingPayout>(
      `SELECT p.transaction_id, p.idempotency_key::text AS idempotency_key, p.amount_minor::text AS amount_minor,
              r.name, r.country, r.details
         FROM payouts p JOIN transactions t ON t.id = p.transaction_id JOIN recipients r ON r.id = t.recipient_id
        WHERE p.partner = $1 AND p.state = 'sending' AND p.sepa_file_id IS NULL AND p.currency = 'EUR' AND t.status = 'processing'
        ORDER BY p.created_at, p.transaction_id
        LIMIT $2
          FOR UPDATE OF p SKIP LOCKED`,
      [SEPA_PARTNER, input.limit ?? DEFAULT_FILE_LIMIT],
    );
    if (rows.length === 0) return undefined;

    const fileId = newId('spf');
    const messageId = `DROP-${fileId.slice('spf_'.length)}`;
    const payments = rows.map(
      (row): SepaCreditTransfer => ({
        endToEndId: sepaEndToEndId(row.idempotency_key),
        amountMinor: BigInt(row.amount_minor),
        currency: 'EUR',
        creditor: {
          name: row.name,
          iban: row.details.iban ?? '',
          ...(row.details.bic ? { bic: row.details.bic } : {}),
          country: row.country,
        },
        remittance: `Drop ${row.transaction_id.slice(-10)}`,
      }),
    );
    const controlSumMinor = payments.reduce((sum, payment) => sum + payment.amountMinor, 0n);
    const xml = await input.writeFile({
      messageId,
      createdAt: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      debtor: input.debtor,
      requestedExecutionDate: osloDate.format(now),
      payments,
    });
    const sha256 = createHash('sha256').update(xml).digest();
    await tx.query(
      `INSERT INTO sepa_payout_files (id, message_id, created_by, created_at, payouts, control_sum_minor, debtor_iban, sha256, xml)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [fileId, messageId, input.createdBy, now, rows.length, controlSumMinor.toString(), input.debtor.iban, sha256, xml],
    );
    const updated = await tx.query(
      `UPDATE payouts SET state = 'sent', partner_reference = replace(idempotency_key::text, '-', ''), partner_state = 'in_file',
                          sepa_file_id = $2, sent_at = now(), attempts = attempts + 1, last_error = NULL
        WHERE transaction_id = ANY($1::text[]) AND state = 'sending'`,
      [rows.map((row) => row.transaction_id), fileId],
    );
    if (updated.rowCount !== rows.length) throw new Error(`SEPA export: ${updated.rowCount} of ${rows.length} payouts marked sent`);
    const controlSum = formatAmount(controlSumMinor, 'EUR');
    await recordAuditEvent(tx, {
      action: 'sepa_payout_file_exported',
      resourceType: 'sepa_payout_file',
      resourceId: fileId,
      actor: input.createdBy,
      details: { messageId, payouts: rows.length, controlSum, currency: 'EUR', sha256: sha256.toString('hex') },
    });
    return { fileId, messageId, xml, count: rows.length, controlSum };
  });
}

export interface SepaPayoutFileRow {
  id: string;
  messageId: string;
  createdBy: string;
  createdAt: string;
  payouts: number;
  controlSum: string;
  currency: string;
  sha256: string;
}

/** The files exported so far, newest first. */
export async function listSepaPayoutFiles(db: DbClient, input: { limit: number }): Promise<SepaPayoutFileRow[]> {
  const { rows } = await db.query<SepaPayoutFileRow>(
    `SELECT id, message_id AS "messageId", created_by AS "createdBy",
            to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
            payouts, format_minor(control_sum_minor, currency) AS "controlSum", currency, encode(sha256, 'hex') AS sha256
       FROM sepa_payout_files ORDER BY created_at DESC, id DESC LIMIT $1`,
    [input.limit],
  );
  return rows;
}

/** One exported file's XML, exactly as it was written; NOT_FOUND when there is no such file. */
export async function getSepaPayoutFile(db: DbClient, fileId: string): Promise<{ id: string; messageId: string; xml: string }> {
  const { rows } = await db.query<{ id: string; messageId: string; xml: string }>(
    `SELECT id, message_id AS "messageId", xml FROM sepa_payout_files WHERE id = $1`,
    [fileId],
  );
  const file = rows[0];
  if (!file) throw new DomainError('NOT_FOUND', 'No such SEPA payout file.');
  return file;
}

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
