/**
 * `drop sla report --month 2026-11 [--json]` (runbook 3.3): the seeded November's uptime, error
 * rate and p99 against their targets with its incidents, as text and as the API's JSON; a month
 * that is not YYYY-MM exits 1 with VALIDATION_FAILED before the database is opened.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { slaReport } from '@drop/contracts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { seedSlaNovember } from '../../../test/support/sla.ts';
import { describeResult, runDrop } from './run-cli.ts';

describe('drop sla report', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  before(async () => {
    db = await createTestDatabase();
    env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
    await seedSlaNovember(db.pool);
  });
  after(async () => {
    await db.drop();
  });

  it('prints the month against its targets with the incidents that cost it', async () => {
    const result = await runDrop(['sla', 'report', '--month', '2026-11'], env);
    assert.equal(result.code, 0, describeResult(result));
    const lines = result.stdout.split('\n');
    assert.match(lines[0] ?? '', /^SLA 2026-11: observed 2026-11-01 00:00 → 2026-12-01 00:00 UTC \(43200 min, 2 instance\(s\)\)/);
    assert.match(result.stdout, /uptime\s+99\.950 %\s+target ≥ 99\.9 %\s+met\s+\(downtime 21\.5 min of a 43\.2 min budget\)/);
    assert.match(result.stdout, /error rate\s+0\.031 %\s+target < 0\.1 %\s+met\s+\(2673 server errors of 8639200 requests; budget 8639\)/);
    assert.match(result.stdout, /p99 latency\s+≤ 100 ms\s+target ≤ 250 ms\s+met/);
    assert.match(result.stdout, /Incidents \(5\):/);
    assert.match(
      result.stdout,
      /2026-11-09 02:14 → 2026-11-09 02:31\s+17 min\s+database_down\s+downtime 17 min \(39\.35 % of the downtime budget\), 34 failed probes: connection refused/,
    );
    assert.match(
      result.stdout,
      /2026-11-20 10:01 → 2026-11-20 10:05\s+4 min\s+no_samples\s+downtime 4 min \(9\.26 % of the downtime budget\), no probe recorded/,
    );
    assert.match(result.stdout, /2026-11-22 15:00 → 2026-11-22 15:03\s+3 min\s+error_spike\s+120 server errors of 600 requests/);
  });

  it('prints the API’s JSON with --json', async () => {
    const result = await runDrop(['sla', 'report', '--month', '2026-11', '--json'], env);
    assert.equal(result.code, 0, describeResult(result));
    const report = slaReport.parse(JSON.parse(result.stdout));
    assert.equal(report.uptimePercent, 99.9502);
    assert.equal(report.p99Ms, 100);
    assert.equal(report.incidents.length, 5);
    assert.equal(report.days.length, 30);
  });

  it('refuses a month that is not YYYY-MM with exit 1 and VALIDATION_FAILED', async () => {
    for (const month of ['2026-13', 'nov', '2026-11-01']) {
      const result = await runDrop(['sla', 'report', '--month', month], { ...env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
      assert.equal(result.code, 1, describeResult(result));
      assert.match(result.stderr, /^VALIDATION_FAILED: "[^"]+" is not a month: use YYYY-MM, e\.g\. 2026-11/);
      assert.equal(result.stdout, '');
    }
  });
});
