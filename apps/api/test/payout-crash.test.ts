/**
 * Exactly one payout per transfer, whatever dies when. A real worker process sends a payout to
 * Wise (the simulator, through the real client) and is killed with SIGKILL after Wise answered
 * and before the answer was recorded. The payout is left 'sending'; the recovery that runs every
 * minute sends it again with the same idempotency key, and Wise answers with the transfer it
 * already made: one Wise transfer, funded once. Two workers sending at once make one too.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { payoutsToRecover, sendPayout, startPayout, transitionTransfer, verifyLedger } from '@drop/core';
import { WisePayoutPartner } from '@drop/integrations';
import { type TestCustomer, transferAs, verifiedCustomer } from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import type { RunningDrop } from '../src/runtime.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('a payout is never made twice', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let kari: TestCustomer;

  /** A transfer whose money arrived, moved to processing with its payout row written (not sent). */
  async function transferReadyToPay(): Promise<string> {
    const created = await transferAs(kari, '800');
    await transitionTransfer(db.pool, { transactionId: created.id, to: 'funds_received', actor: 'test' });
    await startPayout(db.pool, { transactionId: created.id, partner: 'wise', actor: 'test' });
    return created.id;
  }
  const payoutOf = async (id: string) =>
    (await db.pool.query(`SELECT state, partner_reference, idempotency_key FROM payouts WHERE transaction_id = $1`, [id])).rows[0];
  const atWise = (key: string) => drop.app.wiseSimulator.transfers().filter((t) => t.customerTransactionId === key);
  const partner = () => new WisePayoutPartner({ baseUrl: `${base}/wise-sim`, apiToken: 'simulator-token', profileId: 1001 });

  before(async () => {
    // No worker in the server: the test is the worker.
    ({ db, drop, base } = await startDropOnFreePort({ PAYOUT_SIMULATOR_OUTCOME: 'manual' }));
    kari = await verifiedCustomer(base, db.pool, 'kari');
  });
  after(() => stopDropOnFreePort({ db, drop }));

  it('a worker killed between Wise’s answer and the record leaves one payout, which recovery completes', async () => {
    const id = await transferReadyToPay();
    const child = spawn(process.execPath, [path.join(ROOT, 'test/support/payout-crash-worker.ts'), db.url, `${base}/wise-sim`, id], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, killedBy) => resolve(killedBy)));
    assert.equal(signal, 'SIGKILL', output);
    assert.match(output, /partner answered; dying/);

    // Wise made the payout; Drop never recorded it.
    const stuck = await payoutOf(id);
    assert.equal(stuck.state, 'sending');
    assert.equal(stuck.partner_reference, null);
    assert.equal(atWise(stuck.idempotency_key).length, 1);

    // The recovery job's query finds it, and sending again records Wise's existing transfer.
    assert.ok((await payoutsToRecover(db.pool, { olderThanSeconds: 0, limit: 100 })).includes(id));
    assert.equal(await sendPayout(db.pool, partner(), id), 'sent');
    const recovered = await payoutOf(id);
    const wise = atWise(recovered.idempotency_key);
    assert.equal(wise.length, 1, 'still one Wise transfer');
    assert.equal(wise[0]?.payments, 1, 'funded once');
    assert.deepEqual([recovered.state, recovered.partner_reference], ['sent', String(wise[0]?.id)]);
    // Once recorded, another attempt does nothing at all.
    assert.equal(await sendPayout(db.pool, partner(), id), 'already_sent');
    assert.equal(atWise(recovered.idempotency_key).length, 1);
    assert.deepEqual((await verifyLedger(db.pool)).violations, []);
  });

  it('two workers sending the same payout at once make one Wise transfer', async () => {
    const id = await transferReadyToPay();
    const outcomes = await Promise.all([sendPayout(db.pool, partner(), id), sendPayout(db.pool, partner(), id)]);
    assert.ok(outcomes.includes('sent'), JSON.stringify(outcomes));
    const payout = await payoutOf(id);
    const wise = atWise(payout.idempotency_key);
    assert.equal(wise.length, 1);
    assert.equal(wise[0]?.payments, 1);
    assert.equal(payout.partner_reference, String(wise[0]?.id));
  });
});
