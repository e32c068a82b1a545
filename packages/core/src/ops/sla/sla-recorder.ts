import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { LATENCY_BUCKET_BOUNDS_MS, LATENCY_BUCKET_COUNT } from '@drop/contracts';
import type { DbClient } from '@drop/db';
import type { HealthReport } from '../../health/check-health.ts';

interface Sample {
  at: Date;
  status: 'ok' | 'down';
  latencyMs: number | null;
  intervalMs: number;
  error: string | null;
}

interface MinuteBucket {
  minute: number;
  requests: number;
  errors5xx: number;
  errors4xx: number;
  histogram: number[];
  /** Bumped by every request; a flush clears `dirty` only if no request came while it ran. */
  version: number;
  flushedVersion: number;
}

/** A process's own instance id: host, pid and a random part, so a restarted server never writes over another's rows. */
export function newInstanceId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** The histogram bucket of a request that took `ms`: the first bound it does not exceed, else the last (slower) bucket. */
export function latencyBucketOf(ms: number): number {
  for (let index = 0; index < LATENCY_BUCKET_BOUNDS_MS.length; index++) {
    if (ms <= (LATENCY_BUCKET_BOUNDS_MS[index] as number)) return index;
  }
  return LATENCY_BUCKET_BOUNDS_MS.length;
}

/**
 * Records what the SLA report reads, off the request path: every health probe and, per minute,
 * the API's requests, 4xx, 5xx and a latency histogram, all in memory. `flush()` (every
 * `flushIntervalMs` once started, and at stop) writes them in one statement: the probes inserted
 * (a probe written twice is one row), each minute's running totals upserted (a minute written
 * again is overwritten with its whole count, so a flush whose answer was lost and that runs again
 * does not count twice).
 *
 * When the database is down the flush fails and everything stays buffered: the failed probes of
 * the outage are exactly what the report needs, so they are written when the database is back.
 * The buffer is bounded (`maxSamples`, `maxMinutes`, oldest dropped first, counted in
 * `droppedSamples`); a server that dies meanwhile loses its buffer, and the report's gap rule
 * counts the minutes nobody recorded as down.
 */
export class SlaRecorder {
  readonly instanceId: string;
  private samples: Sample[] = [];
  private readonly minutes = new Map<number, MinuteBucket>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly db: DbClient;
  private readonly flushIntervalMs: number;
  private readonly maxSamples: number;
  private readonly maxMinutes: number;
  private readonly now: () => number;
  private readonly onError: ((error: unknown) => void) | undefined;
  /** Probes dropped because the buffer was full (a long outage): their time becomes a gap in the report. */
  droppedSamples = 0;
  /** Consecutive failed flushes (0 after a success). */
  failedFlushes = 0;

  constructor(options: {
    db: DbClient;
    flushIntervalMs: number;
    instanceId?: string;
    /** Defaults: a day of probes at one a second, a week of minutes. */
    maxSamples?: number;
    maxMinutes?: number;
    now?: () => number;
    /** A flush failed (the database is down?): logged by the caller; counting goes on. */
    onError?: (error: unknown) => void;
  }) {
    this.db = options.db;
    this.flushIntervalMs = options.flushIntervalMs;
    this.instanceId = options.instanceId ?? newInstanceId();
    this.maxSamples = options.maxSamples ?? 86_400;
    this.maxMinutes = options.maxMinutes ?? 7 * 24 * 60;
    this.now = options.now ?? Date.now;
    this.onError = options.onError;
  }

  /** One health probe, as the HealthMonitor reports it. */
  recordProbe(report: HealthReport, intervalMs: number): void {
    const db = report.checks.db;
    this.samples.push({
      at: new Date(this.now()),
      status: report.status === 'ok' ? 'ok' : 'down',
      latencyMs: report.status === 'ok' ? (db.latencyMs ?? 0) : null,
      intervalMs,
      error: report.status === 'ok' ? null : (db.error ?? 'unknown'),
    });
    if (this.samples.length > this.maxSamples) {
      const excess = this.samples.length - this.maxSamples;
      this.samples.splice(0, excess);
      this.droppedSamples += excess;
    }
  }

  /** One answered request: its status and how long it took. A few map operations, no I/O. */
  recordRequest(statusCode: number, durationMs: number): void {
    const minute = Math.floor(this.now() / 60_000) * 60_000;
    let bucket = this.minutes.get(minute);
    if (!bucket) {
      bucket = {
        minute,
        requests: 0,
        errors5xx: 0,
        errors4xx: 0,
        histogram: new Array<number>(LATENCY_BUCKET_COUNT).fill(0),
        version: 0,
        flushedVersion: 0,
      };
      this.minutes.set(minute, bucket);
      if (this.minutes.size > this.maxMinutes) {
        const oldest = Math.min(...this.minutes.keys());
        this.minutes.delete(oldest);
      }
    }
    bucket.requests++;
    if (statusCode >= 500) bucket.errors5xx++;
    else if (statusCode >= 400) bucket.errors4xx++;
    const index = latencyBucketOf(durationMs);
    bucket.histogram[index] = (bucket.histogram[index] ?? 0) + 1;
    bucket.version++;
  }

  /** What is still to be written (for tests and the logs). */
  pending(): { samples: number; minutes: number } {
    let minutes = 0;
    for (const bucket of this.minutes.values()) if (bucket.version !== bucket.flushedVersion) minutes++;
    return { samples: this.samples.length, minutes };
  }

  /**
   * Writes the buffered probes and the changed minutes in one statement. Never two at once; a
   * failure keeps everything for the next flush and is passed to `onError`, never thrown, so a
   * timer or the request path cannot be broken by it.
   */
  flush(): Promise<void> {
    this.flushing ??= this.write()
      .then(
        () => {
          this.failedFlushes = 0;
        },
        (error: unknown) => {
          this.failedFlushes++;
          this.onError?.(error);
        },
      )
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.flushIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes what is left (once; a database that is down then loses it, and the gap shows). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flushing;
    await this.flush();
  }

  private async write(): Promise<void> {
    const samples = this.samples.slice();
    const minutes = [...this.minutes.values()].filter((bucket) => bucket.version !== bucket.flushedVersion);
    if (samples.length === 0 && minutes.length === 0) return;
    const versions = minutes.map((bucket) => bucket.version);
    await this.db.query(
      `WITH probes AS (
         INSERT INTO availability_samples (sampled_at, instance_id, status, db_latency_ms, interval_ms, error)
         SELECT at, $1, status, latency, interval_ms, error
           FROM unnest($2::timestamptz[], $3::text[], $4::real[], $5::int[], $6::text[]) AS s(at, status, latency, interval_ms, error)
         ON CONFLICT DO NOTHING
       )
       INSERT INTO request_stats (minute, instance_id, requests, errors_5xx, errors_4xx, latency_buckets)
       SELECT minute, $1, requests, e5, e4, buckets::int[]
         FROM unnest($7::timestamptz[], $8::int[], $9::int[], $10::int[], $11::text[]) AS m(minute, requests, e5, e4, buckets)
       ON CONFLICT (minute, instance_id) DO UPDATE
         SET requests = excluded.requests, errors_5xx = excluded.errors_5xx, errors_4xx = excluded.errors_4xx,
             latency_buckets = excluded.latency_buckets`,
      [
        this.instanceId,
        samples.map((sample) => sample.at.toISOString()),
        samples.map((sample) => sample.status),
        samples.map((sample) => sample.latencyMs),
        samples.map((sample) => sample.intervalMs),
        samples.map((sample) => sample.error),
        minutes.map((bucket) => new Date(bucket.minute).toISOString()),
        minutes.map((bucket) => bucket.requests),
        minutes.map((bucket) => bucket.errors5xx),
        minutes.map((bucket) => bucket.errors4xx),
        minutes.map((bucket) => `{${bucket.histogram.join(',')}}`),
      ],
    );
    // Written: forget those probes (new ones may have come meanwhile) and the minutes that are over.
    this.samples.splice(0, samples.length);
    const currentMinute = Math.floor(this.now() / 60_000) * 60_000;
    minutes.forEach((bucket, index) => {
      bucket.flushedVersion = versions[index] as number;
      if (bucket.minute < currentMinute && bucket.version === bucket.flushedVersion) this.minutes.delete(bucket.minute);
    });
  }
}
