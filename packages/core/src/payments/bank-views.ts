import type { BankFileRecord, Money, PaymentException } from '@drop/contracts';
import type { DbClient } from '@drop/db';

/** A queued payment as the API shows it (the contract's `PaymentException`). */
export type BankExceptionRow = PaymentException;

/** The exceptions queue, oldest first: what staff must match by hand or refund. */
export async function listBankExceptions(db: DbClient, input: { limit: number }): Promise<BankExceptionRow[]> {
  const { rows } = await db.query<BankExceptionRow>(
    `SELECT e.id, e.exception_reason AS reason, format_minor(e.amount_minor, e.currency) AS amount, e.currency, e.kid,
            e.unstructured AS message, e.debtor_name AS "debtorName", e.debtor_account AS "debtorAccount",
            to_char(e.booking_date, 'YYYY-MM-DD') AS "bookingDate", e.reference, e.bank_file_id AS "fileId",
            t.id AS "transactionId", to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"
       FROM bank_entries e LEFT JOIN transactions t ON t.kid = e.kid
      WHERE e.status = 'exception'
      ORDER BY e.created_at, e.id LIMIT $1`,
    [input.limit],
  );
  return rows;
}

/** An imported file as the API shows it (the contract's `BankFileRecord`). */
export type BankFileRow = BankFileRecord;

/** Imported files, newest first, with what each import did. */
export async function listBankFiles(db: DbClient, input: { limit: number }): Promise<BankFileRow[]> {
  const { rows } = await db.query<BankFileRow>(
    `SELECT f.id, f.kind, f.message_id AS "messageId", f.file_name AS "fileName", f.imported_by AS "importedBy",
            s.full_name AS "importedByName",
            to_char(f.imported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "importedAt", f.summary
       FROM bank_files f LEFT JOIN staff s ON s.id = f.imported_by
      ORDER BY f.imported_at DESC, f.id DESC LIMIT $1`,
    [input.limit],
  );
  return rows;
}

/**
 * The money waiting in the exceptions queue, one sum per currency (NOK first), summed in the
 * database in minor units: the console shows it and does no arithmetic of its own.
 */
export async function bankExceptionTotals(db: DbClient): Promise<Money[]> {
  const { rows } = await db.query<Money>(
    `SELECT format_minor(sum(amount_minor)::bigint, currency) AS amount, currency
       FROM bank_entries WHERE status = 'exception'
      GROUP BY currency ORDER BY currency <> 'NOK', currency`,
  );
  return rows;
}
