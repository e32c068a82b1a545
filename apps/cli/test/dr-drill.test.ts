/**
 * `drop dr drill` against a private embedded PostgreSQL 16 cluster that archives its WAL every
 * second into its own backup repository: the latest backup and a point in time restored into
 * scratch clusters, verified, Drop started on each until its health check answers; the write
 * load's acknowledged transfers all present in the point-in-time restore (none from after the
 * target), the RPO of the primary-lost restore measured; the report in the repository (JSON and
 * text, and restore verifications that latestRestoreVerification finds), the Slack summary
 * through the real Slack notifier to a local receiver, the audit event, and the drill's
 * transfers cancelled with the live ledger still balanced.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createBackup, type DrillReport, type KidFormat, latestRestoreVerification, SequenceKidAllocator, verifyLedger } from '@drop/core';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '@drop/db';
import { createLogger } from '@drop/observability';
import { migrateDatabase } from '@drop/worker';
import pg from 'pg';
import { freePort, reachableTempDir } from '../../../test/support/embedded.ts';
import { fixedRates, makeTransfer, verifiedCustomer } from '../../../test/support/money.ts';
import { type SlackReceiver, startSlackReceiver } from '../../../test/support/slack-receiver.ts';
import { describeResult, runDrop } from './run-cli.ts';

const KID_FORMAT: KidFormat = { method: 'MOD10', length: 12 };

describe('drop dr drill', () => {
  let dir: string;
  let repoDir: string;
  let server: EmbeddedDatabase;
  let pool: pg.Pool;
  let slack: SlackReceiver;
  let env: Record<string, string>;
  let newest: string;

  before(async () => {
    dir = await reachableTempDir('drop-drill-');
    repoDir = path.join(dir, 'repo');
    server = await startEmbeddedPostgres({
      dir: path.join(dir, 'data'),
      port: await freePort(),
      archive: { walDir: path.join(repoDir, 'wal'), timeoutSeconds: 1 },
    });
    pool = new pg.Pool({ connectionString: server.url, max: 8 });
    pool.on('error', () => undefined);
    await migrateDatabase(pool, createLogger({ level: 'silent' }));
    const rates = fixedRates({ EUR: '11.7035' });
    await rates.refresh();
    const kids = new SequenceKidAllocator(KID_FORMAT);
    const customer = await verifiedCustomer(pool, 2);
    for (const nok of [500, 700]) newest = (await makeTransfer(pool, { ...customer, nok, rates, kids })).id;
    await createBackup({ url: server.url, repoDir, physical: 'require', logical: false });
    slack = await startSlackReceiver();
    env = { DATABASE_URL: server.url, BACKUP_DIR: repoDir, LOG_LEVEL: 'silent', NODE_ENV: 'test', SLACK_WEBHOOK_URL: slack.url };
  });

  after(async () => {
    await pool?.end().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await slack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('restores the latest backup and a point in time, verifies them, starts Drop on them, and reports RTO and RPO', async () => {
    const result = await runDrop(['dr', 'drill', '--load-seconds', '3', '--writers', '2', '--json'], env);
    const report = JSON.parse(result.stdout) as DrillReport;
    assert.equal(result.code, report.ok ? 0 : 1, describeResult(result));

    assert.deepEqual(
      report.runs.map((run) => [run.name, run.ok, run.error]),
      [
        ['latest-backup', true, null],
        ['point-in-time', true, null],
        ['primary-lost', true, null],
      ],
      describeResult(result),
    );
    for (const run of report.runs) {
      assert.deepEqual(
        run.verification?.checks.map((check) => [check.name, check.ok]),
        run.name === 'point-in-time'
          ? [
              ['ledger', true],
              ['audit_chain', true],
              ['row_counts', true],
              ['last_transfer', true],
              ['expected_transfers', true],
            ]
          : [
              ['ledger', true],
              ['audit_chain', true],
              ['row_counts', true],
              ['last_transfer', true],
            ],
      );
      assert.equal(typeof run.rtoSeconds, 'number');
      const parts = (run.restoreSeconds ?? 0) + (run.verifySeconds ?? 0) + (run.healthySeconds ?? 0);
      assert.ok(Math.abs((run.rtoSeconds ?? 0) - parts) < 0.005, `RTO ${run.rtoSeconds} s = restore + verify + healthy (${parts} s)`);
    }
    assert.equal(report.runs[1]?.target, report.load.incidentAt);
    assert.ok(report.load.acknowledged > 0, 'the write load acknowledged transfers');
    assert.deepEqual(report.load.errors, []);
    const pitr = report.runs[1]?.rpo;
    assert.ok(pitr && pitr.acknowledgedBefore > 0);
    assert.equal(pitr.lost, 0, 'a point-in-time restore holds every transfer acknowledged before the target (but its last 250 ms)');
    assert.ok(pitr.atTarget && pitr.atTarget.present <= pitr.atTarget.acknowledged, 'the edge before the target is reported apart');
    assert.equal(pitr.presentAfterTarget, 0, 'and none acknowledged after it');
    assert.equal(report.rpoSeconds, report.runs[2]?.rpo?.seconds);
    assert.equal(report.rtoSeconds, Math.max(...report.runs.map((run) => run.rtoSeconds ?? 0)));

    // The report in the repository, and the restores as verifications the monthly check reads.
    assert.ok(report.files);
    assert.deepEqual(JSON.parse(await readFile(report.files.json, 'utf8')), report);
    const text = await readFile(report.files.text, 'utf8');
    assert.match(text, new RegExp(`^DR drill ${report.id}: ${report.ok ? 'PASSED' : 'FAILED'}`));
    assert.match(text, /primary-lost: ok\n {2}restore [\d.]+ s, verify [\d.]+ s, healthy Drop [\d.]+ s: RTO [\d.]+ s/);
    assert.deepEqual(await readdir(path.join(repoDir, 'reports', 'dr-drills')), [`${report.id}.json`, `${report.id}.txt`]);
    const verified = await latestRestoreVerification(repoDir);
    assert.equal(verified?.source, 'drop dr drill (primary-lost)');
    assert.equal(verified?.ok, true);
    assert.ok(!existsSync(path.join(dir, 'dr-scratch')) || (await readdir(path.join(dir, 'dr-scratch'))).length === 0, 'scratch removed');

    // Slack, through the real notifier.
    const message = await slack.waitFor('dr_drill');
    assert.match(
      message.text,
      new RegExp(`DR drill ${report.ok ? 'passed' : 'FAILED'}: RTO [\\d.]+ s \\(target 180\\), RPO [\\d.]+ s \\(target 30\\)`),
    );
    assert.equal(message.drop.severity, report.ok ? 'info' : 'critical');

    // Live: audited, the drill's transfers cancelled, the ledger balanced, the backup's newest transfer untouched.
    const audit = await pool.query<{ actor: string; details: { drill: string } }>(
      `SELECT actor, details FROM audit_log WHERE action = 'dr_drill_run'`,
    );
    assert.equal(audit.rows.length, 1);
    assert.equal(audit.rows[0]?.details.drill, report.id);
    const statuses = await pool.query<{ status: string; n: string }>(
      `SELECT t.status, count(*) AS n FROM transactions t JOIN users u ON u.id = t.user_id WHERE u.email = 'dr-drill@drop.invalid' GROUP BY 1`,
    );
    assert.deepEqual(statuses.rows, [{ status: 'cancelled', n: String(report.load.acknowledged) }]);
    assert.deepEqual((await verifyLedger(pool)).violations, []);
    assert.equal((await pool.query('SELECT status FROM transactions WHERE id = $1', [newest])).rows[0]?.status, 'awaiting_funds');
  });

  it('drop db diff --backup restores the backup aside for the comparison and removes it', async () => {
    const [backup] = await readdir(path.join(repoDir, 'backups'));
    const drillTransfers = Number(
      (
        await pool.query(
          `SELECT count(*) AS n FROM transactions t JOIN users u ON u.id = t.user_id WHERE u.email = 'dr-drill@drop.invalid'`,
        )
      ).rows[0].n,
    );
    const result = await runDrop(['db', 'diff', '--backup', backup ?? '', '--table', 'transactions', '--json'], env);
    assert.equal(result.code, 0, describeResult(result));
    const diff = JSON.parse(result.stdout) as { source: string; counts: Record<string, number> };
    assert.equal(diff.source, `backup ${backup}`);
    // Restored to the end of the archived WAL: the backup's transfers and as many of the drill's as
    // had been archived, none missing live.
    assert.equal(diff.counts.live, 2 + drillTransfers);
    assert.ok((diff.counts.restored ?? 0) >= 2);
    assert.equal(diff.counts.missingInLive, 0);
    assert.equal((diff.counts.same ?? 0) + (diff.counts.changed ?? 0) + (diff.counts.onlyInLive ?? 0), diff.counts.live);
    assert.deepEqual(await readdir(path.join(dir, 'restores')).catch(() => []), [], 'the restored copy is removed');
    const both = await runDrop(['db', 'diff', '--backup', backup ?? '', '--from', server.url, '--table', 'users'], env);
    assert.equal(both.code, 1, describeResult(both));
    assert.match(both.stderr, /^VALIDATION_FAILED: Name the restored data with exactly one of --from URL and --backup ID\./m);
  });

  it('refuses bad options and a repository without a backup with a code, changing nothing', async () => {
    const writers = await runDrop(['dr', 'drill', '--writers', '0'], env);
    assert.equal(writers.code, 1, describeResult(writers));
    assert.match(writers.stderr, /^VALIDATION_FAILED: --writers is a whole number from 1 to 64\./m);
    const empty = await runDrop(['dr', 'drill', '--load-seconds', '0'], { ...env, BACKUP_DIR: path.join(dir, 'empty-repo') });
    assert.equal(empty.code, 1, describeResult(empty));
    assert.match(empty.stderr, /^NOT_FOUND: No physical backup in .*empty-repo/m);
    assert.equal(slack.messages.filter((message) => message.drop.kind === 'dr_drill').length, 1, 'no summary for a drill that did not run');
  });
});
