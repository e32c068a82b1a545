/**
 * Shared by the tests that import bank files (payments, ledger reconciliation, SEPA payouts): one
 * statement line, built the way the bank books most of them.
 */
import { newId } from '@drop/db';
import { TODAY_IN_OSLO } from '../../../../test/support/money.ts';
import type { BankEntry } from './bank-file.ts';

/** The customer the tests' payments come from. */
export const CUSTOMER_DEBTOR = { name: 'Kari Nordmann', account: '12345678903' };

/** A booked NOK credit from today with a reference of its own; `extra` changes any of that. */
export function bankEntry(amountMinor: bigint, extra: Partial<BankEntry> = {}): BankEntry {
  return {
    reference: `ref-${newId('be')}`,
    creditDebit: 'CRDT',
    reversal: false,
    status: 'BOOK',
    amountMinor,
    currency: 'NOK',
    bookingDate: TODAY_IN_OSLO,
    ...extra,
  };
}
