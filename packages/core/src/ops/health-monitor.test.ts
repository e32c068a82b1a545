import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, type OpsAlert, type OpsNotifier, SlackWebhookNotifier } from '@drop/observability';
import { waitUntil } from '../../../../test/support/server.ts';
import { startSlackReceiver } from '../../../../test/support/slack-receiver.ts';
import type { HealthReport } from '../health/check-health.ts';
import { HealthMonitor } from './health-monitor.ts';
import { RecordingNotifier } from './test-support.ts';

const ok = (latencyMs = 1.25): HealthReport => ({
  status: 'ok',
  version: '9.9.9',
  uptime: 10,
  checks: { db: { status: 'ok', latencyMs } },
});

const down = (error = 'connection refused'): HealthReport => ({
  status: 'down',
  version: '9.9.9',
  uptime: 10,
  checks: { db: { status: 'down', latencyMs: null, error } },
});

/** A probe that answers the scripted reports in order, then keeps answering the last one. */
function scriptedProbe(script: HealthReport[]) {
  let calls = 0;
  const probe = async () => {
    const report = script[Math.min(calls, script.length - 1)];
    calls++;
    assert.ok(report);
    return report;
  };
  return { probe, calls: () => calls };
}

describe('HealthMonitor.tick', () => {
  it('alerts once when the database goes down and once when it recovers (ok, down, down, ok)', async () => {
    const notifier = new RecordingNotifier();
    const reports: string[] = [];
    const { probe } = scriptedProbe([ok(), down(), down(), ok(3.5)]);
    const monitor = new HealthMonitor({ probe, notifier, intervalMs: 60_000, onReport: (report) => reports.push(report.status) });

    assert.equal((await monitor.tick()).status, 'ok');
    assert.deepEqual(notifier.sent(), []);

    assert.equal((await monitor.tick()).status, 'down');
    assert.deepEqual(notifier.sent(), [
      {
        kind: 'health_down',
        severity: 'critical',
        title: 'Health check DOWN: database unreachable',
        detail: 'GET /api/health answers 503. Runbook 8.2: check the database, then the connection string.',
        fields: { check: 'db', error: 'connection refused', version: '9.9.9' },
      },
    ]);

    await monitor.tick();
    assert.equal(notifier.sent().length, 1, 'a second down probe does not alert again');

    await monitor.tick();
    assert.deepEqual(
      notifier.sent().map((alert) => alert.kind),
      ['health_down', 'health_recovered'],
    );
    const recovered = notifier.sent()[1];
    assert.equal(recovered?.severity, 'info');
    assert.equal(recovered?.title, 'Health check recovered: database reachable again');
    assert.deepEqual(Object.keys(recovered?.fields ?? {}).sort(), ['downForSeconds', 'latencyMs']);
    assert.equal(recovered?.fields?.latencyMs, 3.5);
    assert.equal(typeof recovered?.fields?.downForSeconds, 'number');
    assert.ok((recovered?.fields?.downForSeconds as number) >= 0);
    assert.deepEqual(reports, ['ok', 'down', 'down', 'ok']);
  });

  it('alerts when the very first probe is already down', async () => {
    const notifier = new RecordingNotifier();
    const { probe } = scriptedProbe([down('timeout')]);
    const monitor = new HealthMonitor({ probe, notifier, intervalMs: 60_000 });
    await monitor.tick();
    assert.deepEqual(
      notifier.sent().map((alert) => [alert.kind, alert.fields?.error]),
      [['health_down', 'timeout']],
    );
  });

  it('does not announce a recovery when the first probe is ok', async () => {
    const notifier = new RecordingNotifier();
    const { probe } = scriptedProbe([ok(), ok(), ok()]);
    const monitor = new HealthMonitor({ probe, notifier, intervalMs: 60_000 });
    for (let i = 0; i < 3; i++) await monitor.tick();
    assert.deepEqual(notifier.sent(), []);
  });

  it('alerts on every outage of a flapping database, once each', async () => {
    const notifier = new RecordingNotifier();
    const { probe } = scriptedProbe([down(), ok(), down(), down(), ok(), ok()]);
    const monitor = new HealthMonitor({ probe, notifier, intervalMs: 60_000 });
    for (let i = 0; i < 6; i++) await monitor.tick();
    assert.deepEqual(
      notifier.sent().map((alert) => alert.kind),
      ['health_down', 'health_recovered', 'health_down', 'health_recovered'],
    );
  });
});

describe('HealthMonitor.start and stop', () => {
  it('probes on its interval and alerts without anyone calling tick', async () => {
    const notifier = new RecordingNotifier();
    const { probe, calls } = scriptedProbe([ok(), down(), ok()]);
    const monitor = new HealthMonitor({ probe, notifier, intervalMs: 10 });
    monitor.start();
    try {
      await waitUntil(async () => notifier.sent().length >= 2, 5000, 'the monitor to alert down and recovered');
    } finally {
      await monitor.stop();
    }
    assert.deepEqual(
      notifier.sent().map((alert) => alert.kind),
      ['health_down', 'health_recovered'],
    );
    assert.ok(calls() >= 3);
  });

  it('never runs two probes at once when a probe is slower than the interval', async () => {
    const notifier = new RecordingNotifier();
    let inFlight = 0;
    let maxInFlight = 0;
    let completed = 0;
    const probe = async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // A slow database: each probe takes several intervals.
      await new Promise((resolve) => setTimeout(resolve, 50));
      inFlight--;
      completed++;
      return ok();
    };
    const monitor = new HealthMonitor({ probe, notifier, intervalMs: 5 });
    monitor.start();
    monitor.start(); // a second start does not add a second timer
    try {
      await waitUntil(async () => completed >= 4, 10_000, 'four slow probes to complete');
    } finally {
      await monitor.stop();
    }
    assert.equal(maxInFlight, 1);
    assert.equal(inFlight, 0, 'stop waits for the running probe');
    assert.deepEqual(notifier.sent(), []);
  });

  it('waits in stop for the probe that is running', async () => {
    const notifier = new RecordingNotifier();
    let release: (() => void) | undefined;
    let started = 0;
    let finished = 0;
    const probe = async () => {
      started++;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      finished++;
      return down();
    };
    const monitor = new HealthMonitor({ probe, notifier, intervalMs: 5 });
    monitor.start();
    await waitUntil(async () => started === 1, 5000, 'the first probe to start');
    let stopped = false;
    const stopping = monitor.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stopped, false, 'stop resolved while a probe was still running');
    release?.();
    await stopping;
    assert.equal(finished, 1);
    assert.equal(started, 1);
    assert.deepEqual(
      notifier.sent().map((alert) => alert.kind),
      ['health_down'],
    );
  });

  it('keeps probing after a probe or an alert fails, without an unhandled rejection', async () => {
    const alerts: OpsAlert[] = [];
    let sends = 0;
    const notifier: OpsNotifier = {
      async send(alert) {
        sends++;
        if (sends === 1) throw new Error('webhook exploded');
        alerts.push(alert);
      },
    };
    let calls = 0;
    const probe = async () => {
      calls++;
      if (calls === 1) throw new Error('probe exploded');
      if (calls === 2) return down();
      if (calls === 3) return ok();
      if (calls === 4) return down();
      return ok();
    };
    const errors: string[] = [];
    const monitor = new HealthMonitor({ probe, notifier, intervalMs: 5, onError: (error) => errors.push((error as Error).message) });
    monitor.start();
    try {
      await waitUntil(async () => alerts.length >= 2, 5000, 'alerts after the failures');
    } finally {
      await monitor.stop();
    }
    // Probe 1 threw; probe 2's alert failed to send; probes 3, 4 and 5 alerted normally.
    assert.deepEqual(
      alerts.map((alert) => alert.kind),
      ['health_recovered', 'health_down', 'health_recovered'].slice(0, alerts.length),
    );
    assert.ok(calls >= 4);
    assert.deepEqual(errors, ['probe exploded', 'webhook exploded']);
  });
});

describe('HealthMonitor database latency (runbook §9: alert if > 100 ms)', () => {
  const silent = createLogger({ level: 'silent' });

  /** A real Slack notifier posting to a local receiver, and the kinds that arrived there. */
  async function slack() {
    const receiver = await startSlackReceiver();
    const notifier = new SlackWebhookNotifier({ url: receiver.url, environment: 'test', logger: silent });
    return { receiver, notifier, kinds: () => receiver.messages.map((message) => message.drop.kind) };
  }

  it('alerts once after 3 slow probes in a row and once when 3 in a row are back under 100 ms', async () => {
    const { receiver, notifier, kinds } = await slack();
    try {
      // One slow probe, then fast: noise, no alert. Then four slow, two fast (not yet), one slow, three fast.
      const latencies = [150, 20, 120, 130, 250, 140, 30, 40, 101, 20, 25, 30, 20];
      const { probe } = scriptedProbe(latencies.map((latency) => ok(latency)));
      const monitor = new HealthMonitor({ probe, notifier, intervalMs: 60_000 });
      const after: string[][] = [];
      for (let i = 0; i < latencies.length; i++) {
        await monitor.tick();
        after.push(kinds());
      }
      assert.deepEqual(after[3], [], 'one slow probe and two slow ones in a row do not alert');
      assert.deepEqual(after[4], ['db_latency_high'], 'the third slow probe in a row alerts');
      assert.deepEqual(after[10], ['db_latency_high'], 'two fast probes, a slow one and two fast do not announce recovery');
      assert.deepEqual(after[11], ['db_latency_high', 'db_latency_recovered'], 'the third fast probe in a row does');
      assert.deepEqual(after[12], ['db_latency_high', 'db_latency_recovered']);

      const high = receiver.messages[0];
      assert.equal(high?.drop.severity, 'warning');
      assert.ok(high?.text.includes('Database latency over 100 ms'), high?.text);
      assert.match(JSON.stringify(high?.blocks), /\*latencyMs\*\\n250/);
      const recovered = receiver.messages[1];
      assert.equal(recovered?.drop.severity, 'info');
      assert.ok(recovered?.text.includes('Database latency back under 100 ms'), recovered?.text);
      assert.match(JSON.stringify(recovered?.blocks), /\*peakMs\*\\n250/);
    } finally {
      await receiver.close();
    }
  });

  it('takes the threshold and the probe count as settings; exactly the threshold is not over it', async () => {
    const { receiver, notifier, kinds } = await slack();
    try {
      const { probe } = scriptedProbe([ok(40), ok(41), ok(50), ok(40)]);
      const monitor = new HealthMonitor({ probe, notifier, intervalMs: 60_000, latencyThresholdMs: 40, latencyProbes: 1 });
      await monitor.tick();
      assert.deepEqual(kinds(), []);
      await monitor.tick();
      assert.deepEqual(kinds(), ['db_latency_high']);
      await monitor.tick();
      assert.deepEqual(kinds(), ['db_latency_high'], 'still slow: no second alert');
      await monitor.tick();
      assert.deepEqual(kinds(), ['db_latency_high', 'db_latency_recovered']);
    } finally {
      await receiver.close();
    }
  });

  it('a down probe breaks a slow streak and is alerted as down, not as latency', async () => {
    const { receiver, notifier, kinds } = await slack();
    try {
      const { probe } = scriptedProbe([ok(500), ok(500), down(), ok(500), ok(500), ok(5)]);
      const monitor = new HealthMonitor({ probe, notifier, intervalMs: 60_000 });
      for (let i = 0; i < 6; i++) await monitor.tick();
      assert.deepEqual(kinds(), ['health_down', 'health_recovered']);
    } finally {
      await receiver.close();
    }
  });
});
