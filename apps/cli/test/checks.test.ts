/**
 * `drop checks daily|weekly|monthly` runs the operational runbook's checklists (3.1–3.3) against a
 * real database: each check ok, warn or fail with what it measured, exit 1 on any fail (warnings
 * alone exit 0), the report as JSON, and a summary posted to a local Slack receiver unless --no-slack.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type OpsChecksReport, opsChecksReport } from '@drop/contracts';
import { newId } from '@drop/db';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { type SlackReceiver, startSlackReceiver } from '../../../test/support/slack-receiver.ts';
import { describeResult, runDrop } from './run-cli.ts';

describe('drop checks', () => {
  let db: TestDatabase;
  let slack: SlackReceiver;
  let env: Record<string, string>;
  let backupDir: string;

  const user = async (kycStatus: string, hoursAgo: number) => {
    const id = newId('usr');
    await db.pool.query(`INSERT INTO users (id, kyc_status, created_at) VALUES ($1, $2, now() - make_interval(hours => $3))`, [
      id,
      kycStatus,
      hoursAgo,
    ]);
    return id;
  };
  const alert = async (severity: string, hoursAgo: number) => {
    const userId = await user('approved', 100);
    await db.pool.query(
      `INSERT INTO aml_alerts (id, user_id, rule, severity, created_at) VALUES ($1, $2, 'large_transfer', $3, now() - make_interval(hours => $4))`,
      [newId('alert'), userId, severity, hoursAgo],
    );
  };
  const json = async (period: string, extra: Record<string, string> = {}) => {
    const result = await runDrop(['checks', period, '--json', '--no-slack'], { ...env, ...extra });
    const report: OpsChecksReport = opsChecksReport.parse(JSON.parse(result.stdout));
    const byName = Object.fromEntries(report.checks.map((check) => [check.name, check]));
    return { result, report, byName };
  };

  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_cli_checks' });
    slack = await startSlackReceiver();
    backupDir = await mkdtemp(path.join(tmpdir(), 'drop-cli-checks-'));
    // A latency threshold no busy test machine reaches: the health check is ok unless a test lowers it.
    env = {
      DATABASE_URL: db.url,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      SLACK_WEBHOOK_URL: slack.url,
      BACKUP_DIR: backupDir,
      HEALTH_DB_LATENCY_ALERT_MS: '60000',
    };
  });
  beforeEach(async () => {
    slack.messages.length = 0;
    await db.pool.query(`UPDATE aml_alerts SET status = 'closed', reviewed_at = now() WHERE status = 'open'`);
    await db.pool.query(`UPDATE users SET kyc_status = 'approved' WHERE kyc_status = 'pending'`);
  });
  after(async () => {
    await slack?.close();
    await db?.drop();
    await rm(backupDir, { recursive: true, force: true });
  });

  it('daily: health ok, a critical alert of the last 24 h fails; an older one or a high one does not count', async () => {
    await alert('critical', 30);
    await alert('high', 1);
    let { report, byName } = await json('daily');
    assert.deepEqual(
      report.checks.map((check) => check.name),
      ['health', 'last_backup', 'critical_alerts'],
    );
    assert.equal(byName.health?.status, 'ok');
    assert.match(byName.health?.detail ?? '', /^from this host: database up, [\d.]+ ms round trip/);
    assert.equal(byName.critical_alerts?.status, 'ok', byName.critical_alerts?.detail);
    assert.deepEqual(byName.last_backup, {
      name: 'last_backup',
      status: 'fail',
      runbook: '3.1',
      detail: `no backup in ${backupDir}; run drop db backup`,
    });

    await alert('critical', 2);
    ({ report, byName } = await json('daily'));
    assert.equal(byName.critical_alerts?.status, 'fail');
    assert.equal(byName.critical_alerts?.detail, '1 open critical AML alert(s) raised in the last 24 h, the oldest 2 h ago');
    assert.equal(report.status, 'fail');
  });

  it('daily: a database latency over HEALTH_DB_LATENCY_ALERT_MS is a warning, not a failure', async () => {
    const { byName } = await json('daily', { HEALTH_DB_LATENCY_ALERT_MS: '0.001' });
    assert.equal(byName.health?.status, 'warn');
    assert.match(byName.health?.detail ?? '', /over the 0\.001 ms alert threshold/);
  });

  it('weekly: storage against the allocated size, open alerts by severity, KYC pending over 24 h (runbook 6.2)', async () => {
    await alert('high', 50);
    await alert('low', 3);
    await user('pending', 30);
    await user('pending', 26);
    await user('pending', 2); // not yet 24 h
    await user('not_started', 48);

    const { result, report, byName } = await json('weekly', { DATABASE_STORAGE_LIMIT_GB: '100' });
    assert.equal(result.code, 0, `warnings alone exit 0\n${describeResult(result)}`);
    assert.deepEqual(
      report.checks.map((check) => check.name),
      ['storage', 'open_alerts', 'pending_kyc'],
    );
    assert.equal(byName.storage?.status, 'ok');
    assert.match(byName.storage?.detail ?? '', /^database [\d.]+ MB of 100\.0 GB allocated: [\d.]+ GB left \(minimum 2\.0 GB free\)$/);
    assert.equal(byName.open_alerts?.status, 'warn');
    assert.match(byName.open_alerts?.detail ?? '', /^2 open AML alert\(s\) \(1 high, 1 low\), the oldest 2 days ago$/);
    assert.equal(byName.pending_kyc?.status, 'warn');
    assert.equal(byName.pending_kyc?.detail, '2 customer(s) pending KYC for more than 24 h, the oldest signed up 30 h ago');
    assert.equal(report.status, 'warn');

    // A database is several MB: of 2.001 GB, under 2 GB are left (fail); of 3 GB, under twice the floor (warn).
    const small = await json('weekly', { DATABASE_STORAGE_LIMIT_GB: '2.001' });
    assert.equal(small.byName.storage?.status, 'fail', small.byName.storage?.detail);
    assert.equal(small.result.code, 1);
    const tight = await json('weekly', { DATABASE_STORAGE_LIMIT_GB: '3' });
    assert.equal(tight.byName.storage?.status, 'warn', tight.byName.storage?.detail);
    const unknown = await json('weekly');
    assert.equal(unknown.byName.storage?.status, 'warn');
    assert.match(unknown.byName.storage?.detail ?? '', /free space unknown: set DATABASE_STORAGE_LIMIT_GB/);
  });

  it('monthly: SLA reminder, no verified restore fails, secrets never rotated warn, an approved STR not filed fails', async () => {
    const drafter = await user('approved', 100);
    await db.pool.query(
      `INSERT INTO str_reports (user_id, report_type, status, drafted_by) VALUES ($1, 'suspicious_transaction', 'draft', 'a')`,
      [drafter],
    );
    let { report, byName } = await json('monthly');
    assert.deepEqual(
      report.checks.map((check) => check.name),
      ['sla_report', 'restore_verified', 'secrets_due', 'pending_strs'],
    );
    const lastMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    assert.equal(byName.sla_report?.detail, `reminder: review drop sla report --month ${lastMonth} (uptime, error rate, p99 latency)`);
    assert.equal(byName.restore_verified?.status, 'fail');
    assert.equal(byName.restore_verified?.detail, `no verified restore recorded in ${backupDir}; run drop dr drill`);
    assert.equal(byName.secrets_due?.status, 'warn');
    assert.match(byName.secrets_due?.detail ?? '', /JWT_SECRET never rotated through Drop; DATABASE_PASSWORD never rotated through Drop/);
    assert.equal(byName.pending_strs?.status, 'warn');
    assert.equal(byName.pending_strs?.detail, '1 draft, 0 awaiting approval, 0 approved but not filed');

    await db.pool.query(
      `INSERT INTO str_reports (user_id, report_type, status, drafted_by, approved_by, approved_at)
       VALUES ($1, 'suspicious_transaction', 'approved', 'a', 'b', now() - interval '3 days')`,
      [drafter],
    );
    ({ byName } = await json('monthly'));
    assert.equal(byName.pending_strs?.status, 'fail');
    assert.equal(
      byName.pending_strs?.detail,
      '1 draft, 0 awaiting approval, 1 approved but not filed (approved 3 days ago: file it with the FIU)',
    );
  });

  it('posts one summary to Slack with a line per check, and none with --no-slack', async () => {
    await alert('critical', 1);
    const result = await runDrop(['checks', 'daily'], env);
    assert.equal(result.code, 1, describeResult(result));
    assert.match(result.stdout, /^FAIL critical_alerts +1 open critical AML alert/m);
    assert.match(result.stdout, /^OK {3}health +from this host: database up/m);
    assert.match(result.stdout, /^daily checks at .+: 2 fail, 0 warn, 1 ok$/m);
    const message = await slack.waitFor('ops_checks');
    assert.equal(message.drop.severity, 'critical');
    assert.ok(message.text.endsWith('Daily checks: 2 fail, 0 warn, 1 ok'), message.text);
    const body = JSON.stringify(message.blocks);
    assert.match(body, /:x: \*critical_alerts\* 1 open critical AML alert/);
    assert.match(body, /:white_check_mark: \*health\* from this host/);
    assert.equal(slack.messages.length, 1);

    slack.messages.length = 0;
    const quiet = await runDrop(['checks', 'daily', '--no-slack'], env);
    assert.equal(quiet.code, 1);
    assert.equal(slack.messages.length, 0);
  });

  it('judges a running server with --url, and a down one fails', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_request, response) => {
      response.writeHead(503, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          data: { status: 'down', version: '9.9.9', uptime: 5, checks: { db: { status: 'down', latencyMs: null, error: 'timeout' } } },
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const result = await runDrop(['checks', 'daily', '--json', '--no-slack', '--url', `http://127.0.0.1:${port}`], env);
      const report = opsChecksReport.parse(JSON.parse(result.stdout));
      assert.deepEqual(report.checks[0], {
        name: 'health',
        status: 'fail',
        runbook: '3.1, 9',
        detail: `http://127.0.0.1:${port}: database down (timeout)`,
      });
      assert.equal(result.code, 1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('bad input: an unknown checklist or a bad --url exits non-zero, posts nothing and prints no report', async () => {
    const unknown = await runDrop(['checks', 'yearly'], env);
    assert.equal(unknown.code, 1, describeResult(unknown));
    assert.match(unknown.stderr, /unknown command 'yearly'/);
    const badUrl = await runDrop(['checks', 'daily', '--url', 'not a url'], env);
    assert.equal(badUrl.code, 2, describeResult(badUrl));
    assert.equal(badUrl.stderr.trim(), '--url: not a URL: not a url');
    assert.equal(badUrl.stdout, '');
    assert.equal(slack.messages.length, 0);
  });
});
