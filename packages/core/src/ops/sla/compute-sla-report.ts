import {
  LATENCY_BUCKET_BOUNDS_MS,
  LATENCY_BUCKET_COUNT,
  SLO_TARGETS,
  type SlaDay,
  type SlaIncident,
  type SlaIncidentKind,
  type SlaReport,
  slaMonth,
} from '@drop/contracts';
import type { DbClient } from '@drop/db';
import { DomainError } from '../../errors.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** The newest minutes may not be written yet (servers flush every few seconds): not judged until this old. */
const UNSETTLED_MS = 2 * MINUTE;

/** When minutes of server errors make an incident: the error-rate monitor's own settings (ALERT_ERROR_*). */
export interface ErrorSpikeRule {
  /** Share of a minute's requests that are 5xx, 0–1. */
  threshold: number;
  /** And at least this many 5xx in the minute. */
  minCount: number;
}

/** The 99th percentile of a histogram with LATENCY_BUCKET_BOUNDS_MS: the upper bound of its bucket (the last bound when slower). */
export function p99OfHistogram(histogram: readonly number[]): number | null {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.ceil(total * 0.99);
  let seen = 0;
  for (let index = 0; index < histogram.length; index++) {
    seen += histogram[index] ?? 0;
    if (seen >= rank) return LATENCY_BUCKET_BOUNDS_MS[Math.min(index, LATENCY_BUCKET_BOUNDS_MS.length - 1)] as number;
  }
  return LATENCY_BUCKET_BOUNDS_MS.at(-1) as number;
}

/** The first instant of `month` (YYYY-MM) and of the month after, UTC. Refuses anything else with VALIDATION_FAILED. */
export function monthBounds(month: string): { start: Date; end: Date } {
  const parsed = slaMonth.safeParse(month);
  if (!parsed.success) throw new DomainError('VALIDATION_FAILED', `"${month}" is not a month: use YYYY-MM, e.g. 2026-11`);
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return { start: new Date(Date.UTC(year, monthNumber - 1, 1)), end: new Date(Date.UTC(year, monthNumber, 1)) };
}

interface MinuteProbes {
  ok: number;
  down: number;
  intervalMs: number;
  lastAt: number;
  instances: string[];
  lastError: string | null;
}

interface MinuteState {
  minute: number;
  /** 0–1: the share of the minute counted as down. */
  down: number;
  cause: 'database_down' | 'no_samples' | null;
  failedProbes: number;
  lastError: string | null;
  instances: string[];
}

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * The SLA of one calendar month (UTC), from what the servers recorded (sla-recorder.ts):
 * - Uptime: the observed minutes less the downtime, over the observed minutes. A minute's
 *   downtime is the share of its probes (every instance's) that failed; a minute without any
 *   probe is down unless the last probe still vouches for it (within two of its intervals): the
 *   gap rule, since no probe means no server was running or none could record. Observed: from
 *   the month's start (or the first probe ever, if later) to its end or two minutes ago.
 * - Error rate: 5xx over all API requests (request_stats). p99: from the histogram summed over
 *   every instance and minute ("p99 ≤ bound").
 * - Incidents: each run of minutes with downtime (by cause: failed probes, or no probes), and
 *   each run of minutes whose 5xx pass the error-rate monitor's rule, with the share of the
 *   month's downtime or error budget it cost, and the instances whose probes failed or that
 *   answered the errors. The error-rate monitor's Slack alerts are not
 *   stored anywhere, so the spikes are found again from the same counts by the same rule.
 */
export async function computeSlaReport(
  db: DbClient,
  input: { month: string; now?: Date; errorSpike?: ErrorSpikeRule },
): Promise<SlaReport> {
  const { start, end } = monthBounds(input.month);
  const now = (input.now ?? new Date()).getTime();
  const spikeRule = input.errorSpike ?? { threshold: 0.05, minCount: 10 };
  const monthStart = start.getTime();
  const monthEnd = end.getTime();

  const prior = (
    await db.query<{ at: Date; interval_ms: number; status: string }>(
      `SELECT sampled_at AS at, interval_ms, status FROM availability_samples
        WHERE sampled_at < $1 ORDER BY sampled_at DESC LIMIT 1`,
      [start],
    )
  ).rows[0];
  // Per minute, every instance's probes counted (hash-aggregated: no per-minute sorting over a
  // month of probes); the failed ones' details from the partial index on them, which is small.
  const probeRows = (
    await db.query<{ minute: Date; ok: number; down: number; interval_ms: number; last_at: Date }>(
      `SELECT date_bin('1 minute', sampled_at, timestamptz '2000-01-01 00:00:00+00') AS minute,
              count(*) FILTER (WHERE status = 'ok')::int AS ok, count(*) FILTER (WHERE status = 'down')::int AS down,
              max(interval_ms)::int AS interval_ms, max(sampled_at) AS last_at
         FROM availability_samples WHERE sampled_at >= $1 AND sampled_at < $2
        GROUP BY 1 ORDER BY 1`,
      [start, end],
    )
  ).rows;
  const failedRows = (
    await db.query<{ minute: Date; instances: string[]; last_error: string | null }>(
      `SELECT date_bin('1 minute', sampled_at, timestamptz '2000-01-01 00:00:00+00') AS minute,
              array_agg(DISTINCT instance_id) AS instances, (array_agg(error ORDER BY sampled_at DESC))[1] AS last_error
         FROM availability_samples WHERE status = 'down' AND sampled_at >= $1 AND sampled_at < $2
        GROUP BY 1`,
      [start, end],
    )
  ).rows;
  const failed = new Map(failedRows.map((row) => [row.minute.getTime(), row]));
  const requestRows = (
    await db.query<{ minute: Date; requests: number; errors_5xx: number; errors_4xx: number }>(
      `SELECT minute, sum(requests)::int AS requests, sum(errors_5xx)::int AS errors_5xx, sum(errors_4xx)::int AS errors_4xx
         FROM request_stats WHERE minute >= $1 AND minute < $2 GROUP BY minute ORDER BY minute`,
      [start, end],
    )
  ).rows;
  // The histograms summed bucket by bucket, per day (the month's is the sum of its days): one
  // sum per bucket, which PostgreSQL does in one pass (unnesting the arrays is ten times slower).
  const bucketSums = Array.from({ length: LATENCY_BUCKET_COUNT }, (_, index) => `sum(latency_buckets[${index + 1}])`).join(', ');
  const histogramRows = (
    await db.query<{ day: number; buckets: string[] }>(
      `SELECT floor(extract(epoch FROM minute) / 86400)::int AS day, ARRAY[${bucketSums}]::bigint[] AS buckets
         FROM request_stats WHERE minute >= $1 AND minute < $2 GROUP BY 1`,
      [start, end],
    )
  ).rows;
  // Two DISTINCTs merged here: a UNION would sort a month of probes.
  const instanceRows = [
    ...(
      await db.query<{ id: string }>(
        'SELECT DISTINCT instance_id AS id FROM availability_samples WHERE sampled_at >= $1 AND sampled_at < $2',
        [start, end],
      )
    ).rows,
    ...(
      await db.query<{ id: string }>('SELECT DISTINCT instance_id AS id FROM request_stats WHERE minute >= $1 AND minute < $2', [
        start,
        end,
      ])
    ).rows,
  ];
  const instances = [...new Set(instanceRows.map((row) => row.id))].sort();

  const probes = new Map<number, MinuteProbes>();
  for (const row of probeRows) {
    const down = failed.get(row.minute.getTime());
    probes.set(row.minute.getTime(), {
      ok: row.ok,
      down: row.down,
      intervalMs: row.interval_ms,
      lastAt: row.last_at.getTime(),
      instances: down?.instances ?? [],
      lastError: down?.last_error ?? null,
    });
  }
  const requestsByMinute = new Map(requestRows.map((row) => [row.minute.getTime(), row]));

  // What was observed: from the month's start if a probe came before it, else from the first probe.
  const firstMinute = probeRows[0]?.minute.getTime();
  const lastMinute = probeRows.at(-1)?.minute.getTime();
  const observedFrom = prior ? monthStart : firstMinute;
  const settled = Math.floor((now - UNSETTLED_MS) / MINUTE) * MINUTE;
  const observedTo =
    observedFrom === undefined ? undefined : Math.min(monthEnd, Math.max(settled, lastMinute === undefined ? 0 : lastMinute + MINUTE));
  const observed = observedFrom !== undefined && observedTo !== undefined && observedTo > observedFrom;

  const states: MinuteState[] = [];
  if (observed) {
    // The last probe vouches for its status until two of its intervals have passed.
    let carry = prior
      ? { until: prior.at.getTime() + 2 * prior.interval_ms, down: prior.status === 'down' ? 1 : 0, lastError: null as string | null }
      : undefined;
    for (let minute = observedFrom; minute < observedTo; minute += MINUTE) {
      const seen = probes.get(minute);
      if (seen) {
        const share = seen.down / (seen.ok + seen.down);
        states.push({
          minute,
          down: share,
          cause: share > 0 ? 'database_down' : null,
          failedProbes: seen.down,
          lastError: seen.lastError,
          instances: seen.instances,
        });
        carry = { until: seen.lastAt + 2 * seen.intervalMs, down: share, lastError: seen.lastError };
      } else if (carry && minute < carry.until) {
        states.push({
          minute,
          down: carry.down,
          cause: carry.down > 0 ? 'database_down' : null,
          failedProbes: 0,
          lastError: carry.lastError,
          instances: [],
        });
      } else {
        states.push({ minute, down: 1, cause: 'no_samples', failedProbes: 0, lastError: null, instances: [] });
      }
    }
  }

  const monthMinutes = (monthEnd - monthStart) / MINUTE;
  const downtimeBudgetMinutes = monthMinutes * (1 - SLO_TARGETS.uptimePercent / 100);
  const requests = requestRows.reduce((sum, row) => sum + row.requests, 0);
  const errors5xx = requestRows.reduce((sum, row) => sum + row.errors_5xx, 0);
  const errors4xx = requestRows.reduce((sum, row) => sum + row.errors_4xx, 0);
  const errorBudget = requests * (SLO_TARGETS.errorRatePercent / 100);

  const incidents: SlaIncident[] = [];
  const trafficOf = (from: number, to: number) => {
    let count = 0;
    let errors = 0;
    for (let minute = from; minute < to; minute += MINUTE) {
      const row = requestsByMinute.get(minute);
      count += row?.requests ?? 0;
      errors += row?.errors_5xx ?? 0;
    }
    return { requests: count, errors5xx: errors };
  };

  // Downtime: runs of minutes with any downtime, one incident per run and cause.
  let run: MinuteState[] = [];
  const closeDownRun = () => {
    const first = run[0];
    const last = run.at(-1);
    if (!first || !last || !first.cause) return;
    const from = first.minute;
    const to = last.minute + MINUTE;
    const downtimeMinutes = run.reduce((sum, state) => sum + state.down, 0);
    incidents.push({
      kind: first.cause,
      start: new Date(from).toISOString(),
      end: new Date(to).toISOString(),
      durationMinutes: (to - from) / MINUTE,
      downtimeMinutes: round(downtimeMinutes),
      ...trafficOf(from, to),
      budgetSpentPercent: round((downtimeMinutes / downtimeBudgetMinutes) * 100, 2),
      failedProbes: run.reduce((sum, state) => sum + state.failedProbes, 0),
      lastError: run.findLast((state) => state.lastError)?.lastError ?? null,
      instances: [...new Set(run.flatMap((state) => state.instances))].sort(),
    });
    run = [];
  };
  for (const state of states) {
    if (run.length > 0 && state.cause !== run[0]?.cause) closeDownRun();
    if (state.cause) run.push(state);
  }
  closeDownRun();

  // Error spikes: runs of consecutive minutes whose 5xx pass the monitor's rule.
  let spike: typeof requestRows = [];
  const closeSpike = () => {
    const first = spike[0];
    const last = spike.at(-1);
    if (!first || !last) return;
    const from = first.minute.getTime();
    const to = last.minute.getTime() + MINUTE;
    const spikeErrors = spike.reduce((sum, row) => sum + row.errors_5xx, 0);
    incidents.push({
      kind: 'error_spike' satisfies SlaIncidentKind,
      start: new Date(from).toISOString(),
      end: new Date(to).toISOString(),
      durationMinutes: (to - from) / MINUTE,
      downtimeMinutes: 0,
      requests: spike.reduce((sum, row) => sum + row.requests, 0),
      errors5xx: spikeErrors,
      budgetSpentPercent: errorBudget > 0 ? round((spikeErrors / errorBudget) * 100, 2) : 0,
      failedProbes: 0,
      lastError: null,
      instances: [],
    });
    spike = [];
  };
  for (const row of requestRows) {
    const isSpike = row.errors_5xx >= spikeRule.minCount && row.errors_5xx / row.requests >= spikeRule.threshold;
    const previous = spike.at(-1);
    if (!isSpike || (previous && row.minute.getTime() !== previous.minute.getTime() + MINUTE)) closeSpike();
    if (isSpike) spike.push(row);
  }
  closeSpike();
  // Which servers answered the spikes' errors: a query per spike (there are few).
  for (const incident of incidents) {
    if (incident.kind !== 'error_spike') continue;
    const { rows } = await db.query<{ instance_id: string }>(
      `SELECT DISTINCT instance_id FROM request_stats WHERE minute >= $1 AND minute < $2 AND errors_5xx > 0 ORDER BY 1`,
      [incident.start, incident.end],
    );
    incident.instances = rows.map((row) => row.instance_id);
  }
  incidents.sort((a, b) => a.start.localeCompare(b.start) || a.kind.localeCompare(b.kind));

  // Per day: uptime over the day's observed minutes, requests, errors, p99.
  const histograms = new Map<number, number[]>();
  const monthHistogram = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  for (const row of histogramRows) {
    const histogram = row.buckets.map(Number);
    histograms.set(row.day, histogram);
    histogram.forEach((count, index) => {
      monthHistogram[index] = (monthHistogram[index] ?? 0) + count;
    });
  }
  const days: SlaDay[] = [];
  for (let day = monthStart; day < monthEnd; day += DAY) {
    const dayStates = states.filter((state) => state.minute >= day && state.minute < day + DAY);
    const downtime = dayStates.reduce((sum, state) => sum + state.down, 0);
    const traffic = trafficOf(day, day + DAY);
    const histogram = histograms.get(day / DAY);
    days.push({
      date: new Date(day).toISOString().slice(0, 10),
      uptimePercent: dayStates.length > 0 ? round(((dayStates.length - downtime) / dayStates.length) * 100) : null,
      observedMinutes: dayStates.length,
      downtimeMinutes: round(downtime),
      requests: traffic.requests,
      errors5xx: traffic.errors5xx,
      errorRatePercent: traffic.requests > 0 ? round((traffic.errors5xx / traffic.requests) * 100) : null,
      p99Ms: histogram ? p99OfHistogram(histogram) : null,
    });
  }

  const downtimeMinutes = states.reduce((sum, state) => sum + state.down, 0);
  const uptimePercent = states.length > 0 ? round(((states.length - downtimeMinutes) / states.length) * 100) : null;
  const errorRatePercent = requests > 0 ? round((errors5xx / requests) * 100) : null;
  const p99Ms = p99OfHistogram(monthHistogram);
  const instanceCounts = probeRows.reduce((counts, row) => ({ ok: counts.ok + row.ok, down: counts.down + row.down }), { ok: 0, down: 0 });
  return {
    month: input.month,
    periodStart: start.toISOString(),
    periodEnd: end.toISOString(),
    observedFrom: observed ? new Date(observedFrom).toISOString() : null,
    observedTo: observed ? new Date(observedTo).toISOString() : null,
    observedMinutes: states.length,
    targets: { ...SLO_TARGETS },
    uptimePercent,
    downtimeMinutes: round(downtimeMinutes),
    downtimeBudgetMinutes: round(downtimeBudgetMinutes),
    requests,
    errors5xx,
    errors4xx,
    errorRatePercent,
    errorBudget: round(errorBudget),
    p99Ms,
    met: {
      uptime: uptimePercent === null ? null : uptimePercent >= SLO_TARGETS.uptimePercent,
      errorRate: errorRatePercent === null ? null : errorRatePercent < SLO_TARGETS.errorRatePercent,
      p99: p99Ms === null ? null : p99Ms <= SLO_TARGETS.p99Ms,
    },
    instances,
    probes: instanceCounts,
    days,
    incidents,
  };
}
