/**
 * AML alerts over HTTP for compliance: the list (newest first, open by default) and one alert with
 * why it fired: a rule's facts, and for a sanctions name match the name Drop screened beside the
 * listed name, the per-feature scores and the list record. Staff without the permission get 403;
 * an unknown alert is 404, a malformed id 400.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '@drop/db';
import { seedLargeTransferAlert, seedSanctionsAlert } from '../../../test/support/aml-alerts.ts';
import { transferAs, verifiedCustomer } from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import type { RunningDrop } from '../src/runtime.ts';

describe('AML alerts for compliance', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let compliance: string;
  let support: string;
  const get = (cookie: string, path: string) => fetch(`${base}${path}`, { headers: { cookie } });

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort());
    compliance = await signInStaff(base, db.pool, 'compliance_officer');
    support = await signInStaff(base, db.pool, 'support');
  });
  after(() => stopDropOnFreePort({ db, drop }));

  it('lists alerts newest first and explains a sanctions match: the two names, the feature scores, the list record', async () => {
    const kari = await verifiedCustomer(base, db.pool, 'kari');
    const transfer = await transferAs(kari, '1000');
    const large = await seedLargeTransferAlert(db.pool, { userId: kari.userId, transactionId: transfer.id });
    const sanctions = await seedSanctionsAlert(db.pool, { userId: kari.userId, transactionId: transfer.id });

    const list = await get(compliance, '/api/staff/aml-alerts');
    assert.equal(list.status, 200);
    const alerts = (await list.json()).data;
    assert.deepEqual(
      alerts.map((alert: { id: string }) => alert.id),
      [sanctions.alertId, large],
    );
    const [first] = alerts;
    assert.equal(first.severity, 'critical');
    assert.equal(first.rule, 'sanctions_match');
    assert.equal(first.ruleVersion, 1);
    assert.equal(first.action, 'hold');
    assert.equal(first.subjectType, 'customer');
    assert.equal(first.screeningMatchId, sanctions.matchId);
    assert.equal(first.transactionId, transfer.id);
    assert.equal(first.transferStatus, 'awaiting_funds');
    assert.equal(first.sendAmount, '1000.00');
    assert.match(first.summary, /matches Vladimir Vladimirovich PUTIN/);

    const detail = await get(compliance, `/api/staff/aml-alerts/${sanctions.alertId}`);
    assert.equal(detail.status, 200);
    const alert = (await detail.json()).data;
    assert.deepEqual(alert.facts, { list: 'ofac-sdn', key: '36100', score: 0.9612, threshold: 0.88, topics: ['sanction'] });
    assert.equal(alert.customer.id, kari.userId);
    assert.equal(alert.transfer.id, transfer.id);
    assert.equal(alert.recipient.name, 'Anna Schmidt', "the transfer's recipient");
    const match = alert.screeningMatch;
    assert.equal(match.queryName, sanctions.queryName);
    assert.equal(match.matchedName, sanctions.matchedName);
    assert.equal(match.score, 0.9612);
    // The 0..1 scores only, in the matcher's reading order; the adjustments are in the notes.
    assert.deepEqual(match.features, [
      { name: 'name', score: 0.943 },
      { name: 'tokenSimilarity', score: 0.943 },
      { name: 'queryCoverage', score: 1 },
      { name: 'recordCoverage', score: 1 },
    ]);
    assert.equal(match.notes.length, 2);
    assert.deepEqual(match.record, {
      list: 'ofac-sdn',
      key: '36100',
      schema: 'Person',
      topics: ['sanction'],
      programmes: ['RUSSIA-EO14024'],
      names: [
        { full: 'Vladimir Vladimirovich PUTIN', quality: 'primary', lang: null },
        { full: 'Владимир Владимирович Путин', quality: 'strong', lang: 'rus' },
      ],
      birthDates: ['1952-10-07'],
      countries: ['RU'],
      listedOn: '2022-02-25',
      remarks: 'President of the Russian Federation',
      version: alert.screeningMatch.record.version,
      current: true,
      sameAsMatched: true,
    });

    const rule = (await (await get(compliance, `/api/staff/aml-alerts/${large}`)).json()).data;
    assert.deepEqual(rule.facts, { amountNok: '50001.00', thresholdNok: '50000.00' });
    assert.equal(rule.screeningMatch, null);
  });

  it('keeps closed alerts out of the default list and shows them on request', async () => {
    const ola = await verifiedCustomer(base, db.pool, 'ola');
    const transfer = await transferAs(ola, '500');
    const id = await seedLargeTransferAlert(db.pool, { userId: ola.userId, transactionId: transfer.id });
    await db.pool.query(`UPDATE aml_alerts SET status = 'closed', reviewed_at = NOW(), reviewer_notes = 'ok' WHERE id = $1`, [id]);
    const ids = async (query: string) =>
      ((await (await get(compliance, `/api/staff/aml-alerts${query}`)).json()).data as Array<{ id: string }>).map((alert) => alert.id);
    assert.ok(!(await ids('')).includes(id));
    assert.ok((await ids('?status=closed')).includes(id));
    assert.ok((await ids('?status=all')).includes(id));
    assert.equal((await get(compliance, '/api/staff/aml-alerts?status=maybe')).status, 400);
  });

  it('answers 404 for an unknown alert, 400 for a malformed id, 403 to staff without the permission', async () => {
    const unknown = await get(compliance, `/api/staff/aml-alerts/${newId('alert')}`);
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).code, 'NOT_FOUND');
    const malformed = await get(compliance, '/api/staff/aml-alerts/tx_123');
    assert.equal(malformed.status, 400);
    assert.equal((await malformed.json()).code, 'VALIDATION_FAILED');
    assert.equal((await get(support, '/api/staff/aml-alerts')).status, 403);
    assert.equal((await get(support, `/api/staff/aml-alerts/${newId('alert')}`)).status, 403);
  });
});
