/**
 * Money fixtures for core tests: reference rates that do not depend on Norges Bank, and a
 * transfer made the way the API makes one (quote, then create_transfer with a KID).
 */
import {
  addRecipient,
  createQuote,
  createTransfer,
  DEFAULT_CORRIDORS,
  DEFAULT_TIER_LIMITS,
  EDD_THRESHOLD_ORE,
  type KidSource,
  RateBook,
} from '@drop/core';
import { type Db, newId } from '@drop/db';

/** Today's date in Oslo, as Norges Bank dates its rates. */
export const TODAY_IN_OSLO = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date());

/** A rate book serving these NOK-per-unit rates, dated today. Call `refresh()` before quoting. */
export function fixedRates(nokPerUnit: Record<string, string>): RateBook {
  return new RateBook({
    source: {
      name: 'test',
      fetchLatest: async () => ({ source: 'test', date: TODAY_IN_OSLO, fetchedAt: new Date(), rates: new Map(Object.entries(nokPerUnit)) }),
    },
    currencies: Object.keys(nokPerUnit),
  });
}

/** Anna Schmidt in Germany (a published example IBAN): the customer's recipient in the money tests. Returns its id. */
export async function addGermanRecipient(db: Db, userId: string): Promise<string> {
  const recipient = await addRecipient(db, {
    userId,
    recipient: {
      name: 'Anna Schmidt',
      country: 'DE',
      currency: 'EUR',
      relationship: 'family',
      details: { iban: 'DE89370400440532013000' },
    },
  });
  return recipient.id;
}

/** Kari Nordmann, verified (KYC approved, at this tier), with Anna Schmidt as her recipient. */
export async function verifiedCustomer(db: Db, tier: 1 | 2): Promise<{ userId: string; recipientId: string }> {
  const userId = newId('usr');
  await db.query(`INSERT INTO users (id, full_name, kyc_status, kyc_tier) VALUES ($1, 'Kari Nordmann', 'approved', $2)`, [userId, tier]);
  return { userId, recipientId: await addGermanRecipient(db, userId) };
}

export interface MadeTransfer {
  id: string;
  kid: string;
  /** What the customer must pay, in øre. */
  amountMinor: bigint;
}

/** A transfer of `nok` kroner awaiting payment, from a verified customer to one of their recipients. */
export async function makeTransfer(
  db: Db,
  input: { userId: string; recipientId: string; nok: number; rates: RateBook; kids: KidSource; country?: string; currency?: string },
): Promise<MadeTransfer> {
  const quote = await createQuote(db, {
    session: null,
    userId: input.userId,
    by: 'send',
    amount: String(input.nok),
    country: input.country ?? 'DE',
    currency: input.currency ?? 'EUR',
    corridors: DEFAULT_CORRIDORS,
    rates: input.rates,
    ttlSeconds: 1800,
  });
  const created = await createTransfer(db, {
    session: null,
    userId: input.userId,
    idempotencyKey: newId('tx'),
    request: { quoteId: quote.id, recipientId: input.recipientId },
    limits: DEFAULT_TIER_LIMITS,
    eddThresholdOre: EDD_THRESHOLD_ORE,
    ledgerShards: 4,
    kids: input.kids,
  });
  const data = created.body.data;
  return { id: data.id, kid: data.kid as string, amountMinor: BigInt(data.send.amount.replace('.', '')) };
}
