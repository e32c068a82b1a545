/**
 * The SLA against a real PostgreSQL: a month of seeded probes and request minutes with a database
 * outage, a gap nobody recorded, half a minute down and two error spikes gives the uptime, error
 * rate, p99 and incidents worked out by hand; a server that stopped is down until now (the gap
 * rule); and the recorder writes one statement per flush, counts a minute once however often it
 * is written, and keeps counting and buffering while its database refuses connections, so the
 * outage's failed probes land when it is back; the retention job deletes them after 400 days.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LATENCY_BUCKET_COUNT } from '@drop/contracts';
import pg from 'pg';
import { adminUrl, createTestDatabase, type TestDatabase } from '../../../../../test/support/database.ts';
import { latencyBucket, seedProbes, seedSlaNovember } from '../../../../../test/support/sla.ts';
import { DomainError } from '../../errors.ts';
import { applyRetention, retentionStatus } from '../../privacy/apply-retention.ts';
import { computeSlaReport, monthBounds, p99OfHistogram } from './compute-sla-report.ts';
import { latencyBucketOf, SlaRecorder } from './sla-recorder.ts';

const bucket = latencyBucket;

describe('the SLA report', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
    await seedSlaNovember(db.pool);
  });
  after(async () => {
    await db.drop();
  });

  it('gives uptime, error rate and p99 with every incident and the budget it cost', async () => {
    const report = await computeSlaReport(db.pool, {
      month: '2026-11',
      now: new Date('2026-12-06T12:00:00Z'),
      errorSpike: { threshold: 0.05, minCount: 10 },
    });
    assert.equal(report.observedFrom, '2026-11-01T00:00:00.000Z', 'a probe before the month: observed from its start');
    assert.equal(report.observedTo, '2026-12-01T00:00:00.000Z');
    assert.equal(report.observedMinutes, 43_200);
    assert.equal(report.downtimeBudgetMinutes, 43.2);
    // 17 minutes down, 4 unrecorded, half a minute.
    assert.equal(report.downtimeMinutes, 21.5);
    assert.equal(report.uptimePercent, Math.round(((43_200 - 21.5) / 43_200) * 100 * 10_000) / 10_000);
    assert.equal(report.uptimePercent, 99.9502);
    const requests = 200 * (43_200 - 4);
    assert.equal(report.requests, requests);
    assert.equal(report.errors5xx, 17 * 150 + 3 * 40 + 3);
    assert.equal(report.errors4xx, (43_200 - 4 - 17 - 3 - 1) * 2);
    assert.equal(report.errorRatePercent, Math.round(((17 * 150 + 3 * 40 + 3) / requests) * 100 * 10_000) / 10_000);
    assert.equal(report.p99Ms, 100);
    assert.deepEqual(report.met, { uptime: true, errorRate: true, p99: true });
    assert.deepEqual(report.instances, ['web-a', 'web-b']);
    assert.deepEqual(report.probes, { ok: 43_200 * 2 - 17 * 2 - 5 * 2 - 1 + 2880, down: 17 * 2 + 1 });

    assert.deepEqual(
      report.incidents.map((incident) => [incident.kind, incident.start, incident.end, incident.downtimeMinutes, incident.errors5xx]),
      [
        ['database_down', '2026-11-09T02:14:00.000Z', '2026-11-09T02:31:00.000Z', 17, 17 * 150],
        ['error_spike', '2026-11-09T02:14:00.000Z', '2026-11-09T02:31:00.000Z', 0, 17 * 150],
        ['no_samples', '2026-11-20T10:01:00.000Z', '2026-11-20T10:05:00.000Z', 4, 0],
        ['error_spike', '2026-11-22T15:00:00.000Z', '2026-11-22T15:03:00.000Z', 0, 120],
        ['database_down', '2026-11-25T12:00:00.000Z', '2026-11-25T12:01:00.000Z', 0.5, 0],
      ],
    );
    const [outage, outageErrors, gap] = report.incidents;
    assert.equal(outage?.budgetSpentPercent, 39.35, '17 of the 43.2 budget minutes');
    assert.equal(outage?.failedProbes, 34);
    assert.equal(outage?.lastError, 'connection refused');
    assert.deepEqual(outage?.instances, ['web-a']);
    assert.equal(gap?.budgetSpentPercent, 9.26);
    assert.equal(outageErrors?.budgetSpentPercent, Math.round((2550 / (requests * 0.001)) * 100 * 100) / 100);

    assert.equal(report.days.length, 30);
    const day = (date: string) => report.days.find((entry) => entry.date === date);
    assert.equal(day('2026-11-09')?.uptimePercent, Math.round(((1440 - 17) / 1440) * 100 * 10_000) / 10_000);
    assert.equal(day('2026-11-01')?.uptimePercent, 100);
    assert.equal(day('2026-11-22')?.p99Ms, 1000, 'a slow day: 2.5 % of its requests over 100 ms');
    assert.equal(day('2026-11-22')?.errorRatePercent, Math.round((120 / (1440 * 200)) * 100 * 10_000) / 10_000);
    assert.equal(day('2026-11-01')?.p99Ms, 100);
  });

  it('counts a server that stopped as down until two minutes ago, and nothing in a month not yet begun', async () => {
    await seedProbes(db.pool, 'web-a', '2026-12-01T00:00:00Z', '2026-12-03T12:00:00Z', 'ok');
    const report = await computeSlaReport(db.pool, { month: '2026-12', now: new Date('2026-12-03T13:00:00Z') });
    assert.equal(report.observedTo, '2026-12-03T12:58:00.000Z');
    assert.equal(report.incidents.length, 1);
    assert.equal(report.incidents[0]?.kind, 'no_samples');
    assert.equal(report.incidents[0]?.start, '2026-12-03T12:01:00.000Z', 'the last probe (11:59:30) vouches for the 12:00 minute');
    assert.equal(report.downtimeMinutes, 57);
    assert.equal(report.met.p99, null, 'no requests recorded: no p99');
    assert.equal(report.errorRatePercent, null);

    const future = await computeSlaReport(db.pool, { month: '2027-01', now: new Date('2026-12-03T13:00:00Z') });
    assert.equal(future.uptimePercent, null);
    assert.equal(future.observedFrom, null);
    assert.deepEqual(future.incidents, []);
    assert.equal(future.days.length, 31);
  });

  it('observes a first month from its first probe, not from the month’s start', async () => {
    const report = await computeSlaReport(db.pool, { month: '2026-10', now: new Date('2026-12-06T12:00:00Z') });
    assert.equal(report.observedFrom, '2026-10-31T23:00:00.000Z');
    assert.equal(report.observedMinutes, 60);
    assert.equal(report.uptimePercent, 100);
  });

  it('refuses a month that is not YYYY-MM', async () => {
    for (const month of ['2026-13', '2026-1', 'november', '2026-11-01']) {
      await assert.rejects(computeSlaReport(db.pool, { month }), (error: unknown) => {
        assert.ok(error instanceof DomainError);
        assert.equal(error.code, 'VALIDATION_FAILED');
        return true;
      });
    }
    assert.deepEqual(monthBounds('2026-12'), { start: new Date('2026-12-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') });
  });

  it('reads p99 as the bound of the bucket holding the 99th percentile', () => {
    const counts = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
    assert.equal(p99OfHistogram(counts), null);
    counts[bucket(10)] = 98;
    counts[bucket(250)] = 2;
    assert.equal(p99OfHistogram(counts), 250, '99 % is reached only in the 250 ms bucket');
    counts[bucket(10)] = 990;
    assert.equal(p99OfHistogram(counts), 10);
    assert.equal(latencyBucketOf(0.4), 0);
    assert.equal(latencyBucketOf(25), bucket(25));
    assert.equal(latencyBucketOf(25.01), bucket(30));
    assert.equal(latencyBucketOf(120_000), LATENCY_BUCKET_COUNT - 1);
  });
});

describe('the SLA recorder', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
  });

  it('writes a minute’s whole count, so writing it again never counts twice', async () => {
    let now = Date.parse('2026-11-30T10:00:10Z');
    const recorder = new SlaRecorder({ db: db.pool, flushIntervalMs: 60_000, instanceId: 'web-test', now: () => now });
    recorder.recordRequest(200, 12);
    recorder.recordRequest(404, 3);
    recorder.recordRequest(503, 900);
    await recorder.flush();
    recorder.recordRequest(200, 40);
    await recorder.flush();
    await recorder.flush();
    now = Date.parse('2026-11-30T10:01:05Z');
    recorder.recordRequest(200, 2);
    await recorder.flush();
    const { rows } = await db.pool.query(
      `SELECT minute, requests, errors_5xx, errors_4xx, latency_buckets FROM request_stats WHERE instance_id = 'web-test' ORDER BY minute`,
    );
    assert.equal(rows.length, 2);
    assert.deepEqual({ requests: rows[0].requests, e5: rows[0].errors_5xx, e4: rows[0].errors_4xx }, { requests: 4, e5: 1, e4: 1 });
    const first = rows[0].latency_buckets as number[];
    assert.equal(first[bucket(15)], 1);
    assert.equal(first[bucket(3)], 1);
    assert.equal(first[bucket(1000)], 1);
    assert.equal(first[bucket(40)], 1);
    assert.equal(rows[1].requests, 1);
    assert.deepEqual(recorder.pending(), { samples: 0, minutes: 0 }, 'the 10:00 minute is over and written: forgotten');
  });

  it('keeps counting and buffering while the database refuses connections, and writes the outage when it is back', async () => {
    const name = db.name;
    const pool = new pg.Pool({ connectionString: db.url, max: 2, connectionTimeoutMillis: 2000 });
    pool.on('error', () => undefined);
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    const errors: unknown[] = [];
    let now = Date.parse('2026-11-30T11:00:00Z');
    const recorder = new SlaRecorder({
      db: pool,
      flushIntervalMs: 60_000,
      instanceId: 'web-down',
      now: () => now,
      onError: (e) => errors.push(e),
    });
    const report = (status: 'ok' | 'down') =>
      ({
        status,
        version: 'test',
        uptime: 1,
        checks: { db: status === 'ok' ? { status, latencyMs: 2 } : { status, latencyMs: null, error: 'connection refused' } },
      }) as const;
    try {
      recorder.recordProbe(report('ok'), 30_000);
      await recorder.flush();
      assert.equal(errors.length, 0);

      // The database goes away: connections are refused.
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      for (let step = 1; step <= 4; step++) {
        now += 30_000;
        recorder.recordProbe(report('down'), 30_000);
        recorder.recordRequest(503, 5);
        await recorder.flush(); // never throws
      }
      assert.equal(errors.length, 4, 'every failed flush is reported to the caller');
      assert.equal(recorder.failedFlushes, 4);
      assert.deepEqual(recorder.pending(), { samples: 4, minutes: 3 });

      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
      now += 30_000;
      recorder.recordProbe(report('ok'), 30_000);
      await recorder.flush();
      assert.equal(recorder.failedFlushes, 0);
      assert.deepEqual(recorder.pending(), { samples: 0, minutes: 0 });
    } finally {
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
      await admin.end();
      await pool.end();
    }
    const samples = await db.pool.query<{ status: string; error: string | null }>(
      `SELECT status, error FROM availability_samples WHERE instance_id = 'web-down' ORDER BY sampled_at`,
    );
    assert.deepEqual(
      samples.rows.map((row) => row.status),
      ['ok', 'down', 'down', 'down', 'down', 'ok'],
    );
    assert.equal(samples.rows[1]?.error, 'connection refused');
    const stats = await db.pool.query<{ n: number; e5: number }>(
      `SELECT sum(requests)::int AS n, sum(errors_5xx)::int AS e5 FROM request_stats WHERE instance_id = 'web-down'`,
    );
    assert.deepEqual(stats.rows[0], { n: 4, e5: 4 });
    const sla = await computeSlaReport(db.pool, { month: '2026-11', now: new Date('2026-12-01T00:00:00Z') });
    const outage = sla.incidents.find((incident) => incident.kind === 'database_down');
    assert.equal(outage?.failedProbes, 4, 'the probes of the outage count as downtime once written');
    assert.equal(outage?.start, '2026-11-30T11:00:00.000Z');
  });

  it('is deleted by the retention job 400 days later (the sla_statistics rule)', async () => {
    const count = async () =>
      Number(
        (await db.pool.query('SELECT (SELECT count(*) FROM availability_samples) + (SELECT count(*) FROM request_stats) AS n')).rows[0].n,
      );
    const stored = await count();
    assert.ok(stored > 0);
    const rule = (await retentionStatus(db.pool, new Date('2027-12-01T00:00:00Z'))).find((each) => each.code === 'sla_statistics');
    assert.equal(rule?.keepFor, '400 days');
    assert.equal(rule?.due, 0, 'not yet 400 days old');
    const early = await applyRetention(db.pool, { now: new Date('2027-12-01T00:00:00Z') });
    assert.equal(early.rules.find((each) => each.code === 'sla_statistics')?.applied, 0);
    assert.equal(await count(), stored);
    const late = await applyRetention(db.pool, { now: new Date('2028-01-10T00:00:00Z') });
    assert.equal(late.rules.find((each) => each.code === 'sla_statistics')?.applied, stored);
    assert.equal(await count(), 0);
  });
});
