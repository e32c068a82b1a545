/**
 * The console's Data requests page, in a real Chromium against a real server: support sees every
 * privacy request with its type, customer, received and due dates and status, the overdue one
 * first, in red, with how many days overdue (its due date moved into the past in SQL); they open
 * it and record that work has started, then that it is completed (completed_at set, audited); an
 * answered request can no longer be opened. The overview counts the open requests. In English
 * the page reads in English. Support records an objection that came by letter (an unknown customer
 * id is refused with a message), sees it listed as received with its channel, and answers it. The
 * retention rules are shown with their period, legal basis and what is due now (a former customer
 * gone six years is due). A compliance officer has no Data requests section.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { newId } from '@drop/db';
import { verifiedCustomer } from '../support/money.ts';
import { newStaffMember } from '../support/staff.ts';
import { ConsoleDataRequests } from './pages/console-data-requests.ts';
import { eventually, screenshot, text, useBrowserTestBed, visitApp, WIDE_DESKTOP } from './support.ts';

const DATA_KEY = randomBytes(32).toString('base64');
const PASSWORD = 'en lang setning til konsollen 7';

describe('console: data requests', () => {
  const bed = useBrowserTestBed({ DATA_ENCRYPTION_KEY: DATA_KEY });

  test('support sees the overdue request first and records the answer; an officer has no access', async () => {
    const pool = bed.database.pool;
    const kari = await verifiedCustomer(pool, 1);
    await pool.query(`UPDATE users SET email = 'kari.privacy@example.no' WHERE id = $1`, [kari.userId]);
    const ola = await verifiedCustomer(pool, 1);
    await pool.query(`UPDATE users SET full_name = 'Ola Nordmann', email = 'ola.privacy@example.no' WHERE id = $1`, [ola.userId]);
    // A former customer whose relationship ended six years ago: the retention job has one to erase.
    const gone = await verifiedCustomer(pool, 1);
    await pool.query(`UPDATE users SET deleted_at = now() - interval '6 years' WHERE id = $1`, [gone.userId]);
    const overdue = newId('dar');
    const fresh = newId('dar');
    const answered = newId('dar');
    await pool.query(
      `INSERT INTO data_access_requests (id, user_id, type, created_at, due_at) VALUES
         ($1, $2, 'erasure', now() - interval '40 days', now() - interval '9 days 2 hours'),
         ($3, $4, 'rectification', now() - interval '2 days', now() + interval '28 days')`,
      [overdue, kari.userId, fresh, ola.userId],
    );
    await pool.query(
      `INSERT INTO data_access_requests (id, user_id, type, status, completed_at, created_at) VALUES ($1, $2, 'export', 'completed', now(), now() - interval '1 day')`,
      [answered, ola.userId],
    );

    const support = await visitApp(bed, ConsoleDataRequests, { viewport: WIDE_DESKTOP });
    try {
      const { app, page } = support;
      const staff = await newStaffMember(pool, { role: 'support', name: 'Siri Support', dataEncryptionKey: DATA_KEY });
      await app.enrolAndSignIn({ ...staff, password: PASSWORD });
      await app.waitForHeading('Oversikt');
      // The overview counts the two open requests and links to the page.
      const queue = page.getByTestId('queue-dataRequests');
      await eventually(async () => assert.match(await text(queue), /Dataforespørsler med frist\s*2/));
      await queue.getByRole('link').click();
      await app.waitForHeading('Dataforespørsler');
      assert.equal(app.pathname(), '/console/data-requests');

      await app.waitForRequests([overdue, fresh, answered]);
      const first = app.requestRow(overdue);
      assert.equal(await first.getAttribute('data-overdue'), 'true');
      assert.match((await first.getAttribute('class')) ?? '', /row-alert/);
      assert.equal(await text(first.getByTestId('case-overdue')), '9 dager på overtid');
      assert.match(await text(first), /Sletting/);
      assert.match(await text(first), /Kari Nordmann/);
      assert.equal(await text(first.getByTestId('data-request-status')), 'Mottatt');
      assert.equal(await app.requestRow(fresh).getAttribute('data-overdue'), 'false');
      assert.equal(await app.requestRow(answered).getByTestId('data-request-open').count(), 0, 'an answered request is closed');
      await screenshot(page, 'console-data-requests-list');

      await app.answer(overdue, 'Under behandling', 'Sjekker hva hvitvaskingsloven krever at vi beholder');
      await eventually(async () =>
        assert.equal(await text(app.requestRow(overdue).getByTestId('data-request-status')), 'Under behandling'),
      );
      // Still overdue while in progress.
      assert.equal(await app.requestRow(overdue).getAttribute('data-overdue'), 'true');

      await app.requestRow(overdue).getByTestId('data-request-open').click();
      const dialog = page.getByTestId('data-request-dialog');
      assert.match(await text(dialog.getByTestId('data-request-notes')), /in_progress: Sjekker hva hvitvaskingsloven krever/);
      await screenshot(page, 'console-data-requests-answer');
      await dialog.getByRole('button', { name: 'Avbryt' }).click();
      await app.answer(overdue, 'Fullført', 'Kontoen er sperret; AML-data beholdes i fem år');
      await eventually(async () => assert.equal(await app.requestRow(overdue).getAttribute('data-status'), 'completed'));
      assert.equal(await app.requestRow(overdue).getAttribute('data-overdue'), 'false');
      await app.waitForRequests([fresh, answered, overdue]);

      const { rows } = await pool.query('SELECT status, completed_at FROM data_access_requests WHERE id = $1', [overdue]);
      assert.equal(rows[0].status, 'completed');
      assert.ok(rows[0].completed_at instanceof Date);
      const audited = await pool.query(
        `SELECT details ->> 'to' AS "to" FROM audit_log WHERE action = 'data_request_status_changed' AND resource_id = $1 ORDER BY seq`,
        [overdue],
      );
      assert.deepEqual(
        audited.rows.map((row) => row.to),
        ['in_progress', 'completed'],
      );

      // An objection came by letter two days ago: support records it; a wrong customer id is refused first.
      const twoDaysAgo = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date(Date.now() - 2 * 86_400_000));
      const refused = await app.record({
        userId: newId('usr'),
        typeLabel: 'Innsigelse',
        channelLabel: 'Brev',
        receivedOn: twoDaysAgo,
        note: 'Protesterer mot markedsføring',
      });
      assert.equal(await text(refused.getByTestId('data-request-record-error')), 'Ingen kunde har den ID-en.');
      await refused.getByRole('button', { name: 'Avbryt' }).click();
      const recorded = await app.record({
        userId: ola.userId,
        typeLabel: 'Innsigelse',
        channelLabel: 'Brev',
        receivedOn: twoDaysAgo,
        note: 'Protesterer mot markedsføring',
      });
      await page.getByTestId('data-request-done').waitFor();
      assert.equal(await recorded.count(), 0, 'the dialog closed');
      const objection = await pool.query<{ id: string; channel: string; received_on: string; due: string }>(
        `SELECT id, channel, to_char(received_on, 'YYYY-MM-DD') AS received_on,
                to_char(due_at AT TIME ZONE 'Europe/Oslo', 'YYYY-MM-DD') AS due
           FROM data_access_requests WHERE type = 'objection' AND user_id = $1`,
        [ola.userId],
      );
      assert.equal(objection.rowCount, 1, 'one objection, the refused attempt stored nothing');
      const objectionId = objection.rows[0]?.id as string;
      assert.equal(objection.rows[0]?.channel, 'letter');
      assert.equal(objection.rows[0]?.received_on, twoDaysAgo);
      const row = app.requestRow(objectionId);
      await eventually(async () => assert.equal(await text(row.getByTestId('data-request-status')), 'Mottatt'));
      assert.match(await text(row), /Innsigelse\s*Brev/);
      assert.match(await text(row), /Ola Nordmann/);
      const [year, month, day] = twoDaysAgo.split('-').map(Number);
      const nbMonths = [
        'januar',
        'februar',
        'mars',
        'april',
        'mai',
        'juni',
        'juli',
        'august',
        'september',
        'oktober',
        'november',
        'desember',
      ];
      assert.equal(await text(row.getByTestId('data-request-received-on')), `${day}. ${nbMonths[(month ?? 1) - 1]} ${year}`);
      await screenshot(page, 'console-data-requests-recorded');
      await app.answer(objectionId, 'Fullført', 'Markedsføring er slått av for kunden');
      await eventually(async () => assert.equal(await app.requestRow(objectionId).getAttribute('data-status'), 'completed'));
      const recordedAudit = await pool.query(`SELECT actor FROM audit_log WHERE action = 'data_request_recorded' AND resource_id = $1`, [
        objectionId,
      ]);
      assert.match(recordedAudit.rows[0]?.actor, /^stf_/);

      // The retention rules, with what is due now: the customer gone six years.
      const retention = page.getByTestId('retention-rules');
      await retention.scrollIntoViewIfNeeded();
      assert.match(await text(retention.getByRole('heading')), /^Lagringstid$/);
      const personal = app.retentionRule('ended_customer_personal_data');
      await eventually(async () => assert.equal(await text(personal.getByTestId('retention-due')), '1'));
      assert.equal(await text(personal.getByTestId('retention-keep-for')), '5 år');
      assert.match(await text(personal), /Hvitvaskingsloven § 30/);
      assert.match(await text(personal), /Anonymiseres/);
      assert.equal(await text(app.retentionRule('ended_sessions').getByTestId('retention-due')), '0');
      assert.equal(await text(retention.getByTestId('retention-last-run')), 'Jobben har ikke kjørt ennå.');
      await screenshot(page, 'console-data-requests-retention', { fullPage: true });

      await app.switchLanguage('EN');
      await app.waitForHeading('Data requests');
      assert.equal(await text(app.requestRow(fresh).getByTestId('data-request-status')), 'Received');
      assert.match(await text(app.requestRow(fresh)), /Rectification/);
      assert.match(await text(app.requestRow(objectionId)), /Objection\s*Letter/);
      assert.equal(await text(app.retentionRule('ended_customer_personal_data').getByTestId('retention-keep-for')), '5 years');
      assert.equal(await text(page.getByTestId('retention-rules').getByRole('heading')), 'Retention');
      await screenshot(page, 'console-data-requests-en');
      // The one 404 is the refused unknown customer id, on purpose.
      assert.deepEqual(
        (await support.problems.list()).filter((problem) => !/status of 404 .*\/api\/staff\/data-requests\)$/.test(problem)),
        [],
      );
    } finally {
      await support.context.close();
    }

    const officer = await visitApp(bed, ConsoleDataRequests, { viewport: WIDE_DESKTOP });
    try {
      const { app, page } = officer;
      const staff = await newStaffMember(pool, { role: 'compliance_officer', name: 'Cecilie Compliance', dataEncryptionKey: DATA_KEY });
      await app.enrolAndSignIn({ ...staff, password: PASSWORD });
      await app.waitForHeading('Oversikt');
      assert.ok(!(await app.sections()).includes('Dataforespørsler'));
      const status = await page.evaluate(async () => (await fetch('/api/staff/data-requests')).status);
      assert.equal(status, 403);
    } finally {
      await officer.context.close();
    }
  });
});
