/**
 * A payment in the exceptions queue (a bank entry Drop could not match), and what both ways of
 * resolving it share: match it to a transfer by hand (match-bank-entry.ts) or refund it
 * (refund-bank-entry.ts).
 */
import type { DbClient } from '@drop/db';
import { DomainError } from '../errors.ts';

export interface ExceptionRow {
  id: string;
  reference: string;
  status: string;
  credit_debit: string;
  reversal: boolean;
  amount_minor: string;
  currency: string;
  debtor_account: string | null;
  exception_reason: string | null;
}

/** The bank entry waiting in the exceptions queue, locked for the caller's transaction; refused when it was already dealt with. */
export async function lockException(tx: DbClient, entryId: string): Promise<ExceptionRow> {
  const { rows } = await tx.query<ExceptionRow>(
    `SELECT id, reference, status, credit_debit, reversal, amount_minor, currency, debtor_account, exception_reason
       FROM bank_entries WHERE id = $1 FOR UPDATE`,
    [entryId],
  );
  const entry = rows[0];
  if (!entry) throw new DomainError('NOT_FOUND', 'No such bank entry.');
  if (entry.status !== 'exception') {
    throw new DomainError('BANK_ENTRY_STATE_INVALID', `This payment was already dealt with (${entry.status}).`, { status: entry.status });
  }
  return entry;
}

/** Money leaves the unidentified-receipts account back out of the bank: it is being paid back. */
export async function postSuspenseOut(
  tx: DbClient,
  code: 'suspense_matched' | 'suspense_refund',
  amountMinor: bigint,
  transactionId: string | null,
) {
  await tx.query(
    `SELECT ledger_post($1, jsonb_build_array(jsonb_build_object(
       'kind', 'posted', 'code', $2::text, 'currency', 'NOK', 'amount', $3::bigint,
       'debit', ledger_system_account('suspense', 'NOK', 0::smallint),
       'credit', ledger_system_account('bank', 'NOK', 0::smallint))))`,
    [transactionId, code, amountMinor.toString()],
  );
}

const ACCOUNT = /^(\d{11}|[A-Z]{2}\d{2}[A-Z0-9]{10,30})$/;

/** The account a refund goes to: the one given, else the one that paid (11 digits or an IBAN). */
export function refundAccount(given: string | undefined, entry: ExceptionRow): string {
  const account = (given ?? entry.debtor_account ?? '').replace(/[\s.]/g, '').toUpperCase();
  if (!ACCOUNT.test(account)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      entry.debtor_account || given
        ? 'The refund account is not an 11-digit Norwegian account number or an IBAN.'
        : 'The bank did not say which account paid: give the account to refund to.',
      { field: 'refundTo' },
    );
  }
  return account;
}
