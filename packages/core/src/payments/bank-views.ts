import type { DbClient } from '@drop/db';
import type { BankImportSummary, ExceptionReason } from './import-bank-file.ts';

export interface BankExceptionRow {
  id: string;
  reason: ExceptionReason;
  amount: string;
  currency: string;
  kid: string | null;
  message: string | null;
  debtorName: string | null;
  debtorAccount: string | null;
  bookingDate: string | null;
  reference: string;
  fileId: string;
  /** The transfer the KID names, when it names one (for under-, over-, late and double payments). */
  transactionId: string | null;
  createdAt: string;
}

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

export interface BankFileRow {
  id: string;
  kind: string;
  messageId: string;
  fileName: string | null;
  importedBy: string;
  importedAt: string;
  summary: BankImportSummary;
}

/** Imported files, newest first, with what each import did. */
export async function listBankFiles(db: DbClient, input: { limit: number }): Promise<BankFileRow[]> {
  const { rows } = await db.query<BankFileRow>(
    `SELECT id, kind, message_id AS "messageId", file_name AS "fileName", imported_by AS "importedBy",
            to_char(imported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "importedAt", summary
       FROM bank_files ORDER BY imported_at DESC, id DESC LIMIT $1`,
    [input.limit],
  );
  return rows;
}
