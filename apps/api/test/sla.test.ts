/**
 * The SLA through a running server (issue 15 item 8): the server counts the API's requests (not
 * the health check) and its health probes, writes them on a flush, and `GET /api/staff/ops/sla`
 * reports them for an admin. Support (no `operations` permission) gets 403; a month that is not
 * YYYY-MM, or none, is 400 VALIDATION_FAILED.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { slaReport } from '@drop/contracts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import type { RunningDrop } from '../src/runtime.ts';

describe('GET /api/staff/ops/sla', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let admin: string;
  let support: string;
  const month = new Date().toISOString().slice(0, 7);
  const get = (cookie: string, query: string) => fetch(`${base}/api/staff/ops/sla${query}`, { headers: { cookie } });

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort());
    admin = await signInStaff(base, db.pool, 'admin', 'admin@drop.no');
    support = await signInStaff(base, db.pool, 'support', 'support@drop.no');
  });
  after(async () => {
    await stopDropOnFreePort({ db, drop });
  });

  it('counts the API’s requests and the health probes, and reports them to an admin', async () => {
    const counted = async () =>
      (
        await db.pool.query<{ requests: number; e4: number; e5: number; instances: number }>(
          `SELECT coalesce(sum(requests), 0)::int AS requests, coalesce(sum(errors_4xx), 0)::int AS e4,
                  coalesce(sum(errors_5xx), 0)::int AS e5, count(DISTINCT instance_id)::int AS instances FROM request_stats`,
        )
      ).rows[0];
    await drop.sla.flush();
    const before = await counted();
    assert.ok(before && before.requests >= 2, 'the staff sign-ins were counted');
    await drop.healthMonitor.tick();
    await drop.healthMonitor.tick();
    assert.equal((await fetch(`${base}/api/health`)).status, 200);
    assert.equal((await fetch(`${base}/api/me`)).status, 401);
    assert.equal((await fetch(`${base}/api/no-such-route`)).status, 404);
    assert.equal((await fetch(`${base}/console/`)).status, 200);
    await drop.sla.flush();

    const now = await counted();
    assert.deepEqual(
      now,
      { requests: before.requests + 2, e4: before.e4 + 2, e5: before.e5, instances: 1 },
      'the two API requests, not the health check nor the console',
    );
    const probes = await db.pool.query<{ status: string; instance_id: string }>(
      'SELECT status, instance_id FROM availability_samples ORDER BY sampled_at',
    );
    assert.ok(probes.rows.length >= 1, 'the probes (two in the same millisecond are one row)');
    assert.ok(probes.rows.every((row) => row.status === 'ok' && row.instance_id === drop.sla.instanceId));

    const answer = await get(admin, `?month=${month}`);
    assert.equal(answer.status, 200, await answer.clone().text());
    const report = slaReport.parse((await answer.json()).data);
    assert.equal(report.month, month);
    assert.ok(report.requests >= 2, 'the sign-ins and the requests above are counted');
    assert.ok(report.errors4xx >= 2);
    assert.ok(report.probes.ok >= 1);
    assert.deepEqual(report.targets, { uptimePercent: 99.9, errorRatePercent: 0.1, p99Ms: 250 });
    assert.deepEqual(report.instances, [drop.sla.instanceId]);
  });

  it('refuses support (no operations permission) and a bad month', async () => {
    const forbidden = await get(support, `?month=${month}`);
    assert.equal(forbidden.status, 403);
    for (const query of ['?month=2026-13', '?month=november', '']) {
      const answer = await get(admin, query);
      assert.equal(answer.status, 400, query);
      assert.equal((await answer.json()).code, 'VALIDATION_FAILED');
    }
    assert.equal((await fetch(`${base}/api/staff/ops/sla?month=${month}`)).status, 401);
  });
});
