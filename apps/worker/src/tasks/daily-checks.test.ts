/**
 * The morning's daily checks through a real worker: the job runs the runbook's daily checklist
 * and posts its summary to Slack (a local receiver), where an open critical alert shows as a fail.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JOBS, queueJob } from '@drop/core';
import { newId, withTransaction } from '@drop/db';
import { createLogger, SlackWebhookNotifier } from '@drop/observability';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { type SlackReceiver, startSlackReceiver } from '../../../../test/support/slack-receiver.ts';
import { startWorker, type WorkerHandle } from '../worker.ts';

describe('ops:daily_checks', () => {
  let db: TestDatabase;
  let slack: SlackReceiver;
  let worker: WorkerHandle;
  let backupDir: string;
  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_daily_checks_job' });
    slack = await startSlackReceiver();
    backupDir = await mkdtemp(path.join(tmpdir(), 'drop-daily-checks-'));
    const logger = createLogger({ level: 'silent' });
    worker = await startWorker({
      db: db.pool,
      logger,
      notifier: new SlackWebhookNotifier({ url: slack.url, environment: 'test', logger }),
      concurrency: 1,
      pollIntervalMs: 50,
      withCron: false,
      opsChecks: {
        version: '9.9.9',
        healthTimeoutMs: 2000,
        latencyAlertMs: 60_000,
        storage: { limitBytes: undefined, minFreeBytes: 2 * 1024 ** 3, embeddedDir: undefined },
        backupDir,
      },
    });
  });
  after(async () => {
    await worker?.stop();
    await slack?.close();
    await db?.drop();
    await rm(backupDir, { recursive: true, force: true });
  });

  it('runs the daily checklist and posts its summary to Slack', async () => {
    const userId = newId('usr');
    await db.pool.query(`INSERT INTO users (id, kyc_status) VALUES ($1, 'approved')`, [userId]);
    await db.pool.query(`INSERT INTO aml_alerts (id, user_id, rule, severity) VALUES ($1, $2, 'large_transfer', 'critical')`, [
      newId('alert'),
      userId,
    ]);
    await withTransaction(db.pool, (tx) => queueJob(tx, JOBS.dailyOpsChecks, {}));
    const message = await slack.waitFor('ops_checks', 20_000);
    assert.equal(message.drop.severity, 'critical');
    assert.ok(message.text.endsWith('Daily checks: 2 fail, 0 warn, 1 ok'), message.text);
    const body = JSON.stringify(message.blocks);
    assert.match(body, /:white_check_mark: \*health\* from this host: database up/);
    assert.match(body, /:x: \*last_backup\* no backup in /);
    assert.match(body, /:x: \*critical_alerts\* 1 open critical AML alert/);
  });
});
