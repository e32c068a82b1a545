import type { OpsNotifier } from '@drop/observability';

/**
 * Counts responses in one-second buckets over a sliding window and raises one "error spike" alert
 * when server errors in the window reach both a minimum count and a share of all requests. After
 * an alert it stays quiet for one window, so a long incident sends one message, not hundreds.
 */
export class ErrorRateMonitor {
  private readonly buckets = new Map<number, { total: number; errors: number }>();
  private quietUntil = 0;
  private readonly notifier: OpsNotifier;
  private readonly windowSeconds: number;
  private readonly threshold: number;
  private readonly minCount: number;
  private readonly now: () => number;

  constructor(options: { notifier: OpsNotifier; windowSeconds: number; threshold: number; minCount: number; now?: () => number }) {
    this.notifier = options.notifier;
    this.windowSeconds = options.windowSeconds;
    this.threshold = options.threshold;
    this.minCount = options.minCount;
    this.now = options.now ?? Date.now;
  }

  /** Record one response. Returns the alert's promise when this response tipped the window over. */
  record(statusCode: number): Promise<void> | undefined {
    const second = Math.floor(this.now() / 1000);
    let bucket = this.buckets.get(second);
    if (!bucket) {
      // A new second: drop the buckets that left the window, so a server that never errs does
      // not collect one bucket per second for ever.
      for (const start of this.buckets.keys()) {
        if (start <= second - this.windowSeconds) this.buckets.delete(start);
      }
      bucket = { total: 0, errors: 0 };
      this.buckets.set(second, bucket);
    }
    bucket.total++;
    if (statusCode >= 500) bucket.errors++;
    if (statusCode < 500) return undefined;

    let total = 0;
    let errors = 0;
    for (const [start, counts] of this.buckets) {
      if (start <= second - this.windowSeconds) continue;
      total += counts.total;
      errors += counts.errors;
    }
    if (second < this.quietUntil || errors < this.minCount || errors / total < this.threshold) return undefined;
    this.quietUntil = second + this.windowSeconds;
    return this.notifier.send({
      kind: 'error_spike',
      severity: 'warning',
      title: `Error spike: ${errors} server errors in the last ${this.windowSeconds}s`,
      detail: 'Runbook 8.1: check the logs for the error pattern; escalate after 10 minutes.',
      fields: { errors, requests: total, errorRate: `${((errors / total) * 100).toFixed(1)}%`, windowSeconds: this.windowSeconds },
    });
  }
}
