import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorRateMonitor } from './error-rate-monitor.ts';
import { RecordingNotifier } from './test-support.ts';

/** A monitor on a clock the test moves: 60 s window, 5 % threshold, at least 10 errors. */
function setup() {
  const notifier = new RecordingNotifier();
  const clock = { ms: Date.UTC(2026, 10, 22, 12, 0, 0) };
  const monitor = new ErrorRateMonitor({ notifier, windowSeconds: 60, threshold: 0.05, minCount: 10, now: () => clock.ms });
  /** Records `times` responses; returns the indexes of those that raised an alert (after it was sent). */
  const record = async (statusCode: number, times = 1): Promise<number[]> => {
    const tipped: number[] = [];
    for (let i = 0; i < times; i++) {
      const alert = monitor.record(statusCode);
      if (alert !== undefined) {
        tipped.push(i);
        await alert;
      }
    }
    return tipped;
  };
  const advanceSeconds = (seconds: number) => {
    clock.ms += seconds * 1000;
  };
  return { notifier, monitor, record, advanceSeconds };
}

describe('ErrorRateMonitor', () => {
  it('stays quiet while server errors are below the minimum count, even at a 100 % error rate', async () => {
    const { notifier, record } = setup();
    assert.deepEqual(await record(500, 9), []);
    assert.deepEqual(notifier.sent(), []);
  });

  it('alerts once when the minimum count is reached at a rate over the threshold', async () => {
    const { notifier, record } = setup();
    assert.deepEqual(await record(200, 10), []);
    assert.deepEqual(await record(503, 10), [9], 'the 10th error raises the alert');
    assert.deepEqual(notifier.sent(), [
      {
        kind: 'error_spike',
        severity: 'warning',
        title: 'Error spike: 10 server errors in the last 60s',
        detail: 'Runbook 8.1: check the logs for the error pattern; escalate after 10 minutes.',
        fields: { errors: 10, requests: 20, errorRate: '50.0%', windowSeconds: 60 },
      },
    ]);
  });

  it('does not count client errors as server errors', async () => {
    const { notifier, record } = setup();
    assert.deepEqual(await record(404, 20), []);
    assert.deepEqual(await record(429, 20), []);
    assert.deepEqual(await record(499, 20), []);
    assert.deepEqual(notifier.sent(), []);
  });

  it('sends one alert for a long incident within the same window (quiet period)', async () => {
    const { notifier, record, advanceSeconds } = setup();
    assert.deepEqual(await record(500, 10), [9]);
    for (let second = 0; second < 50; second++) {
      advanceSeconds(1);
      assert.deepEqual(await record(500, 20), []);
    }
    assert.equal(notifier.sent().length, 1);
  });

  it('alerts again for a spike after the window has passed', async () => {
    const { notifier, record, advanceSeconds } = setup();
    assert.deepEqual(await record(500, 10), [9]);
    advanceSeconds(61);
    assert.deepEqual(await record(500, 12), [9]);
    assert.deepEqual(
      notifier.sent().map((alert) => [alert.kind, alert.fields?.errors, alert.fields?.requests]),
      [
        ['error_spike', 10, 10],
        ['error_spike', 10, 10],
      ],
    );
  });

  it('alerts again at the end of the quiet period when the incident goes on', async () => {
    const { notifier, record, advanceSeconds } = setup();
    assert.deepEqual(await record(500, 10), [9]);
    advanceSeconds(59);
    assert.deepEqual(await record(500, 10), []);
    advanceSeconds(1);
    assert.deepEqual(await record(500), [0]);
    assert.deepEqual(
      notifier.sent().map((alert) => alert.fields?.errors),
      [10, 11],
    );
  });

  it('does not alert when many errors are a small share of a lot of traffic', async () => {
    const { notifier, record } = setup();
    await record(200, 1000);
    assert.deepEqual(await record(500, 40), []); // 40 / 1040 = 3.8 %, under 5 %
    assert.deepEqual(notifier.sent(), []);
  });

  it('alerts when the share of errors reaches the threshold exactly', async () => {
    const { notifier, record } = setup();
    await record(200, 190);
    assert.deepEqual(await record(500, 10), [9]); // 10 / 200 = 5 %
    assert.deepEqual(
      notifier.sent().map((alert) => alert.fields),
      [{ errors: 10, requests: 200, errorRate: '5.0%', windowSeconds: 60 }],
    );
  });

  it('drops buckets older than the window, so old errors no longer count', async () => {
    const { notifier, record, advanceSeconds } = setup();
    await record(500, 9);
    advanceSeconds(60); // the first bucket is now exactly one window old
    assert.deepEqual(await record(500), []);
    assert.deepEqual(notifier.sent(), []);
    assert.deepEqual(await record(500, 9), [8]);
    assert.deepEqual(
      notifier.sent().map((alert) => alert.fields),
      [{ errors: 10, requests: 10, errorRate: '100.0%', windowSeconds: 60 }],
    );
  });

  it('drops old successful requests too, so a later spike is measured against recent traffic only', async () => {
    const { notifier, record, advanceSeconds } = setup();
    await record(200, 10_000);
    advanceSeconds(120);
    assert.deepEqual(await record(500, 10), [9]);
    assert.deepEqual(
      notifier.sent().map((alert) => alert.fields),
      [{ errors: 10, requests: 10, errorRate: '100.0%', windowSeconds: 60 }],
    );
  });

  it('counts errors spread across seconds inside the window together', async () => {
    const { notifier, record, advanceSeconds } = setup();
    for (let i = 0; i < 9; i++) {
      assert.deepEqual(await record(502), []);
      advanceSeconds(5);
    }
    assert.deepEqual(await record(502), [0]);
    assert.deepEqual(
      notifier.sent().map((alert) => alert.fields),
      [{ errors: 10, requests: 10, errorRate: '100.0%', windowSeconds: 60 }],
    );
  });

  it('keeps no more than one window of buckets on a server that never errs', async () => {
    const { monitor, record, advanceSeconds } = setup();
    for (let second = 0; second < 3600; second++) {
      await record(200, 3);
      advanceSeconds(1);
    }
    const buckets = (monitor as unknown as { buckets: Map<number, { total: number; errors: number }> }).buckets;
    assert.ok(buckets.size <= 60, `kept ${buckets.size} buckets`);
    assert.equal(
      [...buckets.values()].reduce((sum, bucket) => sum + bucket.total, 0),
      buckets.size * 3,
    );
  });
});
