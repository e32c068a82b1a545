/**
 * The monthly SLA report (issue 15 item 8, operational runbook 3.3 "Review SLA report (uptime,
 * error rate, p99 latency)"): `GET /api/staff/ops/sla?month=2026-11`, `drop sla report --month
 * 2026-11` and the console's SLA page all carry this shape. Drop measures itself: the health
 * monitor's probes (`availability_samples`) and per-minute request statistics (`request_stats`).
 */
import { z } from 'zod';

/**
 * The service level objectives. Uptime and error rate are the usual "three nines". The SPEC sets
 * p99 ≤ 25 ms only for the transfer path under the benchmark's load, not for every request (staff
 * sign-in hashes a password with argon2id, a bank file import parses a whole statement), so the
 * SLA's p99 over all API requests is 250 ms: ten times the transfer target. Both 25 and 250 are
 * bucket bounds below, so "met or not" is exact, never an estimate.
 */
export const SLO_TARGETS = { uptimePercent: 99.9, errorRatePercent: 0.1, p99Ms: 250 } as const;

/**
 * Upper bounds (ms) of the request latency histogram's buckets; one more bucket counts everything
 * slower than the last. Fixed, so the histograms of every instance and minute add up bucket by
 * bucket and p99 is read from the sum. Fine below 100 ms (where Drop's requests are and the
 * SPEC's 25 ms target sits), coarser above; the p99 reported is the upper bound of the bucket that
 * holds the 99th percentile ("p99 ≤ X ms"), so it never flatters. Changing these needs a new
 * column: stored histograms are only comparable with the same bounds.
 */
export const LATENCY_BUCKET_BOUNDS_MS = [
  1, 2, 3, 5, 7.5, 10, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200, 250, 300, 400, 500, 750, 1000, 1500, 2500, 5000, 10000, 30000,
] as const;
/** Buckets per histogram: one per bound and one for slower requests. */
export const LATENCY_BUCKET_COUNT = LATENCY_BUCKET_BOUNDS_MS.length + 1;

/** How long the samples and request statistics are kept (the `sla_statistics` retention rule): a year and a month to compare. */
export const SLA_RETENTION_DAYS = 400;

/** A calendar month in UTC, `YYYY-MM`. */
export const slaMonth = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month is YYYY-MM, e.g. 2026-11')
  .describe('A calendar month in UTC, YYYY-MM');

export const slaQuery = z.object({ month: slaMonth });

const percent = z.number().min(0).max(100);

export const SLA_INCIDENT_KINDS = [
  // Health probes failed: the database did not answer.
  'database_down',
  // No instance recorded a probe: no server was running, or none could record (the gap rule).
  'no_samples',
  // Server errors (5xx) above the error-rate monitor's threshold, minute after minute.
  'error_spike',
] as const;
export const slaIncidentKind = z.enum(SLA_INCIDENT_KINDS);
export type SlaIncidentKind = z.infer<typeof slaIncidentKind>;

export const slaIncident = z.object({
  kind: slaIncidentKind,
  start: z.string().datetime(),
  end: z.string().datetime(),
  durationMinutes: z.number().min(0),
  /** Minutes of downtime it cost (a minute where half the probes failed costs half a minute); 0 for an error spike. */
  downtimeMinutes: z.number().min(0),
  /** Server errors in it (the error budget it spent); 0 for a period without requests. */
  errors5xx: z.number().int().min(0),
  requests: z.number().int().min(0),
  /** Share of the month's downtime budget (uptime) or error budget (error spike) it cost, in percent; can exceed 100. */
  budgetSpentPercent: z.number().min(0),
  /** Probes that failed in it, and the error the last one gave (from availability_samples). */
  failedProbes: z.number().int().min(0),
  lastError: z.string().nullable(),
  instances: z.array(z.string()),
});
export type SlaIncident = z.infer<typeof slaIncident>;

export const slaDay = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** null: nothing observed that day (before the first probe, or still to come). */
  uptimePercent: percent.nullable(),
  observedMinutes: z.number().min(0),
  downtimeMinutes: z.number().min(0),
  requests: z.number().int().min(0),
  errors5xx: z.number().int().min(0),
  errorRatePercent: percent.nullable(),
  p99Ms: z.number().nullable(),
});
export type SlaDay = z.infer<typeof slaDay>;

export const slaReport = z.object({
  month: slaMonth,
  /** The month's bounds, and the part of it observed: from the first probe (or the month's start) to its end or now. */
  periodStart: z.string().datetime(),
  periodEnd: z.string().datetime(),
  observedFrom: z.string().datetime().nullable(),
  observedTo: z.string().datetime().nullable(),
  observedMinutes: z.number().min(0),
  targets: z.object({ uptimePercent: z.number(), errorRatePercent: z.number(), p99Ms: z.number() }),
  /** null when nothing was observed (no probes) or no request was served. */
  uptimePercent: percent.nullable(),
  downtimeMinutes: z.number().min(0),
  /** Downtime the month may have at the target: (1 − 99.9 %) of the month's minutes. */
  downtimeBudgetMinutes: z.number().min(0),
  requests: z.number().int().min(0),
  errors5xx: z.number().int().min(0),
  errors4xx: z.number().int().min(0),
  errorRatePercent: percent.nullable(),
  /** Server errors the month may have at the target: 0.1 % of its requests. */
  errorBudget: z.number().min(0),
  /** The upper bound of the histogram bucket holding the 99th percentile ("p99 ≤ this"); null without requests. */
  p99Ms: z.number().nullable(),
  met: z.object({ uptime: z.boolean().nullable(), errorRate: z.boolean().nullable(), p99: z.boolean().nullable() }),
  instances: z.array(z.string()),
  probes: z.object({ ok: z.number().int().min(0), down: z.number().int().min(0) }),
  days: z.array(slaDay),
  incidents: z.array(slaIncident),
});
export type SlaReport = z.infer<typeof slaReport>;
