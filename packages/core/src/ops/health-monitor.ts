import type { OpsNotifier } from '@drop/observability';
import type { HealthReport } from '../health/check-health.ts';

/**
 * Probes health on an interval and alerts on each change: "down" once when the database becomes
 * unreachable, "recovered" once when it is back (with how long it was down). A first probe that
 * is already down also alerts.
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

  constructor(options: {
    probe: () => Promise<HealthReport>;
    notifier: OpsNotifier;
    intervalMs: number;
    onReport?: (report: HealthReport) => void;
    /** Called when a scheduled probe or its alert throws; the monitor keeps running. */
    onError?: (error: unknown) => void;
  }) {
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
    return report;
  }
}
