import { createHash } from 'node:crypto';
import { type Db, newId, withTransaction } from '@drop/db';
import { holdIfCustomerBlocked } from '../aml/containment/hold-if-customer-blocked.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { formatAmount } from '../money/amount.ts';
import { SEPA_PARTNER, sepaEndToEndId } from './sepa-rail.ts';

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

const osloDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' });

/**
 * Takes every SEPA payout still waiting ('sending', its transfer processing and not held, its
 * customer not blocked: those transfers are held now) into one pain.001 file, in one transaction:
 * the file is stored, the payouts become 'sent' with their EndToEndId as reference and the file's
 * id, and the export is audited. Rows are taken FOR UPDATE
 * SKIP LOCKED, so two exports at once never put one payout in two files (the second takes what
 * the first left). Returns nothing when no payout is waiting.
 */
export async function exportSepaPayouts(db: Db, input: ExportSepaPayoutsInput): Promise<SepaPayoutFile | undefined> {
  const now = input.now ?? new Date();
  return withTransaction(db, async (tx) => {
    // A blocked customer's payouts do not go in the file: their transfers are held instead.
    const blocked = await tx.query<{ transaction_id: string }>(
      `SELECT p.transaction_id FROM payouts p JOIN transactions t ON t.id = p.transaction_id JOIN users u ON u.id = t.user_id
        WHERE p.partner = $1 AND p.state = 'sending' AND p.sepa_file_id IS NULL AND t.status = 'processing'
          AND customer_block_reason(u.kyc_status, u.deleted_at, u.aml_frozen_at) IS NOT NULL
          FOR UPDATE OF p SKIP LOCKED`,
      [SEPA_PARTNER],
    );
    for (const row of blocked.rows) {
      await holdIfCustomerBlocked(tx, { transactionId: row.transaction_id, actor: input.createdBy });
    }
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
