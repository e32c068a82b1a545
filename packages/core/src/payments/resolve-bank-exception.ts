import { type Db, type DbClient, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../database-errors.ts';
import { DomainError } from '../errors.ts';
import { formatAmount } from '../money/amount.ts';
import { queueAfterFunding } from '../payouts/start-payout.ts';
import { transitionTransferIn } from '../transfers/transition-transfer.ts';

interface ExceptionRow {
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

async function lockException(tx: DbClient, entryId: string): Promise<ExceptionRow> {
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
async function postSuspenseOut(
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

function refundAccount(given: string | undefined, entry: ExceptionRow): string {
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
 * to the payer, all in one transaction with an audit event.
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
  await transitionTransferIn(tx, {
    transactionId: input.transactionId,
    to: 'funds_received',
    actor: input.staffId,
    reason: `bank payment ${entry.reference} matched by hand: ${input.note}`,
    onlyFrom: ['awaiting_funds'],
  });
  await postSuspenseOut(tx, 'suspense_matched', due, input.transactionId);
  await queueAfterFunding(tx, input.transactionId);
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
    },
  });
  return { entryId: entry.id, transactionId: input.transactionId, refunded: excessTo ? formatAmount(paid - due, 'NOK') : null };
}

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
