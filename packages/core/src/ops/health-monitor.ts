import type { OpsNotifier } from '@drop/observability';
import type { HealthReport } from '../health/check-health.ts';

/** Runbook §9: "Alert if > 100ms" on `.data.checks.db.latencyMs`. */
export const DEFAULT_DB_LATENCY_ALERT_MS = 100;
/** How many probes in a row must be over (or back under) the threshold before an alert. */
export const DEFAULT_DB_LATENCY_ALERT_PROBES = 3;

/**
 * Probes health on an interval and alerts on each change: "down" once when the database becomes
 * unreachable, "recovered" once when it is back (with how long it was down). A first probe that
 * is already down also alerts.
 *
 * Database latency (runbook §9, alert over 100 ms): "slow" once when `latencyProbes` probes in a
 * row answer over `latencyThresholdMs`, "latency recovered" once when as many in a row are back at
 * or under it. One slow probe (a checkpoint, a vacuum, a GC pause) is noise, not an incident; with
 * the default 3 probes at the 5 s interval a slowdown is reported after about 15 s, and the same
 * count on the way back keeps a database hovering around the threshold from alerting on every
 * probe. A down probe has no latency: it is the "down" alert's business and breaks either streak.
 */
export class HealthMonitor {
  private timer: NodeJS.Timeout | undefined;
  private lastStatus: HealthReport['status'] | undefined;
  private downSince: number | undefined;
  private running: Promise<void> | undefined;
  private readonly probe: () => Promise<HealthReport>;
  private readonly notifier: OpsNotifier;
  private readonly intervalMs: number;
  private readonly onReport: ((report: HealthReport) => void) | undefined;
  private readonly onError: ((error: unknown) => void) | undefined;
  private readonly latencyThresholdMs: number;
  private readonly latencyProbes: number;
  private latencyHigh = false;
  /** Probes in a row on the other side of the threshold from the current latency state. */
  private latencyStreak = 0;
  private latencyHighSince: number | undefined;
  private latencyPeakMs = 0;

  constructor(options: {
    probe: () => Promise<HealthReport>;
    notifier: OpsNotifier;
    intervalMs: number;
    onReport?: (report: HealthReport) => void;
    /** Called when a scheduled probe or its alert throws; the monitor keeps running. */
    onError?: (error: unknown) => void;
    /** Alert when the database round trip is over this (ms). Default 100 (runbook §9). */
    latencyThresholdMs?: number;
    /** Consecutive probes over (or back under) the threshold before alerting. Default 3. */
    latencyProbes?: number;
  }) {
    this.latencyThresholdMs = options.latencyThresholdMs ?? DEFAULT_DB_LATENCY_ALERT_MS;
    this.latencyProbes = Math.max(1, options.latencyProbes ?? DEFAULT_DB_LATENCY_ALERT_PROBES);
    this.probe = options.probe;
    this.notifier = options.notifier;
    this.intervalMs = options.intervalMs;
    this.onReport = options.onReport;
    this.onError = options.onError;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      // Never overlap probes: a slow database should not pile them up.
      // A failing probe or notifier must not become an unhandled rejection that ends the process.
      this.running ??= this.tick()
        .then(
          () => undefined,
          (error: unknown) => this.onError?.(error),
        )
        .finally(() => {
          this.running = undefined;
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One probe and, on a change of status, one alert. Public so tests can step it. */
  async tick(): Promise<HealthReport> {
    const report = await this.probe();
    this.onReport?.(report);
    const previous = this.lastStatus;
    this.lastStatus = report.status;
    if (report.status === 'down' && previous !== 'down') {
      this.downSince = Date.now();
      await this.notifier.send({
        kind: 'health_down',
        severity: 'critical',
        title: 'Health check DOWN: database unreachable',
        detail: 'GET /api/health answers 503. Runbook 8.2: check the database, then the connection string.',
        fields: { check: 'db', error: report.checks.db.error ?? 'unknown', version: report.version },
      });
    } else if (report.status === 'ok' && previous === 'down') {
      const downForSeconds = this.downSince ? Math.round((Date.now() - this.downSince) / 1000) : 0;
      this.downSince = undefined;
      await this.notifier.send({
        kind: 'health_recovered',
        severity: 'info',
        title: 'Health check recovered: database reachable again',
        fields: { downForSeconds, latencyMs: report.checks.db.latencyMs ?? 0 },
      });
    }
    await this.checkLatency(report);
    return report;
  }

  private async checkLatency(report: HealthReport): Promise<void> {
    const latencyMs = report.checks.db.latencyMs;
    if (report.checks.db.status !== 'ok' || latencyMs === null) {
      this.latencyStreak = 0;
      return;
    }
    const over = latencyMs > this.latencyThresholdMs;
    // Count only probes that disagree with the current state; one that agrees breaks the streak.
    this.latencyStreak = over !== this.latencyHigh ? this.latencyStreak + 1 : 0;
    if (this.latencyHigh) this.latencyPeakMs = Math.max(this.latencyPeakMs, latencyMs);
    if (this.latencyStreak < this.latencyProbes) return;
    this.latencyStreak = 0;
    this.latencyHigh = over;
    if (over) {
      this.latencyHighSince = Date.now();
      this.latencyPeakMs = latencyMs;
      await this.notifier.send({
        kind: 'db_latency_high',
        severity: 'warning',
        title: `Database latency over ${this.latencyThresholdMs} ms`,
        detail: `${this.latencyProbes} health probes in a row answered slower than ${this.latencyThresholdMs} ms (runbook §9: .data.checks.db.latencyMs).`,
        fields: { latencyMs, thresholdMs: this.latencyThresholdMs, probes: this.latencyProbes, version: report.version },
      });
    } else {
      const slowForSeconds = this.latencyHighSince ? Math.round((Date.now() - this.latencyHighSince) / 1000) : 0;
      this.latencyHighSince = undefined;
      await this.notifier.send({
        kind: 'db_latency_recovered',
        severity: 'info',
        title: `Database latency back under ${this.latencyThresholdMs} ms`,
        fields: { latencyMs, peakMs: this.latencyPeakMs, slowForSeconds, thresholdMs: this.latencyThresholdMs },
      });
    }
  }
}
