/**
 * The customer's bank payments arriving, the way API tests make them: the bank's camt.054
 * notification crediting Drop's client account with each transfer's amount and KID, uploaded by
 * staff at /api/staff/bank-files. Returns the import summary.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { buildCamt054 } from '@drop/integrations';
import type { TestTransfer } from './customers.ts';

/** Drop's client account in the test configuration (PAYIN_IBAN). */
export const PAYIN_IBAN = 'NO9386011117947';

export interface PayInSummary {
  funded: Array<{ transactionId: string; held: boolean }>;
  exceptions: unknown[];
}

export async function payInByBankFile(input: {
  base: string;
  staffCookie: string;
  transfers: readonly TestTransfer[];
}): Promise<PayInSummary> {
  const file = randomUUID().slice(0, 8);
  const xml = buildCamt054({
    messageId: `DNB-${file}`,
    createdAt: new Date().toISOString(),
    account: { iban: PAYIN_IBAN },
    entries: input.transfers.map((t, i) => ({
      reference: `BOOK-${file}-${i}`,
      creditDebit: 'CRDT' as const,
      amountMinor: BigInt(t.send.amount.replace('.', '')),
      currency: 'NOK',
      bookingDate: new Date().toISOString().slice(0, 10),
      kid: t.kid,
      debtorName: 'Kari Nordmann',
      debtorAccount: '12345678903',
    })),
  });
  const response = await fetch(`${input.base}/api/staff/bank-files`, {
    method: 'POST',
    headers: { cookie: input.staffCookie, origin: input.base, 'content-type': 'application/xml', 'x-file-name': 'camt054.xml' },
    body: xml,
  });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()).data as PayInSummary;
}
