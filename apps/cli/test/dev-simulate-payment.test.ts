/**
 * `drop dev simulate-payment`: the customer's bank payment in development, as the bank's camt.054
 * notification imported through the same path as `drop payments import`. The exact amount funds the
 * transfer (found by id or by KID); another amount waits for staff; production refuses and changes nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type DemoSeedResult, reconcileLedger, seedDemoData } from '@drop/core';
import { camtBankFileParser } from '@drop/integrations';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { PRODUCTION_ENV } from '../../../test/support/production-env.ts';
import { norwegianIban } from '../src/commands/dev.ts';
import { describeResult, runDrop } from './run-cli.ts';

describe('drop dev simulate-payment', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  let demo: DemoSeedResult;
  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_cli_simulate_payment' });
    env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
    demo = await seedDemoData(db.pool, { actor: 'test' });
  });
  after(async () => {
    await db?.drop();
  });

  const transfer = async (id: string) =>
    (await db.pool.query<{ status: string; kid: string }>('SELECT status, kid FROM transactions WHERE id = $1', [id])).rows[0];
  const bankFiles = async () => (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bank_files')).rows[0]?.n;

  it('writes Drop’s client account as the bank does (NO93 8601 1117947)', () => {
    assert.equal(norwegianIban('86011117947'), 'NO9386011117947');
    assert.equal(norwegianIban('12345678903'), 'NO7112345678903');
  });

  it('in production refuses and imports nothing', async () => {
    const before = await bankFiles();
    const result = await runDrop(['dev', 'simulate-payment', '--transfer', demo.transactions.awaitingFunds as string], {
      ...PRODUCTION_ENV,
      DATABASE_URL: db.url,
      LOG_LEVEL: 'silent',
    });
    assert.equal(result.code, 1, describeResult(result));
    assert.match(result.stderr, /^Refusing to simulate a bank payment in production/);
    assert.equal(await bankFiles(), before);
    assert.equal((await transfer(demo.transactions.awaitingFunds as string))?.status, 'awaiting_funds');
  });

  it('an unknown transfer or a malformed amount exits 1 and imports nothing', async () => {
    const before = await bankFiles();
    const unknown = await runDrop(['dev', 'simulate-payment', '--transfer', 'tx_01M00000000000000000000000'], env);
    assert.equal(unknown.code, 1, describeResult(unknown));
    assert.match(unknown.stderr, /No transfer with the id or KID tx_01M00000000000000000000000/);
    const amount = await runDrop(
      ['dev', 'simulate-payment', '--transfer', demo.transactions.awaitingFunds as string, '--amount', '1,5e3'],
      env,
    );
    assert.equal(amount.code, 1, describeResult(amount));
    assert.match(amount.stderr, /--amount: "1,5e3" is not an amount in NOK/);
    assert.equal(await bankFiles(), before);
  });

  it('a short payment, found by the reference however typed, waits for staff; the exact amount, found by KID, funds the transfer; the ledger still reconciles', async () => {
    const id = demo.transactions.awaitingFunds as string;
    const { kid } = (await transfer(id)) ?? { kid: '' };
    const { rows } = await db.pool.query<{ reference: string }>('SELECT reference FROM transactions WHERE id = $1', [id]);
    const typed = (rows[0]?.reference ?? '').toLowerCase().replaceAll('-', ' ');
    const short = await runDrop(['dev', 'simulate-payment', '--transfer', typed, '--amount', '2400'], env);
    assert.equal(short.code, 0, describeResult(short));
    assert.match(
      short.stdout,
      new RegExp(
        `^Simulated payment of NOK 2400\\.00 for ${id} \\(awaiting_funds\\): not funded, queued for staff \\(underpayment, be_\\w+\\)\\.$`,
        'm',
      ),
    );
    assert.equal((await transfer(id))?.status, 'awaiting_funds');

    const out = path.join(mkdtempSync(path.join(tmpdir(), 'drop-sim-')), 'camt054.xml');
    const exact = await runDrop(['dev', 'simulate-payment', '--transfer', kid, '--out', out], env);
    assert.equal(exact.code, 0, describeResult(exact));
    assert.match(
      exact.stdout,
      new RegExp(`^Simulated payment of NOK 2500\\.00 for ${id} \\(KID ${kid}\\): funded; the payout starts\\.$`, 'm'),
    );
    assert.equal((await transfer(id))?.status, 'funds_received');

    // The saved file is a real camt.054 for Drop's client account, with the KID and the amount.
    const file = camtBankFileParser.parse(readFileSync(out));
    assert.equal(file.kind, 'camt.054');
    assert.deepEqual(file.reports[0]?.account.iban, 'NO9386011117947');
    assert.deepEqual(
      file.reports[0]?.entries.map((entry) => [entry.creditDebit, entry.amountMinor, entry.currency, entry.kid]),
      [['CRDT', 250000n, 'NOK', kid]],
    );
    const imported = await db.pool.query(`SELECT imported_by FROM bank_files WHERE file_name LIKE 'sim-%' ORDER BY imported_at`);
    assert.equal(imported.rowCount, 2);
    assert.match(imported.rows[0].imported_by, /^cli:/);

    const report = await reconcileLedger(db.pool);
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.differences.filter((difference) => difference.severity === 'error'),
      [],
    );
  });
});
