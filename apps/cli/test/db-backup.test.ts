/**
 * `drop db backup | backups | restore | verify` on a private embedded PostgreSQL 16 cluster that
 * archives into its own repository: backups are taken and verified, listed with age and size, a
 * physical backup restores into a new cluster (to the end of the archive, and to a point in time
 * with --to), a logical dump restores into a new database with exactly its rows, verify fails on a
 * broken ledger or a missing transfer, and bad input or a restore over the live database without
 * both confirmations exits 1 and changes nothing.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { latestRestoreVerification, SequenceKidAllocator } from '@drop/core';
import { newId } from '@drop/db';
import pg from 'pg';
import { adminUrl, createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { fixedRates, makeTransfer, verifiedCustomer } from '../../../test/support/money.ts';
import { type BackupCluster, startBackupCluster, stopRestoredCluster } from './backup-cluster.ts';
import { describeResult, runDrop } from './run-cli.ts';

interface ListedBackup {
  id: string;
  kind: 'physical' | 'logical';
  sizeBytes: number;
  ageSeconds: number;
  verifiedAt: string | null;
}

interface RestoreJson {
  backupId: string;
  kind: string;
  url: string;
  dataDir: string | null;
  target: string | null;
  verification: { ok: boolean };
}

describe('drop db backup, backups, restore, verify', () => {
  let cluster: BackupCluster;
  const startedClusters: string[] = [];
  let userId: string;

  const addUser = async (name: string) => {
    const id = newId('usr');
    await cluster.pool.query(`INSERT INTO users (id, full_name, kyc_status, kyc_tier) VALUES ($1, $2, 'approved', 1)`, [id, name]);
    return id;
  };
  const hasUser = async (url: string, id: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query('SELECT 1 FROM users WHERE id = $1', [id])).rowCount === 1;
    } finally {
      await client.end();
    }
  };
  const restoreJson = async (args: string[]) => {
    const result = await runDrop(['db', 'restore', ...args, '--json'], cluster.env);
    assert.equal(result.code, 0, describeResult(result));
    const restored = JSON.parse(result.stdout) as RestoreJson;
    if (restored.dataDir) startedClusters.push(restored.dataDir);
    return restored;
  };

  before(async () => {
    cluster = await startBackupCluster();
    userId = await addUser('Before Backup');
    // A transfer, so the ledger has accounts and postings (and the audit log rows).
    const rates = fixedRates({ EUR: '11.7035' });
    await rates.refresh();
    const customer = await verifiedCustomer(cluster.pool, 1);
    await makeTransfer(cluster.pool, { ...customer, nok: 500, rates, kids: new SequenceKidAllocator({ method: 'MOD10', length: 12 }) });
  });
  after(async () => {
    for (const dataDir of startedClusters) await stopRestoredCluster(dataDir);
    await cluster?.cleanUp();
  });

  it('takes a verified physical base backup and a logical dump, and lists them with age and size', async () => {
    const empty = await runDrop(['db', 'backups'], cluster.env);
    assert.equal(empty.code, 0, describeResult(empty));
    assert.match(empty.stdout, /No backups in /);

    const backup = await runDrop(['db', 'backup', '--test-restore'], cluster.env);
    assert.equal(backup.code, 0, describeResult(backup));
    assert.match(backup.stdout, /-base {2}physical .* verified/);
    assert.match(backup.stdout, /-dump {2}logical .* verified/);
    assert.match(backup.stdout, /^Test restore of \S+-base: verified in /m);
    assert.equal(
      existsSync(path.join(cluster.dir, 'restores')) ? (await readdir(path.join(cluster.dir, 'restores'))).length : 0,
      0,
      'the scratch cluster is removed',
    );

    const listed = await runDrop(['db', 'backups', '--json'], cluster.env);
    assert.equal(listed.code, 0, describeResult(listed));
    const { backups } = JSON.parse(listed.stdout) as { backups: ListedBackup[] };
    assert.deepEqual(backups.map((entry) => entry.kind).sort(), ['logical', 'physical']);
    for (const entry of backups) {
      assert.ok(entry.sizeBytes > 0);
      assert.ok(entry.ageSeconds >= 0);
      assert.ok(entry.verifiedAt);
    }
    const text = await runDrop(['db', 'backups'], cluster.env);
    assert.match(text.stdout, /^ID +KIND +AGE +SIZE +VERIFIED$/m);
    assert.match(text.stdout, /^Last verified restore: \S+-base at .* \(drop db backup --test-restore\)\.$/m);

    const audit = await cluster.pool.query(`SELECT resource_id FROM audit_log WHERE action = 'database_backup_taken' ORDER BY seq`);
    assert.deepEqual(audit.rows.map((row) => row.resource_id).sort(), backups.map((entry) => entry.id).sort());
  });

  it('restores the newest physical backup into a new cluster, replaying the archived WAL to its end', async () => {
    const later = await addUser('After Backup');
    await cluster.archiveNow();
    const restored = await restoreJson([]);
    assert.equal(restored.kind, 'physical');
    assert.equal(restored.verification.ok, true);
    assert.notEqual(new URL(restored.url).port, new URL(cluster.server.url).port, 'a new cluster on its own port');
    assert.ok(await hasUser(restored.url, userId));
    assert.ok(await hasUser(restored.url, later), 'the change made after the base backup came back from the archive');
    const audit = await cluster.pool.query(`SELECT actor, details FROM audit_log WHERE action = 'database_restored' AND resource_id = $1`, [
      restored.backupId,
    ]);
    assert.equal(audit.rowCount, 1, 'the restore is audited in the live database');
    const verified = await latestRestoreVerification(cluster.repoDir);
    assert.equal(verified?.backupId, restored.backupId);
    assert.equal(verified?.ok, true);
  });

  it('restores to a point in time with --to: what was committed before is there, what came after is not', async () => {
    const before = await addUser('Before Target');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const target = new Date();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const afterTarget = await addUser('After Target');
    await cluster.archiveNow();
    const restored = await restoreJson(['--to', target.toISOString()]);
    assert.equal(restored.target, target.toISOString());
    assert.ok(await hasUser(restored.url, before));
    assert.equal(await hasUser(restored.url, afterTarget), false);
  });

  it('restores the logical dump into a new database with exactly its rows, and verify --exact passes', async () => {
    const listed = JSON.parse((await runDrop(['db', 'backups', '--json'], cluster.env)).stdout) as { backups: ListedBackup[] };
    const dump = listed.backups.find((entry) => entry.kind === 'logical') as ListedBackup;
    const database = `drop_restore_test_${Date.now()}`;
    const restored = await restoreJson([dump.id, '--database', database]);
    assert.equal(restored.kind, 'logical');
    assert.equal(new URL(restored.url).pathname, `/${database}`);
    assert.ok(await hasUser(restored.url, userId));
    const verify = await runDrop(['db', 'verify', '--url', restored.url, '--backup', dump.id, '--exact'], cluster.env);
    assert.equal(verify.code, 0, describeResult(verify));
    assert.match(verify.stdout, /Database verified against /);

    // A broken ledger fails verification (exit 1, named check).
    const client = new pg.Client({ connectionString: restored.url });
    await client.connect();
    try {
      // A posting lost behind the ledger's back (guards and foreign keys off for this session).
      await client.query('SET session_replication_role = replica');
      await client.query('ALTER TABLE ledger_transfers DISABLE TRIGGER USER');
      await client.query('DELETE FROM ledger_transfers WHERE ctid = (SELECT ctid FROM ledger_transfers LIMIT 1)');
    } finally {
      await client.end();
    }
    const broken = await runDrop(['db', 'verify', '--url', restored.url, '--json'], cluster.env);
    assert.equal(broken.code, 1, describeResult(broken));
    const report = JSON.parse(broken.stdout) as { ok: boolean; checks: Array<{ name: string; ok: boolean }> };
    assert.equal(report.ok, false);
    assert.equal(report.checks.find((check) => check.name === 'ledger')?.ok, false);
  });

  it('verify fails when an expected transfer is missing, and passes on the live database', async () => {
    const missing = await runDrop(['db', 'verify', '--expect-transaction', 'tx_01JZZZZZZZZZZZZZZZZZZZZZZZ'], cluster.env);
    assert.equal(missing.code, 1, describeResult(missing));
    assert.match(missing.stdout, /FAIL {2}expected_transfers/);
    const live = await runDrop(['db', 'verify'], cluster.env);
    assert.equal(live.code, 0, describeResult(live));
  });

  it('refuses to restore over the live database unless asked twice, and bad input, changing nothing', async () => {
    const restoresDir = path.join(cluster.dir, 'restores');
    const before = existsSync(restoresDir) ? (await readdir(restoresDir)).length : 0;
    const cases: Array<[string[], RegExp]> = [
      [['db', 'restore', '--over-live'], /^OVERWRITE_NEEDS_CONFIRMATION: /],
      [['db', 'restore', '--yes-really-overwrite-live'], /^OVERWRITE_NEEDS_CONFIRMATION: /],
      // Asked twice, but Drop only replaces its embedded database, never one at DATABASE_URL.
      [['db', 'restore', '--over-live', '--yes-really-overwrite-live'], /^OVERWRITE_EXTERNAL_REFUSED: /],
      [['db', 'restore', '--to', 'yesterday'], /^BAD_TIMESTAMP: /],
      [['db', 'restore', '--to', '2000-01-01T00:00:00Z'], /^NO_BACKUP: /],
      [['db', 'restore', 'no-such-backup'], /^BACKUP_NOT_FOUND: /],
      [['db', 'verify', '--url', 'not-a-url'], /^BAD_URL: /],
    ];
    for (const [args, message] of cases) {
      const result = await runDrop(args, cluster.env);
      assert.equal(result.code, 1, `${args.join(' ')}: ${describeResult(result)}`);
      assert.match(result.stderr.trim(), message, args.join(' '));
    }
    const afterRefusals = existsSync(restoresDir) ? (await readdir(restoresDir)).length : 0;
    assert.equal(afterRefusals, before, 'no restore was started');
    assert.ok(await hasUser(cluster.server.url, userId), 'the live database is untouched');
  });
});

describe('drop db backup and restore on an external server (the machine PostgreSQL, as for RDS)', () => {
  let db: TestDatabase;
  let repoDir: string;
  let env: Record<string, string>;
  let restoredDatabase: string | null = null;

  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_cli_backup' });
    repoDir = await mkdtemp(path.join(tmpdir(), 'drop-backup-external-'));
    // Backups and restores run as the owner (DATABASE_OWNER_URL), as an operator's would.
    env = { DATABASE_URL: db.url, DATABASE_OWNER_URL: db.ownerUrl, BACKUP_DIR: repoDir, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
  });
  after(async () => {
    if (restoredDatabase) {
      const admin = new pg.Client({ connectionString: adminUrl() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${restoredDatabase} WITH (FORCE)`).finally(() => admin.end());
    }
    await db?.drop();
    await rm(repoDir, { recursive: true, force: true });
  });

  it('takes only the logical dump (saying why), and restores it into a new database there', async () => {
    const userId = newId('usr');
    await db.pool.query(`INSERT INTO users (id, full_name, kyc_status, kyc_tier) VALUES ($1, 'External', 'approved', 1)`, [userId]);
    const backup = await runDrop(['db', 'backup', '--json'], env);
    assert.equal(backup.code, 0, describeResult(backup));
    const taken = JSON.parse(backup.stdout) as { backups: Array<{ id: string; kind: string }>; notes: string[] };
    assert.deepEqual(
      taken.backups.map((entry) => entry.kind),
      ['logical'],
    );
    assert.match(taken.notes.join('\n'), /No physical backup: /);

    restoredDatabase = `${db.name}_restored`;
    const restore = await runDrop(['db', 'restore', taken.backups[0]?.id as string, '--database', restoredDatabase, '--json'], env);
    assert.equal(restore.code, 0, describeResult(restore));
    const restored = JSON.parse(restore.stdout) as { url: string; verification: { ok: boolean } };
    assert.equal(restored.verification.ok, true);
    const client = new pg.Client({ connectionString: restored.url });
    await client.connect();
    try {
      assert.equal((await client.query('SELECT 1 FROM users WHERE id = $1', [userId])).rowCount, 1);
    } finally {
      await client.end();
    }
  });
});
