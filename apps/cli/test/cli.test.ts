import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { MIGRATIONS_DIR } from '@drop/db';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { freePort } from '../../../test/support/embedded.ts';
import { PRODUCTION_ENV } from '../../../test/support/production-env.ts';
import { describeResult, runDrop } from './run-cli.ts';

const ROOT_VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const MIGRATION_NAMES = readdirSync(MIGRATIONS_DIR)
  .filter((file) => file.endsWith('.sql'))
  .map((file) => file.replace(/\.sql$/, ''))
  .sort();
const KYC_STATES = ['approved', 'not_started', 'on_hold', 'pending', 'rejected', 'retry'];
const PRODUCTION_SECRET = 'p'.repeat(40);

describe('drop CLI, commands that need no database', () => {
  // An unreachable database: none of these commands may touch it.
  let env: Record<string, string>;
  before(async () => {
    env = { DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/none`, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
  });

  it('--version prints the root package.json version', async () => {
    for (const flag of ['--version', '-v']) {
      const result = await runDrop([flag], env);
      assert.equal(result.code, 0, describeResult(result));
      assert.equal(result.stdout, `${ROOT_VERSION}\n`);
    }
  });

  it('--help lists the health, db, audit and worker commands', async () => {
    const result = await runDrop(['--help'], env);
    assert.equal(result.code, 0, describeResult(result));
    assert.match(result.stdout, /^Usage: drop \[options\] \[command\]/);
    for (const command of ['health', 'db', 'audit', 'worker']) {
      assert.match(result.stdout, new RegExp(`^ {2}${command}\\b.*\\S`, 'm'), `--help lists ${command}`);
    }
  });

  for (const [command, expected] of [
    [['health'], /Check Drop's health/],
    [['db'], /Database schema and data/],
    [['db', 'migrate'], /Apply pending migrations/],
    [['db', 'seed'], /Load realistic demo data/],
    [['audit'], /tamper-evident audit log/],
    [['audit', 'verify'], /Walk the audit_log hash chain/],
    [['worker'], /Run the background job worker/],
  ] as const) {
    it(`${command.join(' ')} --help describes the command`, async () => {
      const result = await runDrop([...command, '--help'], env);
      assert.equal(result.code, 0, describeResult(result));
      assert.match(result.stdout, new RegExp(`^Usage: drop ${command.join(' ')} `));
      assert.match(result.stdout, expected);
    });
  }

  it('health --url of a server that is not running exits 1 and says why', async () => {
    const port = await freePort();
    const result = await runDrop(['health', '--url', `http://127.0.0.1:${port}`], env);
    assert.equal(result.code, 1, describeResult(result));
    assert.equal(result.stdout, '');
    assert.match(result.stderr, new RegExp(`http://127\\.0\\.0\\.1:${port}/api/health is unreachable: `));
    assert.match(result.stderr, /connection refused \(ECONNREFUSED\)/, 'names the cause, not only "fetch failed"');
    assert.doesNotMatch(result.stderr, /fetch failed/);
  });

  it('health --url of a host that does not resolve exits 1 and names the cause', async () => {
    const result = await runDrop(['health', '--url', 'http://drop-health-test.invalid'], env);
    assert.equal(result.code, 1, describeResult(result));
    assert.match(result.stderr, /http:\/\/drop-health-test\.invalid\/api\/health is unreachable: .*\((ENOTFOUND|EAI_AGAIN)\)/);
  });

  it('health against an unreachable database prints status down and exits 1', async () => {
    const result = await runDrop(['health'], env);
    assert.equal(result.code, 1, describeResult(result));
    const body = JSON.parse(result.stdout) as { data: { status: string; checks: { db: { status: string; latencyMs: number | null } } } };
    assert.equal(body.data.status, 'down');
    assert.equal(body.data.checks.db.status, 'down');
    assert.equal(body.data.checks.db.latencyMs, null);
  });

  it('in production with no settings exits 78 (EX_CONFIG) and names DATABASE_URL', async () => {
    const result = await runDrop(['health'], { NODE_ENV: 'production', LOG_LEVEL: 'silent' });
    assert.equal(result.code, 78, describeResult(result));
    assert.match(result.stderr, /^Invalid configuration:/);
    assert.match(result.stderr, /DATABASE_URL is required in production/);
    assert.match(result.stderr, /JWT_SECRET is required in production/);
    assert.match(result.stderr, /PUBLIC_URL is required in production/);
  });
});

describe('drop CLI against a fresh database', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  const count = async (sql: string): Promise<number> => {
    const { rows } = await database.pool.query<{ count: number }>(sql);
    return rows[0]?.count ?? -1;
  };
  const tableCounts = async () => ({
    users: await count('SELECT count(*)::int AS count FROM users'),
    transactions: await count('SELECT count(*)::int AS count FROM transactions'),
    alerts: await count('SELECT count(*)::int AS count FROM aml_alerts'),
    strs: await count('SELECT count(*)::int AS count FROM str_reports'),
    audit: await count('SELECT count(*)::int AS count FROM audit_log'),
  });

  before(async () => {
    database = await createTestDatabase({ migrate: false });
    env = { DATABASE_URL: database.url, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
  });
  after(async () => {
    await database?.drop();
  });

  it('db migrate applies every migration, names them, and sets up the job queue', async () => {
    assert.ok(MIGRATION_NAMES.length > 0);
    const result = await runDrop(['db', 'migrate'], env);
    assert.equal(result.code, 0, describeResult(result));
    assert.equal(
      result.stdout,
      `Applied ${MIGRATION_NAMES.length} migration(s):\n${MIGRATION_NAMES.map((name) => `  ${name}\n`).join('')}`,
    );
    const { rows } = await database.pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    assert.deepEqual(
      rows.map((row) => row.name),
      MIGRATION_NAMES,
    );
    assert.equal(await count('SELECT count(*)::int AS count FROM graphile_worker.jobs'), 0);
  });

  it('db migrate a second time says the database is up to date', async () => {
    const result = await runDrop(['db', 'migrate'], env);
    assert.equal(result.code, 0, describeResult(result));
    assert.equal(result.stdout, 'Database is up to date.\n');
    assert.equal(await count('SELECT count(*)::int AS count FROM schema_migrations'), MIGRATION_NAMES.length);
  });

  it('db seed without --demo fails, says --demo is required and loads nothing', async () => {
    const result = await runDrop(['db', 'seed'], env);
    assert.equal(result.code, 1, describeResult(result));
    assert.match(result.stderr, /required option '--demo' not specified/);
    assert.equal(await count('SELECT count(*)::int AS count FROM users'), 0);
  });

  it('db seed --demo in production refuses and loads nothing', async () => {
    const result = await runDrop(['db', 'seed', '--demo'], {
      ...PRODUCTION_ENV,
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      JWT_SECRET: PRODUCTION_SECRET,
    });
    assert.equal(result.code, 1, describeResult(result));
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, 'Refusing to load demo data in production.\n');
    assert.deepEqual(await tableCounts(), { users: 0, transactions: 0, alerts: 0, strs: 0, audit: 0 });
  });

  it('db seed --demo loads customers in every KYC state, transfers and alerts', async () => {
    const result = await runDrop(['db', 'seed', '--demo'], env);
    assert.equal(result.code, 0, describeResult(result));
    const counts = await tableCounts();
    assert.equal(
      result.stdout,
      `Demo data loaded: ${counts.users} customers, ${counts.transactions} transfers, ${counts.alerts} AML alerts.\n`,
    );
    const { rows } = await database.pool.query<{ kyc_status: string }>('SELECT DISTINCT kyc_status FROM users ORDER BY kyc_status');
    assert.deepEqual(
      rows.map((row) => row.kyc_status),
      KYC_STATES,
    );
    assert.ok(counts.transactions > 0 && counts.alerts > 0 && counts.audit > 0, JSON.stringify(counts));
  });

  it('ledger reconcile and ledger verify find nothing to report right after the demo seed', async () => {
    const reconcile = await runDrop(['ledger', 'reconcile', '--json'], env);
    assert.equal(reconcile.code, 0, describeResult(reconcile));
    const report = JSON.parse(reconcile.stdout) as { ok: boolean; differences: unknown[] };
    assert.deepEqual(report.differences, [], 'no warning and no error');
    assert.equal(report.ok, true);
    const verify = await runDrop(['ledger', 'verify'], env);
    assert.equal(verify.code, 0, describeResult(verify));
    assert.match(verify.stdout, /^Ledger balanced: /);
  });

  it('db seed --demo a second time adds nothing', async () => {
    const before = await tableCounts();
    const result = await runDrop(['db', 'seed', '--demo'], env);
    assert.equal(result.code, 0, describeResult(result));
    assert.equal(result.stdout, 'Demo data is already there; nothing added.\n');
    assert.deepEqual(await tableCounts(), before);
  });

  it('audit verify exits 0 and reports every row of an intact chain', async () => {
    const rows = await count('SELECT count(*)::int AS count FROM audit_log');
    const { rows: head } = await database.pool.query<{ seq: string; hash: string }>(
      "SELECT seq::text, encode(hash, 'hex') AS hash FROM audit_log ORDER BY audit_log.seq DESC LIMIT 1",
    );
    assert.ok(rows >= 1);
    const result = await runDrop(['audit', 'verify'], env);
    assert.equal(result.code, 0, describeResult(result));
    assert.equal(
      result.stdout,
      `Audit chain intact: ${rows} rows.\nHead: seq ${head[0]?.seq}, hash ${head[0]?.hash}\n` +
        'Checkpoints: none of this database yet (0 read).\n' +
        'DDL guard: present (dropping the audit log or disabling its triggers is refused).\n',
    );

    const json = await runDrop(['audit', 'verify', '--json'], env);
    assert.equal(json.code, 0, describeResult(json));
    const report = JSON.parse(json.stdout);
    assert.deepEqual(
      { ok: report.ok, chainOk: report.chainOk, rowsChecked: report.rowsChecked, head: report.head, firstBroken: report.firstBroken },
      { ok: true, chainOk: true, rowsChecked: rows, head: { seq: head[0]?.seq, hash: head[0]?.hash }, firstBroken: null },
    );
    assert.deepEqual([report.checkpoints.problems, report.ddlGuard], [[], true]);
  });

  it('health prints the runbook shape with the database ok and exits 0', async () => {
    const result = await runDrop(['health'], env);
    assert.equal(result.code, 0, describeResult(result));
    const body = JSON.parse(result.stdout) as {
      data: { status: string; version: string; uptime: number; checks: { db: { status: string; latencyMs: number } } };
    };
    assert.equal(typeof body.data.uptime, 'number');
    assert.equal(typeof body.data.checks.db.latencyMs, 'number');
    assert.ok(body.data.checks.db.latencyMs >= 0);
    assert.deepEqual(body, {
      data: {
        status: 'ok',
        version: ROOT_VERSION,
        uptime: body.data.uptime,
        checks: { db: { status: 'ok', latencyMs: body.data.checks.db.latencyMs } },
      },
    });
  });

  it('ledger verify exits 0 on the demo ledger, and 1 naming the invariant after a balance is edited by hand', async () => {
    const ok = await runDrop(['ledger', 'verify'], env);
    assert.equal(ok.code, 0, describeResult(ok));
    assert.match(ok.stdout, /^Ledger balanced: \d+ accounts, \d+ postings, 10 transfers\.\n$/);

    // Someone credits the fee account one øre in psql: conservation and the fold both break.
    await database.pool.query(
      `UPDATE ledger_accounts SET credits_posted = credits_posted + 1
        WHERE id = (SELECT min(id) FROM ledger_accounts WHERE purpose = 'fee_revenue')`,
    );
    const broken = await runDrop(['ledger', 'verify', '--json'], env);
    assert.equal(broken.code, 1, describeResult(broken));
    const report = JSON.parse(broken.stdout) as { ok: boolean; violations: Array<{ invariant: string }> };
    assert.equal(report.ok, false);
    assert.deepEqual(new Set(report.violations.map((v) => v.invariant)), new Set(['balance_equals_postings', 'conservation']));
    await database.pool.query(
      `UPDATE ledger_accounts SET credits_posted = credits_posted - 1
        WHERE id = (SELECT min(id) FROM ledger_accounts WHERE purpose = 'fee_revenue')`,
    );
    assert.equal((await runDrop(['ledger', 'verify'], env)).code, 0);
  });

  it('ledger reconcile exits 0 on the demo ledger (no differences), and 1 naming suspense and the bank account after a bank entry is inserted by hand', async () => {
    const ok = await runDrop(['ledger', 'reconcile'], env);
    assert.equal(ok.code, 0, describeResult(ok));
    assert.match(ok.stdout, /^Ledger reconciled at \S+: no differences\.\n/);
    assert.match(ok.stdout, /^bank_credits +[1-9]\d* +0 +0 +bank payments vs pay-ins posted$/m);

    // An unmatched payment written into bank_entries in psql: its money never reached suspense in the ledger.
    await database.pool.query(`INSERT INTO bank_files (id, sha256, kind, message_id, account, imported_by, summary)
      VALUES ('bf_01M82F0000000000000000000A', sha256('by hand'), 'camt.053', 'BY-HAND-1', '86011117947', 'psql', '{}')`);
    await database.pool.query(`INSERT INTO bank_entries (id, bank_file_id, account, reference, credit_debit, amount_minor, currency, status, exception_reason)
      VALUES ('be_01M82F0000000000000000000B', 'bf_01M82F0000000000000000000A', '86011117947', 'by-hand-1', 'CRDT', 25000, 'NOK', 'exception', 'unknown_kid')`);
    const broken = await runDrop(['ledger', 'reconcile', '--json'], env);
    assert.equal(broken.code, 1, describeResult(broken));
    const report = JSON.parse(broken.stdout) as {
      ok: boolean;
      differences: Array<{ check: string; severity: string; subject: string; expected: string; actual: string }>;
    };
    assert.equal(report.ok, false);
    const errors = report.differences.filter((d) => d.severity === 'error');
    assert.deepEqual(
      errors.map((d) => [d.check, d.subject]),
      [
        ['suspense', 'suspense NOK'],
        ['bank_account', 'bank NOK'],
      ],
    );
    assert.deepEqual([errors[0]?.expected, errors[0]?.actual], ['NOK 250.00', 'NOK 0.00']);
    // The demo's own statements (seven pay-ins, NOK 126 000, and the refund's NOK 800 debit) and the NOK 250 by hand.
    assert.equal(errors[1]?.expected, 'NOK 125450.00 (statements: 9 entries, credits NOK 126250.00, debits NOK 800.00)');
    await database.pool.query(`DELETE FROM bank_entries WHERE id = 'be_01M82F0000000000000000000B'`);
    await database.pool.query(`DELETE FROM bank_files WHERE id = 'bf_01M82F0000000000000000000A'`);
    assert.equal((await runDrop(['ledger', 'reconcile'], env)).code, 0);
  });

  it('audit verify exits 1 and names the first row after it was edited by a superuser', async () => {
    const { rows: first } = await database.pool.query<{ id: string }>('SELECT id::text FROM audit_log WHERE seq = 1');
    // A superuser must first switch off the DDL guard, which refuses disabling the log's triggers.
    await database.pool.query(`BEGIN;
      ALTER EVENT TRIGGER drop_audit_log_guard_alter DISABLE;
      ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete;
      UPDATE audit_log SET details = '{"forged":true}' WHERE seq = 1;
      ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_update_or_delete;
      ALTER EVENT TRIGGER drop_audit_log_guard_alter ENABLE ALWAYS;
      COMMIT;`);

    const result = await runDrop(['audit', 'verify'], env);
    assert.equal(result.code, 1, describeResult(result));
    assert.equal(
      result.stdout,
      `Audit chain BROKEN after 0 good rows.\nFirst broken row: seq 1, id ${first[0]?.id} (hash mismatch)\n` +
        'Checkpoints: none of this database yet (0 read).\n' +
        'DDL guard: present (dropping the audit log or disabling its triggers is refused).\n',
    );

    const json = await runDrop(['audit', 'verify', '--json'], env);
    assert.equal(json.code, 1, describeResult(json));
    const report = JSON.parse(json.stdout);
    assert.deepEqual(
      { ok: report.ok, chainOk: report.chainOk, rowsChecked: report.rowsChecked, head: report.head, firstBroken: report.firstBroken },
      { ok: false, chainOk: false, rowsChecked: 0, head: null, firstBroken: { seq: '1', id: first[0]?.id, reason: 'hash_mismatch' } },
    );
    assert.deepEqual([report.checkpoints.problems, report.ddlGuard], [[], true]);
  });
});
