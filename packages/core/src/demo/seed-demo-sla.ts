import { LATENCY_BUCKET_BOUNDS_MS, LATENCY_BUCKET_COUNT } from '@drop/contracts';
import type { DbClient } from '@drop/db';

const MINUTE = 60_000;

/** A small deterministic generator (mulberry32), so every demo database shows the same month. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Share of a minute's requests per latency bucket bound (ms) on an ordinary day: p99 around 75–100 ms. */
const USUAL_LATENCY: Record<number, number> = {
  3: 0.12,
  5: 0.18,
  7.5: 0.16,
  10: 0.14,
  15: 0.14,
  20: 0.09,
  25: 0.06,
  30: 0.03,
  40: 0.03,
  50: 0.02,
  75: 0.015,
  100: 0.006,
  150: 0.003,
  250: 0.001,
};
/** A slow day: a tail past 250 ms (p99 ≤ 400 ms), as when a bank file import ran hot. */
const SLOW_LATENCY: Record<number, number> = { ...USUAL_LATENCY, 50: 0.01, 150: 0.01, 250: 0.004, 400: 0.012 };

interface DemoIncident {
  /** Minutes after the month's start. */
  at: number;
  minutes: number;
  kind: 'down' | 'gap' | 'errors';
  error?: string;
}

/**
 * The SLA history behind the console's SLA page and `drop sla report` in a demo database: the
 * previous month whole and this month until `now`, as two servers would have recorded it (probes
 * every minute each, requests per minute following the day in Oslo), with a 12-minute database outage,
 * a 3-minute deployment nobody recorded, an error spike and a slow day last month, and a short
 * blip this month. Realistic, deterministic, and only in the demo.
 */
export async function seedDemoSlaHistory(tx: DbClient, now: Date): Promise<void> {
  const thisMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const lastMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1);
  const until = Math.floor(now.getTime() / MINUTE) * MINUTE;
  const day = 24 * 60;
  const incidents: Array<DemoIncident & { month: number }> = [
    { month: lastMonth, at: 8 * day + 2 * 60 + 14, minutes: 12, kind: 'down', error: 'connection refused' },
    { month: lastMonth, at: 16 * day + 14 * 60 + 2, minutes: 3, kind: 'gap' },
    { month: lastMonth, at: 22 * day + 11 * 60 + 40, minutes: 4, kind: 'errors' },
    { month: thisMonth, at: 1 * day + 7 * 60 + 31, minutes: 2, kind: 'down', error: 'timeout' },
  ];
  const slowDay = { from: lastMonth + 11 * day * MINUTE, to: lastMonth + 12 * day * MINUTE };
  const span = (incident: (typeof incidents)[number]) => {
    const from = incident.month + incident.at * MINUTE;
    return { from, to: from + incident.minutes * MINUTE };
  };

  // Probes: web-1 all along, web-2 from the 5th of last month; then the outages and the gap.
  await tx.query(
    `INSERT INTO availability_samples (sampled_at, instance_id, status, db_latency_ms, interval_ms)
     SELECT at, instance, 'ok', round((0.6 + random() * 1.8)::numeric, 2), 60000
       FROM (VALUES ('demo-web-1', $1::timestamptz), ('demo-web-2', $1::timestamptz + interval '4 days 30 seconds')) AS i(instance, since),
            generate_series(since, $2::timestamptz, interval '1 minute') AS at
     ON CONFLICT DO NOTHING`,
    [new Date(lastMonth), new Date(until - MINUTE)],
  );
  for (const incident of incidents) {
    const { from, to } = span(incident);
    if (from >= until) continue;
    if (incident.kind === 'down') {
      await tx.query(
        `UPDATE availability_samples SET status = 'down', db_latency_ms = NULL, error = $3
          WHERE sampled_at >= $1 AND sampled_at < $2`,
        [new Date(from), new Date(to), incident.error ?? 'unreachable'],
      );
    } else if (incident.kind === 'gap') {
      // A deployment: both old servers stopped before the new ones recorded (the last probe vouches for two intervals).
      await tx.query('DELETE FROM availability_samples WHERE sampled_at >= $1 AND sampled_at < $2', [
        new Date(from - 2 * MINUTE),
        new Date(to),
      ]);
    }
  }

  // Request minutes, per instance: busier in the Oslo day, a few 4xx, a 5xx now and then.
  const next = random(20261101);
  const rows: Array<[string, string, number, number, number, string]> = [];
  for (let minute = lastMonth; minute < until; minute += MINUTE) {
    const hour = (new Date(minute).getUTCHours() + 1) % 24;
    const daytime = Math.max(0, Math.sin(((hour - 6) / 18) * Math.PI));
    const incident = incidents.find((each) => {
      const { from, to } = span(each);
      return minute >= from && minute < to;
    });
    if (incident?.kind === 'gap') continue;
    // One row a minute, the two servers taking turns (a demo need not hold twice the rows).
    const instance = minute >= lastMonth + 4 * day * MINUTE && (minute / MINUTE) % 2 === 1 ? 'demo-web-2' : 'demo-web-1';
    {
      const requests = Math.round(40 + 180 * daytime + next() * 50);
      let errors5xx = next() < 0.02 ? 1 : 0;
      if (incident?.kind === 'down') errors5xx = Math.round(requests * 0.85);
      if (incident?.kind === 'errors') errors5xx = Math.round(requests * 0.3);
      const errors4xx = Math.min(requests - errors5xx, Math.round(requests * 0.015 + next()));
      const shares = minute >= slowDay.from && minute < slowDay.to ? SLOW_LATENCY : USUAL_LATENCY;
      const histogram = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
      let left = requests;
      for (const [bound, share] of Object.entries(shares)) {
        const index = LATENCY_BUCKET_BOUNDS_MS.indexOf(Number(bound) as (typeof LATENCY_BUCKET_BOUNDS_MS)[number]);
        const n = Math.min(left, Math.round(requests * share * (0.8 + next() * 0.4)));
        histogram[index] = (histogram[index] ?? 0) + n;
        left -= n;
      }
      // What is left is the ordinary bulk (≤ 10 ms).
      histogram[LATENCY_BUCKET_BOUNDS_MS.indexOf(10)] = (histogram[LATENCY_BUCKET_BOUNDS_MS.indexOf(10)] ?? 0) + left;
      rows.push([new Date(minute).toISOString(), instance, requests, errors5xx, errors4xx, `{${histogram.join(',')}}`]);
    }
  }
  for (let start = 0; start < rows.length; start += 10_000) {
    const chunk = rows.slice(start, start + 10_000);
    await tx.query(
      `INSERT INTO request_stats (minute, instance_id, requests, errors_5xx, errors_4xx, latency_buckets)
       SELECT minute, instance, requests, e5, e4, buckets::int[]
         FROM unnest($1::timestamptz[], $2::text[], $3::int[], $4::int[], $5::int[], $6::text[]) AS r(minute, instance, requests, e5, e4, buckets)
       ON CONFLICT DO NOTHING`,
      [
        chunk.map((row) => row[0]),
        chunk.map((row) => row[1]),
        chunk.map((row) => row[2]),
        chunk.map((row) => row[3]),
        chunk.map((row) => row[4]),
        chunk.map((row) => row[5]),
      ],
    );
  }
}
