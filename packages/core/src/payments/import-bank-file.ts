import { parseTransferReference } from '@drop/check-digits';
import type { BankImportSummary, PaymentExceptionReason } from '@drop/contracts';
import { type DbClient, newId, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../errors.ts';
import { formatAmount } from '../money/amount.ts';
import { applySepaStatementEntry } from '../payouts/apply-sepa-statement-entry.ts';
import { confirmCustomerRefundIn } from '../transfers/confirm-customer-refund.ts';
import { type BankEntry, type BankFile, norwegianAccountOf } from './bank-file.ts';
import { fundTransferIn } from './fund-transfer.ts';
import { isValidKid, type KidFormat, normaliseKid } from './kid.ts';
import { refundPaidBy } from './refund-paid-by.ts';

/** Why an incoming payment could not fund a transfer by itself (named in @drop/contracts). */
export type ExceptionReason = PaymentExceptionReason;

export interface ImportBankFileInput {
  file: BankFile;
  /** SHA-256 of the file's bytes: the same file twice is recognised and changes nothing. */
  sha256: Buffer;
  fileName?: string | undefined;
  /** `stf_…` for an upload in the console, `cli:<os user>` for `drop payments import`. */
  importedBy: string;
  /** Drop's client account (11 digits): every report in the file must be for it (or for the SEPA account). */
  payInAccount: string;
  /**
   * Drop's EUR account that SEPA payouts are paid from (a Norwegian IBAN): its statements are
   * accepted too, and settle those payouts by EndToEndId. Unset: only the client account is.
   */
  sepaAccountIban?: string | undefined;
  kidFormat: KidFormat;
  /** A payment booked up to this many days after the quote expired is honoured at its rate. */
  lateToleranceDays: number;
}

/** What one import did: the API's answer, shaped by the contract. */
export type { BankImportSummary } from '@drop/contracts';

const IMPORTER = 'system:bank-import';

/**
 * Imports a bank statement or notification file in one database transaction: the file is
 * refused whole (nothing applied) if any report is for another account; each booked credit funds
 * the transfer whose KID it carries when the amount is exact and the quote still holds (within
 * the tolerance), and otherwise waits in the exceptions queue with its money in the ledger's
 * suspense account. Bookings already seen in an earlier file are skipped, and the same file
 * twice changes nothing.
 */
export async function importBankFile(db: DbClient, input: ImportBankFileInput): Promise<BankImportSummary> {
  const sepaAccount = input.sepaAccountIban === undefined ? undefined : norwegianAccountOf({ iban: input.sepaAccountIban });
  if (input.sepaAccountIban !== undefined && sepaAccount === undefined) {
    throw new Error(`The SEPA account ${input.sepaAccountIban} is not a Norwegian IBAN.`);
  }
  for (const report of input.file.reports) {
    const account = norwegianAccountOf(report.account);
    if (account !== input.payInAccount && (sepaAccount === undefined || account !== sepaAccount)) {
      const accounts = sepaAccount === undefined ? '' : ` or its EUR account ${input.sepaAccountIban}`;
      throw new DomainError(
        'BANK_ACCOUNT_MISMATCH',
        `The file reports on account ${report.account.iban ?? report.account.other ?? '(none)'}, not Drop's client account ${input.payInAccount}${accounts}. Nothing was imported.`,
        { report: report.id },
      );
    }
  }
  const onlySepa = sepaAccount !== undefined && input.file.reports.every((report) => norwegianAccountOf(report.account) === sepaAccount);
  return withTransaction(db, async (tx) => {
    const fileId = newId('bf');
    const inserted = await tx.query(
      `INSERT INTO bank_files (id, sha256, kind, message_id, file_name, account, imported_by, summary)
       VALUES ($1, $2, $3, $4, $5, $6, $7, '{}') ON CONFLICT (sha256) DO NOTHING RETURNING id`,
      [
        fileId,
        input.sha256,
        input.file.kind,
        input.file.messageId,
        input.fileName ?? null,
        onlySepa ? sepaAccount : input.payInAccount,
        input.importedBy,
      ],
    );
    if (inserted.rowCount === 0) {
      const { rows } = await tx.query<{ summary: BankImportSummary }>('SELECT summary FROM bank_files WHERE sha256 = $1', [input.sha256]);
      const previous = rows[0]?.summary;
      if (!previous) throw new Error('bank file vanished');
      return { ...previous, alreadyImported: true };
    }

    const summary: BankImportSummary = {
      fileId,
      alreadyImported: false,
      kind: input.file.kind,
      messageId: input.file.messageId,
      entries: 0,
      alreadySeen: 0,
      notBooked: 0,
      funded: [],
      refunds: [],
      exceptions: [],
      debits: 0,
    };
    for (const report of input.file.reports) {
      const account = norwegianAccountOf(report.account);
      const sepa = sepaAccount !== undefined && account === sepaAccount;
      if (sepa) summary.payouts ??= [];
      for (const entry of report.entries) {
        summary.entries++;
        if (entry.status !== 'BOOK') {
          summary.notBooked++;
          continue;
        }
        if (sepa) await applySepaAccountEntry(tx, sepaAccount, fileId, entry, summary);
        else await applyEntry(tx, input, fileId, entry, summary);
      }
    }
    await tx.query('UPDATE bank_files SET summary = $2::jsonb WHERE id = $1', [fileId, JSON.stringify(summary)]);
    await recordAuditEvent(tx, {
      action: 'bank_file_imported',
      resourceType: 'bank_file',
      resourceId: fileId,
      actor: input.importedBy,
      details: {
        kind: input.file.kind,
        messageId: input.file.messageId,
        entries: summary.entries,
        funded: summary.funded.length,
        exceptions: summary.exceptions.length,
        alreadySeen: summary.alreadySeen,
        ...(summary.payouts ? { payouts: summary.payouts.length } : {}),
      },
    });
    return summary;
  });
}

/** The KID a credit carries: the structured reference, else a valid KID written in the message. */
export function kidOf(entry: Pick<BankEntry, 'kid' | 'unstructured'>, format: KidFormat): string | undefined {
  const structured = entry.kid ? normaliseKid(entry.kid) : undefined;
  if (structured && isValidKid(structured, format)) return structured;
  for (const candidate of entry.unstructured?.match(/\d[\d .]{2,40}\d/g) ?? []) {
    const digits = normaliseKid(candidate);
    if (isValidKid(digits, format)) return digits;
  }
  return structured;
}

/**
 * A booked entry of Drop's EUR account: stored once per bank reference like any other, and applied
 * to the SEPA payout its EndToEndId names (paid by the debit, failed by a returned credit). Entries
 * that name no payout are recorded for reconciliation; none of them touches the suspense account.
 */
async function applySepaAccountEntry(tx: DbClient, account: string, fileId: string, entry: BankEntry, summary: BankImportSummary) {
  const entryId = await insertEntry(tx, account, fileId, entry, undefined);
  if (entryId === undefined) {
    summary.alreadySeen++;
    return;
  }
  if (entry.creditDebit === 'DBIT') summary.debits++;
  const match = await applySepaStatementEntry(tx, entryId, entry);
  if (match) summary.payouts?.push(match);
}

/** Stores a booked entry once per (account, bank reference); undefined when it was seen before. */
async function insertEntry(
  tx: DbClient,
  account: string,
  fileId: string,
  entry: BankEntry,
  kid: string | undefined,
): Promise<string | undefined> {
  const entryId = newId('be');
  const inserted = await tx.query(
    `INSERT INTO bank_entries (id, bank_file_id, account, reference, credit_debit, reversal, amount_minor, currency, booking_date,
                               value_date, kid, unstructured, debtor_name, debtor_account, end_to_end_id, return_reason, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'recorded')
     ON CONFLICT (account, reference) DO NOTHING`,
    [
      entryId,
      fileId,
      account,
      entry.reference,
      entry.creditDebit,
      entry.reversal,
      entry.amountMinor.toString(),
      entry.currency,
      entry.bookingDate ?? null,
      entry.valueDate ?? null,
      kid ?? null,
      entry.unstructured ?? null,
      entry.debtor?.name ?? null,
      entry.debtor?.account ?? null,
      entry.endToEndId ?? null,
      entry.returnReason ?? null,
    ],
  );
  return inserted.rowCount === 0 ? undefined : entryId;
}

/**
 * A credit that carries no valid KID but names a transfer by its human reference in the message
 * ("DRP-7K3-92QX", any case or spacing, the check character agreeing): that transfer's KID. The
 * KID stays the payment reference; this only saves a customer who wrote the reference they see in
 * the app an exception, and every other check (amount, status, lateness) still applies.
 */
async function kidByReference(tx: DbClient, entry: BankEntry): Promise<string | undefined> {
  for (const candidate of entry.unstructured?.match(/D\s*R\s*P[\s\-–]*[2-9A-Z]{3}[\s\-–]*[2-9A-Z]{4}/gi) ?? []) {
    const reference = parseTransferReference(candidate);
    if (!reference) continue;
    const { rows } = await tx.query<{ kid: string | null }>('SELECT kid FROM transactions WHERE reference = $1', [reference]);
    if (rows[0]?.kid) return rows[0].kid;
  }
  return undefined;
}

async function applyEntry(tx: DbClient, input: ImportBankFileInput, fileId: string, entry: BankEntry, summary: BankImportSummary) {
  let kid = entry.creditDebit === 'CRDT' ? kidOf(entry, input.kidFormat) : undefined;
  if (entry.creditDebit === 'CRDT' && !(kid && isValidKid(kid, input.kidFormat))) kid = (await kidByReference(tx, entry)) ?? kid;
  const entryId = await insertEntry(tx, input.payInAccount, fileId, entry, kid);
  if (entryId === undefined) {
    summary.alreadySeen++;
    return;
  }
  if (entry.creditDebit === 'DBIT') {
    summary.debits++;
    // Money leaving the client account: a refund Drop owed is now paid.
    const refunded = await refundPaidBy(tx, {
      amountMinor: entry.amountMinor,
      currency: entry.currency,
      creditorAccount: entry.creditor?.account,
    });
    if (refunded) {
      await confirmCustomerRefundIn(tx, { transactionId: refunded, actor: IMPORTER, via: `bank debit ${entry.reference}` });
      await tx.query(`UPDATE bank_entries SET status = 'matched', transaction_id = $2 WHERE id = $1`, [entryId, refunded]);
      summary.refunds.push({ entryId, transactionId: refunded, amount: formatAmount(entry.amountMinor, 'NOK') });
    }
    return;
  }

  const reason = await matchCredit(tx, input, entryId, entry, kid, summary);
  if (reason === undefined) return;
  // Money Drop cannot attribute yet: it is in the bank, and owed to whoever sent it.
  await tx.query(`UPDATE bank_entries SET status = 'exception', exception_reason = $2 WHERE id = $1`, [entryId, reason]);
  if (entry.currency === 'NOK') {
    await tx.query(
      `SELECT ledger_post(NULL, jsonb_build_array(jsonb_build_object(
         'kind', 'posted', 'code', 'unidentified_receipt', 'currency', 'NOK', 'amount', $1::bigint,
         'debit', ledger_system_account('bank', 'NOK', 0::smallint),
         'credit', ledger_system_account('suspense', 'NOK', 0::smallint))))`,
      [entry.amountMinor.toString()],
    );
  }
  summary.exceptions.push({
    entryId,
    reason,
    amount: formatAmount(entry.amountMinor, entry.currency),
    currency: entry.currency,
    kid: kid ?? null,
  });
}

/** Funds the transfer the credit pays for and returns nothing, or says why it cannot. */
async function matchCredit(
  tx: DbClient,
  input: ImportBankFileInput,
  entryId: string,
  entry: BankEntry,
  kid: string | undefined,
  summary: BankImportSummary,
): Promise<ExceptionReason | undefined> {
  if (entry.reversal) return 'reversal';
  if (entry.currency !== 'NOK') return 'wrong_currency';
  if (!kid || !isValidKid(kid, input.kidFormat)) return 'no_reference';
  const { rows } = await tx.query<{ id: string; status: string; held_from: string | null; send_amount_minor: string; late: boolean }>(
    `SELECT t.id, t.status, t.held_from, t.send_amount_minor,
            coalesce($2::date, (now() AT TIME ZONE 'Europe/Oslo')::date)
              > (q.expires_at AT TIME ZONE 'Europe/Oslo')::date + $3::int AS late
       FROM transactions t LEFT JOIN quotes q ON q.id = t.quote_id
      WHERE t.kid = $1 FOR UPDATE OF t`,
    [kid, entry.bookingDate ?? null, input.lateToleranceDays],
  );
  const transfer = rows[0];
  if (!transfer) return 'unknown_kid';
  // A transfer held before its money came is still paid for by it: fundTransferIn records the money and keeps the hold.
  if (transfer.status !== 'awaiting_funds' && !(transfer.status === 'held' && transfer.held_from === 'awaiting_funds')) {
    return ['funds_received', 'processing', 'paid_out'].includes(transfer.status) ? 'duplicate_payment' : 'transfer_not_awaiting_funds';
  }
  const due = BigInt(transfer.send_amount_minor);
  if (entry.amountMinor < due) return 'underpayment';
  if (entry.amountMinor > due) return 'overpayment';
  if (transfer.late) return 'late_payment';
  const funding = await fundTransferIn(tx, { transactionId: transfer.id, actor: IMPORTER, reason: `bank payment ${entry.reference}` });
  await tx.query(`UPDATE bank_entries SET status = 'matched', transaction_id = $2 WHERE id = $1`, [entryId, transfer.id]);
  summary.funded.push({
    entryId,
    transactionId: transfer.id,
    amount: formatAmount(entry.amountMinor, 'NOK'),
    kid,
    held: funding === 'held',
  });
  return undefined;
}
