/**
 * DR scenario 3, selective restore: a copy of the database taken before a corruption stands for
 * the backup restored aside. `drop db diff` shows what differs from live; `drop db apply` is a dry
 * run until --apply, restores a deleted customer and a lost transfer (through ledger_post, the
 * ledger still balanced), sets back only safe columns of a corrupted customer, never overwrites a
 * live key or unique value, refuses a transfer whose money moved and the ledger tables, never
 * brings back erased data, and audits every change.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type KidFormat, SequenceKidAllocator, verifyAuditChain, verifyLedger } from '@drop/core';
import { newId } from '@drop/db';
import pg from 'pg';
import { adminUrl, createTestDatabase, databaseUrl, type TestDatabase } from '../../../test/support/database.ts';
import { fixedRates, makeTransfer, verifiedCustomer } from '../../../test/support/money.ts';
import { describeResult, runDrop } from './run-cli.ts';

const KID_FORMAT: KidFormat = { method: 'MOD10', length: 12 };
const rates = fixedRates({ EUR: '11.7035' });

interface Plan {
  counts: { insert: number; update: number; refuse: number; keep: number; applied: number; skipped: number };
  actions: Array<{ key: string; kind: string; columns?: string[]; leftAsLive?: string[]; reason?: string; outcome?: string }>;
}

describe('drop db diff and drop db apply (selective restore)', () => {
  let live: TestDatabase;
  let restoredName: string;
  let restoredUrl: string;
  let restored: pg.Pool;
  let env: Record<string, string>;
  const ids: Record<string, string> = {};

  const addUser = async (pool: pg.Pool, key: string, email: string | null, name: string) => {
    ids[key] ??= newId('usr');
    await pool.query(`INSERT INTO users (id, email, full_name, locale) VALUES ($1, $2, $3, 'nb')`, [ids[key], email, name]);
  };
  const drop = (...args: string[]) => runDrop(args, env);
  const plan = (stdout: string) => JSON.parse(stdout) as Plan;
  const action = (p: Plan, key: string | undefined) => p.actions.find((a) => a.key === key);
  const count = async (sql: string, params: unknown[] = []) => Number((await live.pool.query(sql, params)).rows[0].n);

  before(async () => {
    await rates.refresh();
    live = await createTestDatabase({ prefix: 'drop_cli_selective' });
    const kids = new SequenceKidAllocator(KID_FORMAT);
    // Before the backup: Kari (who will be corrupted), Ola (who will be deleted), Dag (whose
    // e-mail a new customer will take), Erik (who will be erased), and Kari's first transfer.
    const kari = await verifiedCustomer(live.pool, 2);
    ids.kari = kari.userId;
    await live.pool.query(`UPDATE users SET email = 'kari@example.no', locale = 'nb' WHERE id = $1`, [kari.userId]);
    await addUser(live.pool, 'ola', 'ola@example.no', 'Ola Hansen');
    await addUser(live.pool, 'dag', 'dag@example.no', 'Dag Berg');
    await addUser(live.pool, 'erik', 'erik@example.no', 'Erik Lie');
    ids.first = (await makeTransfer(live.pool, { ...kari, nok: 500, rates, kids })).id;
    const nora = await verifiedCustomer(live.pool, 2);
    ids.nora = nora.userId;
    ids.noraFirst = (await makeTransfer(live.pool, { ...nora, nok: 300, rates, kids })).id;

    // The backup: a copy of the database as it is now, restored aside.
    restoredName = `${live.name}_restored`;
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
        live.name,
      ]);
      await admin.query(`CREATE DATABASE ${restoredName} TEMPLATE ${live.name}`);
    } finally {
      await admin.end();
    }
    restoredUrl = databaseUrl(restoredName);
    restored = new pg.Pool({ connectionString: restoredUrl, max: 2 });
    restored.on('error', () => undefined);

    // What the backup holds that live lost: a transfer still awaiting funds, and one whose money
    // arrived and was then cancelled (status moved on: its postings cannot be copied by a row).
    ids.lost = (await makeTransfer(restored, { ...nora, nok: 700, rates, kids })).id;
    ids.moved = (await makeTransfer(restored, { ...nora, nok: 900, rates, kids })).id;
    ids.kariLost = (await makeTransfer(restored, { ...kari, nok: 800, rates, kids })).id;
    await restored.query(`UPDATE transactions SET status = 'cancelled' WHERE id = $1`, [ids.moved]);

    // The corruption, live: Kari renamed and marked deleted, Ola deleted, Dag deleted and his
    // e-mail taken by a new customer, Erik erased (lawfully); Siri signed up after the backup.
    await live.pool.query(`UPDATE users SET full_name = 'XXXX', email = 'corrupt@example.no', deleted_at = now() WHERE id = $1`, [
      ids.kari,
    ]);
    await live.pool.query('DELETE FROM users WHERE id = ANY ($1)', [[ids.ola, ids.dag]]);
    await addUser(live.pool, 'newdag', 'dag@example.no', 'Dagny Ny');
    await live.pool.query(`UPDATE users SET full_name = NULL, email = NULL, personal_data_erased_at = now() WHERE id = $1`, [ids.erik]);
    await addUser(live.pool, 'siri', 'siri@example.no', 'Siri Moe');

    env = { DATABASE_URL: live.url, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
  });

  after(async () => {
    await restored?.end().catch(() => undefined);
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await live?.drop();
  });

  it('diff shows the rows missing live, changed and only live, column by column', async () => {
    const result = await drop('db', 'diff', '--from', restoredUrl, '--table', 'users', '--json');
    assert.equal(result.code, 0, describeResult(result));
    const diff = JSON.parse(result.stdout) as {
      source: string;
      counts: Record<string, number>;
      missingInLive: Array<{ key: string }>;
      changed: Array<{ key: string; differences: Array<{ column: string }> }>;
      onlyInLive: Array<{ key: string }>;
    };
    assert.ok(!diff.source.includes('postgres@'), 'no credentials in the output');
    assert.deepEqual(diff.missingInLive.map((row) => row.key).sort(), [ids.dag, ids.ola].sort());
    assert.deepEqual(diff.onlyInLive.map((row) => row.key).sort(), [ids.newdag, ids.siri].sort());
    const kari = diff.changed.find((row) => row.key === ids.kari);
    assert.deepEqual(kari?.differences.map((d) => d.column).sort(), ['deleted_at', 'email', 'full_name']);
    assert.deepEqual(diff.changed.map((row) => row.key).sort(), [ids.erik, ids.kari].sort());
    assert.equal(diff.counts.same, 1, 'Nora is the same on both sides');

    // A condition that holds only live (Kari marked deleted) still compares her with the backup.
    const where = await drop('db', 'diff', '--from', restoredUrl, '--table', 'users', '--where', 'deleted_at IS NOT NULL');
    assert.equal(where.code, 0, describeResult(where));
    assert.match(where.stdout, /0 missing in live, 1 changed, 0 only in live/);
    assert.match(where.stdout, new RegExp(`changed +${ids.kari}`));
    assert.match(where.stdout, /deleted_at: live \S+ {2}restored NULL/);
  });

  it('apply is a dry run by default and changes nothing', async () => {
    const auditBefore = await count('SELECT count(*) AS n FROM audit_log');
    const result = await drop('db', 'apply', '--from', restoredUrl, '--table', 'users', '--json');
    assert.equal(result.code, 0, describeResult(result));
    const p = plan(result.stdout);
    assert.deepEqual(p.counts, { insert: 2, update: 1, refuse: 1, keep: 2, applied: 0, skipped: 0 });
    assert.deepEqual(action(p, ids.kari), {
      key: ids.kari,
      kind: 'update',
      columns: ['email', 'full_name'],
      leftAsLive: ['deleted_at'],
      reason: action(p, ids.kari)?.reason,
    });
    assert.match(action(p, ids.erik)?.reason ?? '', /erased/);
    assert.equal(await count('SELECT count(*) AS n FROM users WHERE id = ANY ($1)', [[ids.ola, ids.dag]]), 0);
    assert.equal(await count('SELECT count(*) AS n FROM audit_log'), auditBefore);
  });

  it('apply --apply restores missing and safe columns, skips a taken e-mail, keeps erasure and live rows, audits each change', async () => {
    const result = await drop('db', 'apply', '--from', restoredUrl, '--table', 'users', '--apply', '--json');
    assert.equal(result.code, 0, describeResult(result));
    const p = plan(result.stdout);
    assert.equal(action(p, ids.ola)?.outcome, 'applied');
    assert.equal(action(p, ids.dag)?.outcome, 'skipped', 'Dag’s e-mail now belongs to a live customer');
    assert.equal(action(p, ids.kari)?.outcome, 'applied');
    assert.deepEqual(p.counts, { insert: 2, update: 1, refuse: 1, keep: 2, applied: 2, skipped: 1 });

    const users = await live.pool.query<{ id: string; email: string | null; full_name: string | null; deleted: boolean }>(
      'SELECT id, email, full_name, deleted_at IS NOT NULL AS deleted FROM users WHERE id = ANY ($1)',
      [[ids.kari, ids.ola, ids.dag, ids.erik, ids.newdag, ids.siri]],
    );
    const byId = new Map<string | undefined, (typeof users.rows)[number]>(users.rows.map((row) => [row.id, row]));
    assert.deepEqual(byId.get(ids.kari), { id: ids.kari, email: 'kari@example.no', full_name: 'Kari Nordmann', deleted: true });
    assert.deepEqual(byId.get(ids.ola), { id: ids.ola, email: 'ola@example.no', full_name: 'Ola Hansen', deleted: false });
    assert.equal(byId.has(ids.dag), false);
    assert.deepEqual(byId.get(ids.erik), { id: ids.erik, email: null, full_name: null, deleted: false });
    assert.equal(byId.get(ids.newdag)?.full_name, 'Dagny Ny');
    assert.ok(byId.has(ids.siri));

    const events = await live.pool.query<{ action: string; resource_id: string | null; actor: string }>(
      `SELECT action, resource_id, actor FROM audit_log WHERE action LIKE 'selective_restore_%' ORDER BY seq`,
    );
    assert.deepEqual(
      events.rows.map((row) => [row.action, row.resource_id]),
      [
        ['selective_restore_inserted', ids.ola],
        ['selective_restore_updated', ids.kari],
        ['selective_restore_applied', null],
      ],
    );
    assert.ok(events.rows.every((row) => row.actor.startsWith('cli:')));
    assert.equal((await verifyAuditChain(live.pool)).ok, true);
  });

  it('restores a lost transfer awaiting funds through ledger_post and refuses one whose money moved', async () => {
    const postingsBefore = await count('SELECT count(*) AS n FROM ledger_transfers');
    const result = await drop('db', 'apply', '--from', restoredUrl, '--table', 'transactions', '--apply', '--json');
    assert.equal(result.code, 0, describeResult(result));
    const p = plan(result.stdout);
    assert.equal(action(p, ids.lost)?.outcome, 'applied');
    assert.equal(action(p, ids.moved)?.kind, 'refuse');
    assert.match(action(p, ids.moved)?.reason ?? '', /status cancelled: money moved/);
    assert.equal(action(p, ids.noraFirst), undefined, 'a transfer the same on both sides is no action');
    // The corruption marked Kari deleted, so containment held her transfer live: a changed
    // transfer is never rewritten (releasing it is a four-eyes decision), and her lost transfer
    // is not restored while she is blocked.
    assert.deepEqual(action(p, ids.first)?.leftAsLive, ['status', 'held_from']);
    assert.equal(action(p, ids.first)?.kind, 'refuse');
    assert.match(action(p, ids.kariLost)?.reason ?? '', /blocked live \(deleted\)/);

    const transfer = await live.pool.query('SELECT status, kid FROM transactions WHERE id = $1', [ids.lost]);
    assert.equal(transfer.rows[0]?.status, 'awaiting_funds');
    assert.equal(await count('SELECT count(*) AS n FROM transactions WHERE id = $1', [ids.moved]), 0);
    const postings = await live.pool.query<{ code: string; kind: string }>(
      'SELECT code, kind FROM ledger_transfers WHERE transaction_id = $1',
      [ids.lost],
    );
    assert.deepEqual(postings.rows, [{ code: 'payin', kind: 'pending' }]);
    assert.equal(await count('SELECT count(*) AS n FROM ledger_transfers'), postingsBefore + 1);
    assert.equal(await count('SELECT count(*) AS n FROM idempotency_keys WHERE transaction_id = $1', [ids.lost]), 1);
    assert.equal(await count('SELECT count(*) AS n FROM transfer_events WHERE transaction_id = $1', [ids.lost]), 1);
    const ledger = await verifyLedger(live.pool);
    assert.deepEqual(ledger.violations, []);

    // Applied twice: nothing left to insert, no second posting.
    const again = await drop('db', 'apply', '--from', restoredUrl, '--table', 'transactions', '--ids', ids.lost ?? '', '--apply', '--json');
    assert.equal(again.code, 0, describeResult(again));
    assert.equal(plan(again.stdout).counts.applied, 0);
    assert.equal(await count('SELECT count(*) AS n FROM ledger_transfers'), postingsBefore + 1);
  });

  it('refuses the ledger tables, unknown tables and a bad --from with a code, changing nothing', async () => {
    const auditBefore = await count('SELECT count(*) AS n FROM audit_log');
    const ledger = await drop('db', 'apply', '--from', restoredUrl, '--table', 'ledger_transfers', '--apply');
    assert.equal(ledger.code, 1, describeResult(ledger));
    assert.match(ledger.stderr, /^VALIDATION_FAILED: ledger_transfers is never restored row by row: Postings are append-only/m);
    const unknown = await drop('db', 'diff', '--from', restoredUrl, '--table', 'no_such_table');
    assert.equal(unknown.code, 1, describeResult(unknown));
    assert.match(unknown.stderr, /^NOT_FOUND: No table no_such_table/m);
    const badUrl = await drop('db', 'diff', '--from', 'not a url', '--table', 'users');
    assert.equal(badUrl.code, 1, describeResult(badUrl));
    assert.match(badUrl.stderr, /^VALIDATION_FAILED: --from is not a postgres:\/\/ URL/m);
    const badWhere = await drop('db', 'diff', '--from', restoredUrl, '--table', 'users', '--where', 'no_such_column = 1');
    assert.equal(badWhere.code, 1, describeResult(badWhere));
    assert.match(
      badWhere.stderr,
      /^VALIDATION_FAILED: The selection failed on the (live|restored) database: column "no_such_column" does not exist/m,
    );
    const missingTable = await drop('db', 'diff', '--from', restoredUrl);
    assert.equal(missingTable.code, 1, describeResult(missingTable));
    assert.equal(await count('SELECT count(*) AS n FROM audit_log'), auditBefore);
  });
});
