/**
 * The before-commit hooks (where AML screening plugs in) run inside the transaction that creates
 * a transfer (createTransferIn, which a late payment's new quote goes through as well): the hook
 * sees the new transfer, and a hook that throws leaves nothing behind. And the answer a create
 * gives is the transfer as reads show it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '@drop/db';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { fixedRates, verifiedCustomer } from '../../../../test/support/money.ts';
import { DEFAULT_TIER_LIMITS, EDD_THRESHOLD_ORE } from '../kyc/tiers.ts';
import { SequenceKidAllocator } from '../payments/kid-allocator.ts';
import { DEFAULT_CORRIDORS } from '../pricing/corridors.ts';
import { createQuote } from '../quotes/create-quote.ts';
import { type BeforeTransferCommit, createTransfer } from './create-transfer.ts';

const rates = fixedRates({ EUR: '11.7035' });
const kids = new SequenceKidAllocator({ method: 'MOD10', length: 12 });

describe('creating a transfer with before-commit hooks', () => {
  let db: TestDatabase;
  let userId: string;
  let recipientId: string;
  const count = async () => (await db.pool.query('SELECT count(*)::int AS n FROM transactions')).rows[0].n as number;
  const create = async (hooks: BeforeTransferCommit[], customer = { userId, recipientId }) => {
    const quote = await createQuote(db.pool, {
      session: null,
      userId: customer.userId,
      by: 'send',
      amount: '500',
      country: 'DE',
      currency: 'EUR',
      corridors: DEFAULT_CORRIDORS,
      rates,
      ttlSeconds: 1800,
    });
    return createTransfer(db.pool, {
      session: null,
      userId: customer.userId,
      idempotencyKey: newId('tx'),
      request: { quoteId: quote.id, recipientId: customer.recipientId },
      limits: DEFAULT_TIER_LIMITS,
      eddThresholdOre: EDD_THRESHOLD_ORE,
      ledgerShards: 4,
      kids,
      beforeCommit: hooks,
    });
  };

  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_create_transfer' });
    await rates.refresh();
    ({ userId, recipientId } = await verifiedCustomer(db.pool, 1));
  });
  after(async () => {
    await db?.drop();
  });

  it('runs each hook in the creating transaction, with the new transfer visible to it', async () => {
    const seen: string[] = [];
    const result = await create([
      async (tx, transfer) => {
        const { rows } = await tx.query('SELECT status FROM transactions WHERE id = $1', [transfer.id]);
        seen.push(`${transfer.id}:${rows[0]?.status}`);
      },
    ]);
    assert.deepEqual(seen, [`${result.body.data.id}:awaiting_funds`]);
  });

  // create_transfer builds its answer from the rows it holds (transfer_json_of); reads and
  // replays look the transfer up (transfer_json). Both must say the same, held or not.
  it('answers with what transfer_json reads back, for a transfer approved and one held by AML', async () => {
    const readBack = async (id: string) => (await db.pool.query('SELECT transfer_json($1) AS j', [id])).rows[0]?.j;
    const approved = await create([]);
    assert.equal(approved.body.data.status, 'awaiting_funds');
    assert.equal(typeof approved.body.data.recipient?.name, 'string');
    assert.deepEqual(approved.body.data, await readBack(approved.body.data.id));

    // A frozen customer's transfer is held by the frozen_customer rule inside create_transfer (a
    // customer of its own: freezing one holds their transfers in flight).
    const frozen = await verifiedCustomer(db.pool, 1);
    await db.pool.query('UPDATE users SET aml_frozen_at = now() WHERE id = $1', [frozen.userId]);
    const held = await create([], frozen);
    assert.equal(held.body.data.status, 'held');
    assert.deepEqual(held.body.data, await readBack(held.body.data.id));
  });

  it('writes nothing when a hook refuses', async () => {
    const before = await count();
    await assert.rejects(
      create([
        async () => {
          throw new Error('screening refused');
        },
      ]),
      /screening refused/,
    );
    assert.equal(await count(), before);
  });
});
