/**
 * SLA data for tests: health probes and request minutes written straight into the tables the
 * server's recorder fills (packages/core/src/ops/sla/sla-recorder.ts), so a test states a month
 * of history in a few lines.
 */
import { LATENCY_BUCKET_BOUNDS_MS, LATENCY_BUCKET_COUNT } from '@drop/contracts';
import type pg from 'pg';

/** The index of the histogram bucket whose upper bound is `ms`. */
export const latencyBucket = (ms: number): number => LATENCY_BUCKET_BOUNDS_MS.indexOf(ms as (typeof LATENCY_BUCKET_BOUNDS_MS)[number]);

/** A histogram (PostgreSQL array literal) with `counts` keyed by bucket bound in ms. */
export function latencyHistogram(counts: Record<number, number>): string {
  const values = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  for (const [ms, count] of Object.entries(counts)) values[latencyBucket(Number(ms))] = count;
  return `{${values.join(',')}}`;
}

/** One instance's probes every `seconds` in [from, to), replacing any at the same instants. */
export async function seedProbes(
  db: pg.Pool,
  instance: string,
  from: string,
  to: string,
  status: 'ok' | 'down',
  seconds = 30,
): Promise<void> {
  await db.query(
    `INSERT INTO availability_samples (sampled_at, instance_id, status, db_latency_ms, interval_ms, error)
     SELECT at, $1, $4, CASE WHEN $4 = 'ok' THEN 1.5 END, $5 * 1000, CASE WHEN $4 = 'down' THEN 'connection refused' END
       FROM generate_series($2::timestamptz, $3::timestamptz - make_interval(secs => $5), make_interval(secs => $5)) AS at
     ON CONFLICT (sampled_at, instance_id) DO UPDATE SET status = excluded.status, db_latency_ms = excluded.db_latency_ms, error = excluded.error`,
    [instance, from, to, status, seconds],
  );
}

/** One instance's request minutes in [from, to), each with these counts, replacing any. */
export async function seedRequestMinutes(
  db: pg.Pool,
  from: string,
  to: string,
  counts: { requests: number; e5: number; e4: number; histogram: string; instance?: string },
): Promise<void> {
  await db.query(
    `INSERT INTO request_stats (minute, instance_id, requests, errors_5xx, errors_4xx, latency_buckets)
     SELECT m, $7, $3, $4, $5, $6::int[] FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 minute', interval '1 minute') AS m
     ON CONFLICT (minute, instance_id) DO UPDATE SET requests = excluded.requests, errors_5xx = excluded.errors_5xx,
        errors_4xx = excluded.errors_4xx, latency_buckets = excluded.latency_buckets`,
    [from, to, counts.requests, counts.e5, counts.e4, counts.histogram, counts.instance ?? 'web-a'],
  );
}

/**
 * November 2026 as the core test, the CLI test and the console's browser test know it: web-a
 * probing every 30 s (web-b for a day), the database down 17 minutes on the 9th (150 of 200
 * requests a minute failing), 4 minutes nobody recorded on the 20th, half a minute down on the
 * 25th, a slow 22nd with three minutes of 40 errors, 200 requests a minute with p99 ≤ 100 ms.
 * Uptime 99.9502 %, 21.5 minutes down, p99 100 ms.
 */
export async function seedSlaNovember(pool: pg.Pool): Promise<void> {
  await seedProbes(pool, 'web-a', '2026-10-31T23:00:00Z', '2026-12-01T00:00:00Z', 'ok');
  await seedProbes(pool, 'web-b', '2026-11-15T00:00:00Z', '2026-11-16T00:00:00Z', 'ok');
  await seedProbes(pool, 'web-a', '2026-11-09T02:14:00Z', '2026-11-09T02:31:00Z', 'down');
  // The last probe before the gap (09:59:30) vouches until 10:00:30: 10:01–10:04 are unrecorded.
  await pool.query(`DELETE FROM availability_samples WHERE sampled_at >= '2026-11-20T10:00:00Z' AND sampled_at < '2026-11-20T10:05:00Z'`);
  await seedProbes(pool, 'web-a', '2026-11-25T12:00:30Z', '2026-11-25T12:01:00Z', 'down');

  const normal = latencyHistogram({ 25: 190, 100: 9, 750: 1 });
  const slow = latencyHistogram({ 25: 190, 100: 5, 1000: 5 });
  await seedRequestMinutes(pool, '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z', { requests: 200, e5: 0, e4: 2, histogram: normal });
  await pool.query(`DELETE FROM request_stats WHERE minute >= '2026-11-20T10:01:00Z' AND minute < '2026-11-20T10:05:00Z'`);
  await seedRequestMinutes(pool, '2026-11-09T02:14:00Z', '2026-11-09T02:31:00Z', { requests: 200, e5: 150, e4: 0, histogram: normal });
  await seedRequestMinutes(pool, '2026-11-22T00:00:00Z', '2026-11-23T00:00:00Z', { requests: 200, e5: 0, e4: 2, histogram: slow });
  await seedRequestMinutes(pool, '2026-11-22T15:00:00Z', '2026-11-22T15:03:00Z', { requests: 200, e5: 40, e4: 0, histogram: slow });
  // Below the spike rule: 3 errors in a minute.
  await seedRequestMinutes(pool, '2026-11-03T08:00:00Z', '2026-11-03T08:01:00Z', { requests: 200, e5: 3, e4: 0, histogram: normal });
}
