/**
 * Stopping the database turns /api/health into 503 within seconds and back to 200 when it
 * returns, without restarting Drop; the operations channel hears "down" once and "recovered" once.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { RunningDrop } from '../apps/api/src/runtime.ts';
import { startControlledPostgres } from './support/embedded.ts';
import { startTestServer, waitUntil } from './support/server.ts';
import { type SlackReceiver, startSlackReceiver } from './support/slack-receiver.ts';

describe('health while the database goes away and comes back', () => {
  let postgres: Awaited<ReturnType<typeof startControlledPostgres>>;
  let slack: SlackReceiver;
  let drop: RunningDrop | undefined;

  before(async () => {
    postgres = await startControlledPostgres();
    slack = await startSlackReceiver();
  });
  after(async () => {
    await drop?.stop('test finished').catch(() => undefined);
    await postgres.server.stop().catch(() => undefined);
    await slack.close();
    await rm(postgres.dir, { recursive: true, force: true });
  });

  async function healthStatus(): Promise<{
    code: number;
    body: { data: { status: string; checks: { db: { status: string; error?: string } } } };
  }> {
    const response = await fetch(`${drop?.url}/api/health`, { signal: AbortSignal.timeout(5000) });
    return { code: response.status, body: await response.json() };
  }

  it('goes 200 → 503 → 200 and alerts down and recovered once each', async () => {
    drop = await startTestServer({
      databaseUrl: postgres.server.url,
      env: {
        SLACK_WEBHOOK_URL: slack.url,
        HEALTH_MONITOR_INTERVAL_MS: '200',
        HEALTH_CHECK_TIMEOUT_MS: '1000',
        DATABASE_CONNECT_TIMEOUT_MS: '1000',
      },
    });
    const started = await slack.waitFor('app_started');
    assert.match(started.text, /\[test\] Drop .* started/);
    assert.equal((await healthStatus()).code, 200);

    await postgres.server.stop();
    await waitUntil(async () => (await healthStatus()).code === 503, 10_000, 'health to report 503');
    const down = await healthStatus();
    assert.equal(down.body.data.status, 'down');
    assert.equal(down.body.data.checks.db.status, 'down');
    const downAlert = await slack.waitFor('health_down');
    assert.equal(downAlert.drop.severity, 'critical');

    await postgres.restart();
    await waitUntil(async () => (await healthStatus()).code === 200, 15_000, 'health to recover to 200');
    const recovered = await slack.waitFor('health_recovered');
    assert.match(recovered.text, /recovered/);
    assert.equal(slack.messages.filter((message) => message.drop.kind === 'health_down').length, 1, 'one down alert, not one per probe');

    await drop.stop('test finished');
    await slack.waitFor('app_stopping');
    drop = undefined;
  });
});
