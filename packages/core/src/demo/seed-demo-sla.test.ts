/**
 * The demo's SLA history, read back through the report the console and `drop sla report` show:
 * last month has the database outage, the unrecorded deployment, the error spike and the slow
 * day it was seeded with, and still meets its targets; this month has its blip.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { computeSlaReport } from '../ops/sla/compute-sla-report.ts';
import { seedDemoSlaHistory } from './seed-demo-sla.ts';

describe('demo data: the SLA history', () => {
  let db: TestDatabase;
  const now = new Date('2026-12-06T12:00:00Z');
  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_demo_sla' });
    await seedDemoSlaHistory(db.pool, now);
  });
  after(async () => {
    await db?.drop();
  });

  it('shows last month with its incidents, meeting the targets', async () => {
    const report = await computeSlaReport(db.pool, { month: '2026-11', now });
    assert.equal(report.observedMinutes, 43_200);
    assert.deepEqual(
      report.incidents.map((incident) => [incident.kind, incident.start, incident.durationMinutes]),
      [
        ['database_down', '2026-11-09T02:14:00.000Z', 12],
        ['error_spike', '2026-11-09T02:14:00.000Z', 12],
        ['no_samples', '2026-11-17T14:02:00.000Z', 3],
        ['error_spike', '2026-11-23T11:40:00.000Z', 4],
      ],
    );
    assert.equal(report.downtimeMinutes, 15);
    assert.deepEqual(report.met, { uptime: true, errorRate: true, p99: true });
    assert.deepEqual(report.instances, ['demo-web-1', 'demo-web-2']);
    assert.equal(report.days.find((day) => day.date === '2026-11-12')?.p99Ms, 400, 'the slow day');
  });

  it('shows this month until now with its blip', async () => {
    const report = await computeSlaReport(db.pool, { month: '2026-12', now });
    assert.equal(report.observedTo, '2026-12-06T12:00:00.000Z', 'to the minute after the last probe');
    const kinds = report.incidents.map((incident) => [incident.kind, incident.start, incident.downtimeMinutes]);
    assert.deepEqual(kinds[0], ['database_down', '2026-12-02T07:31:00.000Z', 2]);
    assert.equal(report.days.filter((day) => day.uptimePercent !== null).length, 6);
  });
});
