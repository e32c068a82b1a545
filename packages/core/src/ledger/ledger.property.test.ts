/**
 * Property test in the spirit of TigerBeetle's VOPR (reference/ledger-perf-anchors.md §1.4):
 * random sequences of quotes, transfer creations (valid, retried, with foreign or used quotes),
 * status changes (legal and illegal), and crashes in the middle of a status change, against a real
 * PostgreSQL. After every step every ledger invariant holds (drop ledger verify), no idempotency
 * key made two transfers, a refused step changed nothing, and no customer is past a limit.
 * A failure prints fast-check's seed and path, so it replays exactly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '@drop/db';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { DomainError } from '../errors.ts';
import type { KycTier, TierLimits } from '../kyc/tiers.ts';
import { SequenceKidAllocator } from '../payments/kid-allocator.ts';
import { DEFAULT_CORRIDORS } from '../pricing/corridors.ts';
import { createQuote } from '../quotes/create-quote.ts';
import { RateBook } from '../rates/rate-book.ts';
import { addRecipient } from '../recipients/manage-recipients.ts';
import { createTransfer } from '../transfers/create-transfer.ts';
import { TRANSFER_STATUSES, type TransferStatus } from '../transfers/transfer-status.ts';
import { transitionTransfer, transitionTransferIn } from '../transfers/transition-transfer.ts';
import { verifyLedger } from './verify-ledger.ts';

const NOK = (kroner: number) => BigInt(kroner) * 100n;
// Small limits so random sequences run into them.
const LIMITS: Record<KycTier, TierLimits> = {
  0: { perTransferOre: 0n, thirtyDaysOre: 0n, twelveMonthsOre: 0n },
  1: { perTransferOre: NOK(8_000), thirtyDaysOre: NOK(20_000), twelveMonthsOre: NOK(30_000) },
  2: { perTransferOre: NOK(8_000), thirtyDaysOre: NOK(20_000), twelveMonthsOre: NOK(30_000) },
};
const EDD_THRESHOLD = NOK(1_000_000);
const kids = new SequenceKidAllocator({ method: 'MOD11', length: 10 });

// A fixed rate set: the RateSource port is the seam, and pricing itself is tested elsewhere.
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date());
const rates = new RateBook({
  source: {
    name: 'test',
    fetchLatest: async () => ({
      source: 'test',
      date: today,
      fetchedAt: new Date(),
      rates: new Map([
        ['EUR', '11.7035'],
        ['PHP', '0.1902'],
        ['VND', '0.000431'],
      ]),
    }),
  },
  currencies: ['EUR', 'PHP', 'VND'],
});

const DESTINATIONS = [
  { country: 'DE', currency: 'EUR', details: { iban: 'DE89370400440532013000' } },
  { country: 'PH', currency: 'PHP', details: { provider: 'gcash', mobileNumber: '+63 917 123 4567' } },
  { country: 'VN', currency: 'VND', details: { bankCode: '970436', accountNumber: '0011001234567' } },
] as const;

// How a create request departs from a valid one (most are valid, so transfers get made).
type Tamper = 'none' | 'foreign_customer' | 'foreign_recipient' | 'other_destination';

type Op =
  | { kind: 'quote'; customer: number; destination: number; nok: number }
  | { kind: 'create'; quote: number; key: number; tamper: Tamper }
  | { kind: 'retry'; of: number }
  // `next` picks one of the legal next statuses; `to` (when set) is any status, legal or not.
  | { kind: 'transition'; transfer: number; next: number; to: TransferStatus | null }
  | { kind: 'crash'; transfer: number; next: number; to: TransferStatus | null };

// Mostly a legal next step (null); now and then any status at all, to try illegal ones.
const anyStatusSometimes = fc.oneof(
  { weight: 4, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom(...TRANSFER_STATUSES) },
);

// Weighted towards creating and moving transfers, so sequences reach the later states.
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('quote' as const),
      customer: fc.nat(2),
      destination: fc.nat(2),
      nok: fc.integer({ min: 100, max: 9_000 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      quote: fc.nat(30),
      key: fc.nat(6),
      tamper: fc.constantFrom<Tamper>('none', 'none', 'none', 'foreign_customer', 'foreign_recipient', 'other_destination'),
    }),
  },
  fc.record({ kind: fc.constant('retry' as const), of: fc.nat(20) }),
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('transition' as const),
      transfer: fc.nat(20),
      next: fc.nat(5),
      to: anyStatusSometimes,
    }),
  },
  fc.record({
    kind: fc.constant('crash' as const),
    transfer: fc.nat(20),
    next: fc.nat(5),
    to: anyStatusSometimes,
  }),
);

/** One transition op per status, in order, for one transfer. */
function transitions(transfer: number, ...statuses: TransferStatus[]): Op[] {
  return statuses.map((to) => ({ kind: 'transition', transfer, next: 0, to }));
}

// Every path to the end states, run first in every test run whatever the random runs reach.
const LIFECYCLE: Op[] = [
  { kind: 'quote', customer: 0, destination: 0, nok: 1000 },
  { kind: 'quote', customer: 0, destination: 1, nok: 2000 },
  { kind: 'quote', customer: 0, destination: 2, nok: 3000 },
  { kind: 'create', quote: 0, key: 0, tamper: 'none' },
  { kind: 'create', quote: 1, key: 1, tamper: 'none' },
  { kind: 'create', quote: 2, key: 2, tamper: 'none' },
  { kind: 'retry', of: 0 },
  // transfer 0: funds_received → processing → failed → refunded
  ...transitions(0, 'funds_received', 'processing'),
  { kind: 'crash', transfer: 0, next: 0, to: 'failed' },
  ...transitions(0, 'failed', 'refunded'),
  // transfer 1: funds_received → processing → paid_out, then an illegal step
  ...transitions(1, 'funds_received', 'processing', 'paid_out', 'awaiting_funds'),
  // transfer 2: held, released, cancelled
  ...transitions(2, 'held', 'awaiting_funds', 'cancelled'),
];

describe('ledger under random operations', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
    await rates.refresh();
    for (const row of (await db.pool.query('SELECT from_status, to_status FROM transfer_status_transitions')).rows) {
      next.set(row.from_status, [...(next.get(row.from_status) ?? []), row.to_status]);
    }
  });
  // The state machine as the database defines it, to steer towards legal steps.
  const next = new Map<string, TransferStatus[]>();
  const EXITS: Record<string, string[]> = { awaiting_funds: ['cancelled'], funds_received: ['refunded'], processing: ['failed'] };
  after(async () => db.drop());

  const snapshot = async () =>
    JSON.stringify(
      (
        await db.pool.query(
          `SELECT (SELECT count(*) FROM transactions) AS t, (SELECT count(*) FROM ledger_transfers) AS l,
                  (SELECT count(*) FROM idempotency_keys) AS k, (SELECT coalesce(sum(amount_minor), 0) FROM user_spending_days) AS s,
                  (SELECT string_agg(id || status, ',' ORDER BY id) FROM transactions) AS states`,
        )
      ).rows[0],
    );

  it('keeps every invariant after every step', async () => {
    // What the runs exercised, so a generator that stopped reaching the interesting paths fails.
    const seen = { created: 0, replayed: 0, moved: 0, refused: 0, crashed: 0, failed: 0, paidOut: 0, refunded: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 20, maxLength: 40 }), async (ops) => {
        // Fresh customers per run, all verified; each has a recipient in every destination.
        const customers: Array<{ id: string; recipients: string[] }> = [];
        for (let i = 0; i < 3; i++) {
          const id = newId('usr');
          await db.pool.query(`INSERT INTO users (id, full_name, kyc_status, kyc_tier) VALUES ($1, 'Test Person', 'approved', 1)`, [id]);
          const recipients: string[] = [];
          for (const d of DESTINATIONS) {
            const r = await addRecipient(db.pool, {
              userId: id,
              recipient: { name: 'Maria Santos', country: d.country, currency: d.currency, relationship: 'family', details: d.details },
            });
            recipients.push(r.id);
          }
          customers.push({ id, recipients });
        }
        const quotes: Array<{ id: string; customer: number; destination: number }> = [];
        const transfers: string[] = [];
        const keys = new Map<string, string>(); // customer:key → transfer id
        const made: Array<{ customer: number; key: string; quoteId: string; recipientId: string }> = [];

        for (const op of ops) {
          const before = await snapshot();
          let refused = false;
          try {
            if (op.kind === 'quote') {
              const d = DESTINATIONS[op.destination] as (typeof DESTINATIONS)[number];
              const q = await createQuote(db.pool, {
                session: null,
                userId: customers[op.customer]?.id as string,
                by: 'send',
                amount: String(op.nok),
                country: d.country,
                currency: d.currency,
                corridors: DEFAULT_CORRIDORS,
                rates,
                ttlSeconds: 1800,
              });
              quotes.push({ id: q.id, customer: op.customer, destination: op.destination });
            } else if (op.kind === 'create' || op.kind === 'retry') {
              let request: { customer: number; key: string; quoteId: string; recipientId: string } | undefined;
              if (op.kind === 'retry') {
                request = made[op.of % Math.max(made.length, 1)];
              } else {
                const quote = quotes[op.quote % Math.max(quotes.length, 1)];
                if (quote) {
                  const customer = op.tamper === 'foreign_customer' ? (quote.customer + 1) % 3 : quote.customer;
                  const recipientOf = op.tamper === 'foreign_recipient' ? (customer + 1) % 3 : customer;
                  const destination = op.tamper === 'other_destination' ? (quote.destination + 1) % 3 : quote.destination;
                  const recipientId = customers[recipientOf]?.recipients[destination] as string;
                  request = { customer, key: `k${op.key}`, quoteId: quote.id, recipientId };
                }
              }
              if (!request) continue;
              const result = await createTransfer(db.pool, {
                session: null,
                userId: customers[request.customer]?.id as string,
                idempotencyKey: request.key,
                request: { quoteId: request.quoteId, recipientId: request.recipientId },
                limits: LIMITS,
                eddThresholdOre: EDD_THRESHOLD,
                ledgerShards: 4,
                kids,
              });
              const id = result.body.data.id;
              const earlier = keys.get(`${request.customer}:${request.key}`);
              if (earlier) {
                assert.equal(result.replayed, true, 'a reused key replays');
                assert.equal(id, earlier, 'a replay returns the first transfer');
                seen.replayed++;
              } else {
                assert.equal(result.replayed, false);
                // Only a valid request gets here.
                assert.ok(op.kind === 'create' && op.tamper === 'none', `a tampered request made a transfer: ${JSON.stringify(op)}`);
                keys.set(`${request.customer}:${request.key}`, id);
                made.push(request);
                transfers.push(id);
                seen.created++;
              }
            } else {
              const transfer = transfers[op.transfer % Math.max(transfers.length, 1)];
              if (!transfer) continue;
              const current = (await db.pool.query('SELECT status, held_from FROM transactions WHERE id = $1', [transfer])).rows[0];
              const legal = (next.get(current.status) ?? []).filter(
                (to) => current.status !== 'held' || to === current.held_from || EXITS[current.held_from]?.includes(to),
              );
              const to = op.to ?? legal[op.next % Math.max(legal.length, 1)];
              if (!to) continue;
              const input = {
                transactionId: transfer,
                to,
                actor: 'system:property-test',
                ...(to === 'failed' ? { failureReason: 'partner rejected' } : {}),
              };
              if (op.kind === 'transition') {
                await transitionTransfer(db.pool, input);
                seen.moved++;
                if (to === 'failed') seen.failed++;
                if (to === 'paid_out') seen.paidOut++;
                if (to === 'refunded') seen.refunded++;
              } else {
                // A crash between the status change and commit: the session dies mid-transaction.
                const client = await db.pool.connect();
                let crashed = false;
                try {
                  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
                  await client.query('BEGIN');
                  await transitionTransferIn(client, input).catch(() => undefined);
                  await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
                  crashed = true;
                  await client.query('COMMIT').catch(() => undefined);
                } finally {
                  client.release(crashed);
                }
                refused = true; // nothing may have changed
                seen.crashed++;
              }
            }
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            refused = true;
            seen.refused++;
          }
          if (refused) assert.equal(await snapshot(), before, `${op.kind} was refused or crashed but changed something`);
          const report = await verifyLedger(db.pool);
          assert.deepEqual(report.violations, [], `ledger invariant broken after ${JSON.stringify(op)}`);
        }

        // One transfer per key; nobody past a limit.
        const perKey = await db.pool.query(
          `SELECT count(*)::int AS n FROM idempotency_keys k GROUP BY k.transaction_id HAVING count(*) > 1`,
        );
        assert.equal(perKey.rowCount, 0);
        for (const customer of customers) {
          const spent = await db.pool.query<{ total: string }>(
            `SELECT coalesce(sum(send_amount_minor), 0)::text AS total FROM transactions
              WHERE user_id = $1 AND status NOT IN ('cancelled', 'failed', 'refunded')`,
            [customer.id],
          );
          assert.ok(BigInt(spent.rows[0]?.total ?? '0') <= LIMITS[1].thirtyDaysOre, 'a customer went past the 30-day limit');
        }
      }),
      {
        numRuns: 30,
        examples: [[LIFECYCLE]],
      },
    );
    for (const [what, count] of Object.entries(seen)) assert.ok(count > 0, `no run ${what} anything: widen the generator`);
  });
});
