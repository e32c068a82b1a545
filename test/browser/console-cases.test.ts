/**
 * AML cases in the console, in a real Chromium against a real server: a compliance officer closes
 * an alert as escalated, follows it to the case it opened, sees the alert and the customer's
 * transfer on the timeline, adds a note, starts the investigation and takes the case; the case has
 * a "Draft STR" link for the STR pages. A compliance lead sees the case in the overdue view (and
 * counted on the overview) once its due date has passed (moved there in SQL). From an open alert
 * an officer opens a case, adds the customer's next alert to it, and closes it: "reported" is
 * refused without a filed STR, "no suspicion" closes it. Support has no Cases section.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { SequenceKidAllocator } from '../../packages/core/src/payments/kid-allocator.ts';
import { seedLargeTransferAlert, seedSanctionsAlert } from '../support/aml-alerts.ts';
import { fixedRates, makeTransfer, verifiedCustomer } from '../support/money.ts';
import { newStaffMember } from '../support/staff.ts';
import { ConsoleCases } from './pages/console-cases.ts';
import { eventually, screenshot, text, useBrowserTestBed, visitApp, WIDE_DESKTOP } from './support.ts';

const DATA_KEY = randomBytes(32).toString('base64');
const PASSWORD = 'en lang setning til konsollen 7';

describe('console: AML cases', () => {
  const bed = useBrowserTestBed({ DATA_ENCRYPTION_KEY: DATA_KEY });

  test('an officer escalates an alert to a case and works it; the lead sees it overdue', async () => {
    const pool = bed.database.pool;
    const rates = fixedRates({ EUR: '11.7035' });
    await rates.refresh();
    const kari = await verifiedCustomer(pool, 1);
    await pool.query(`UPDATE users SET email = 'kari.case@example.no' WHERE id = $1`, [kari.userId]);
    const kids = new SequenceKidAllocator({ method: 'MOD10', length: 12 });
    const transfer = await makeTransfer(pool, { ...kari, nok: 1000, rates, kids });
    const alertId = await seedLargeTransferAlert(pool, { userId: kari.userId, transactionId: transfer.id });

    let caseId = '';
    const officer = await visitApp(bed, ConsoleCases, { viewport: WIDE_DESKTOP });
    try {
      const { app } = officer;
      const staff = await newStaffMember(pool, { role: 'compliance_officer', name: 'Cecilie Compliance', dataEncryptionKey: DATA_KEY });
      await app.enrolAndSignIn({ ...staff, password: PASSWORD });
      await app.waitForHeading('Oversikt');
      await app.goToSection('AML-varsler');
      await app.waitForList([alertId]);
      await app.openAlert(alertId);
      await app.fillCloseDialog('escalated', 'Mønster som bør undersøkes');
      assert.match(await text(app.page.getByTestId('close-alert-escalates')), /kundens åpne sak/);
      await app.confirmClose('Lukket');
      assert.equal(await text(app.page.getByTestId('alert-outcome')), 'Eskalert til sak');
      await eventually(async () => assert.match(await text(app.page.getByTestId('alert-case')), /Varselet hører til en sak/));
      await screenshot(app.page, 'console-cases-alert-escalated');

      caseId = await app.followAlertToCase();
      assert.equal(app.pathname(), `/console/cases/${caseId}`);
      // The escalated case is titled in the reader's language from the rule (the row keeps plain English).
      assert.equal(await text(app.page.locator('h1')), 'Eskalert varsel: Stor overføring');
      assert.equal(
        (await pool.query('SELECT title FROM aml_cases WHERE id = $1', [caseId])).rows[0].title,
        'Escalated alert: large_transfer',
      );
      assert.equal(await text(app.page.getByTestId('case-customer-name')), 'Kari Nordmann');
      assert.equal(await text(app.page.getByTestId('case-customer-email')), 'kari.case@example.no');
      assert.equal(await text(app.page.getByTestId('case-customer-kyc')), 'Godkjent');
      assert.equal(await app.page.locator(`[data-testid="case-alert-row"][data-alert-id="${alertId}"]`).count(), 1);
      // The timeline: the alert raised and closed, the case opened and the alert added, the customer's transfer.
      await app.waitForTimelineEntry(new RegExp(`^alert:raised:${alertId}$`));
      await app.waitForTimelineEntry(new RegExp(`^transfer:awaiting_funds:${transfer.id}$`));
      await app.waitForTimelineEntry(/^case:opened:$/);
      assert.match(
        await text(app.page.locator('[data-testid="case-timeline-entry"][data-source="case"][data-kind="opened"]')),
        /åpnet saken: Eskalert varsel: Stor overføring/,
      );
      await app.waitForTimelineEntry(/^case:alert_added:$/);
      const draft = app.page.getByTestId('case-draft-str');
      assert.equal(await draft.getAttribute('href'), `/console/strs/new?case=${encodeURIComponent(caseId)}`);

      await app.addNote('Ringte kunden, venter på dokumentasjon');
      await app.startInvestigation('Under undersøkelse');
      await app.assignCaseToMe(/Cecilie Compliance/);
      await app.waitForTimelineEntry(/^case:noted:$/);
      await app.waitForTimelineEntry(/^case:status_changed:$/);
      await screenshot(app.page, 'console-cases-case-page', { fullPage: true });

      const { rows } = await pool.query('SELECT status, assigned_to FROM aml_cases WHERE id = $1', [caseId]);
      const staffId = (await pool.query('SELECT id FROM staff WHERE email = $1', [staff.email])).rows[0].id;
      assert.deepEqual(rows[0], { status: 'investigating', assigned_to: staffId });
      const events = await pool.query('SELECT kind FROM aml_case_events WHERE case_id = $1 ORDER BY id', [caseId]);
      assert.deepEqual(
        events.rows.map((row) => row.kind),
        ['opened', 'alert_added', 'noted', 'status_changed', 'assigned'],
      );

      // The list: active, not overdue.
      await app.goToSection('Saker');
      await app.waitForCases([caseId]);
      assert.equal(await app.caseRow(caseId).getAttribute('data-overdue'), 'false');
      await app.showCases('overdue');
      await app.waitForCases([]);
      assert.deepEqual(await app.unexpectedProblems(officer.problems), []);
    } finally {
      await officer.context.close();
    }

    // The duty to investigate has passed its due date.
    await pool.query(
      `UPDATE aml_cases SET opened_at = now() - interval '40 days', due_at = now() - interval '4 days 3 hours' WHERE id = $1`,
      [caseId],
    );
    const lead = await visitApp(bed, ConsoleCases, { viewport: WIDE_DESKTOP });
    try {
      const { app } = lead;
      const staff = await newStaffMember(pool, { role: 'compliance_lead', name: 'Lars Leder', dataEncryptionKey: DATA_KEY });
      await app.enrolAndSignIn({ ...staff, password: PASSWORD });
      await app.waitForHeading('Oversikt');
      await eventually(async () => assert.equal(await text(app.page.getByTestId('overdue-cases-count')), '1'));
      await screenshot(app.page, 'console-cases-lead-overview');
      await app.page.getByTestId('queue-overdue-cases').getByRole('link').click();
      await app.waitForHeading('Saker');
      await app.waitForCases([caseId]);
      assert.equal(app.pathname(), '/console/cases');
      assert.equal(await app.page.getByTestId('case-view-overdue').getAttribute('aria-pressed'), 'true');
      const row = app.caseRow(caseId);
      assert.equal(await row.getAttribute('data-overdue'), 'true');
      assert.equal(await text(row.getByTestId('case-overdue')), '4 dager på overtid');
      assert.equal(await text(row.getByTestId('case-alert-count')), '1');
      await screenshot(app.page, 'console-cases-overdue-view');

      await app.switchLanguage('EN');
      await eventually(async () => assert.equal(await text(row.getByTestId('case-overdue')), '4 days overdue'));
      await row.getByTestId('case-open').click();
      assert.equal(await app.shownCaseId(), caseId);
      await eventually(async () => assert.match(await text(app.page.getByTestId('case-timeline')), /wrote a note/));
      assert.deepEqual(await app.unexpectedProblems(lead.problems), []);
    } finally {
      await lead.context.close();
    }
  });
  test('an officer opens a case from an alert, adds the next alert to it and closes it; support has no access', async () => {
    const pool = bed.database.pool;
    const ola = await verifiedCustomer(pool, 1);
    const first = await seedSanctionsAlert(pool, { userId: ola.userId });
    const rates = fixedRates({ EUR: '11.7035' });
    await rates.refresh();
    const kids = new SequenceKidAllocator({ method: 'MOD10', length: 12 });
    const transfer = await makeTransfer(pool, { ...ola, nok: 2000, rates, kids });
    const second = await seedLargeTransferAlert(pool, { userId: ola.userId, transactionId: transfer.id });

    const officer = await visitApp(bed, ConsoleCases, { viewport: WIDE_DESKTOP });
    try {
      const { app } = officer;
      const staff = await newStaffMember(pool, { role: 'compliance_officer', name: 'Oda Officer', dataEncryptionKey: DATA_KEY });
      await app.enrolAndSignIn({ ...staff, password: PASSWORD });
      await app.waitForHeading('Oversikt');
      await app.page.goto(`${bed.origin}/console/aml-alerts/${first.alertId}`);
      await app.page.getByTestId('alert-open-case').click();
      const caseId = await app.shownCaseId();
      assert.equal(await app.page.locator(`[data-testid="case-alert-row"][data-alert-id="${first.alertId}"]`).count(), 1);
      await app.waitForTimelineEntry(new RegExp(`^alert:raised:${first.alertId}$`));
      await app.waitForTimelineEntry(/^screening:open:scm_/);

      // The customer's next alert: its page offers to add it to the open case.
      await app.page.goto(`${bed.origin}/console/aml-alerts/${second}`);
      const add = app.page.getByTestId('alert-add-to-case');
      await eventually(async () => assert.match(await text(add), /^Legg til i saken «Undersøkelse: /));
      await add.click();
      assert.equal(await app.shownCaseId(), caseId);
      await eventually(async () => assert.equal(await app.page.getByTestId('case-alert-row').count(), 2));
      await app.page.goto(`${bed.origin}/console/aml-alerts/${second}`);
      await eventually(async () => assert.equal(await app.page.getByTestId('alert-case-link').count(), 1));

      // Closing: reported needs a filed STR of the case; no suspicion closes it.
      await app.page.goto(`${bed.origin}/console/cases/${caseId}`);
      await app.shownCaseId();
      await app.page.getByTestId('case-close').click();
      const dialog = app.page.getByTestId('close-case-dialog');
      await dialog.getByTestId('case-outcome-reported').check();
      await dialog.getByTestId('close-case-notes').fill('Rapportert');
      await dialog.getByTestId('dialog-confirm').click();
      await eventually(async () =>
        assert.equal(await text(dialog.getByTestId('close-case-error')), '«Rapportert» krever en innsendt STR fra saken.'),
      );
      await screenshot(app.page, 'console-cases-close-refused');
      await dialog.getByTestId('case-outcome-no_suspicion').check();
      await dialog.getByTestId('close-case-notes').fill('Navnelikhet, annen fødselsdato');
      await dialog.getByTestId('dialog-confirm').click();
      await eventually(async () => assert.equal(await text(app.page.getByTestId('case-outcome')), 'Ingen mistanke'));
      assert.equal(await text(app.page.getByTestId('case-closing-notes')), 'Navnelikhet, annen fødselsdato');
      assert.equal(await app.page.getByTestId('case-draft-str').count(), 0, 'no Draft STR on a closed case');
      await app.waitForTimelineEntry(/^case:closed:$/);
      const { rows } = await pool.query('SELECT status, outcome, closing_notes FROM aml_cases WHERE id = $1', [caseId]);
      assert.deepEqual(rows[0], { status: 'closed', outcome: 'no_suspicion', closing_notes: 'Navnelikhet, annen fødselsdato' });
      await screenshot(app.page, 'console-cases-closed', { fullPage: true });
      assert.deepEqual(await app.unexpectedProblems(officer.problems), []);
    } finally {
      await officer.context.close();
    }

    const support = await visitApp(bed, ConsoleCases, { viewport: WIDE_DESKTOP });
    try {
      const { app } = support;
      const staff = await newStaffMember(pool, { role: 'support', name: 'Siri Support', dataEncryptionKey: DATA_KEY });
      await app.enrolAndSignIn({ ...staff, password: PASSWORD });
      await app.waitForHeading('Oversikt');
      assert.ok(!(await app.sections()).includes('Saker'));
      assert.equal(await app.page.getByTestId('queue-overdue-cases').count(), 0);
      await app.page.goto(`${bed.origin}/console/cases`);
      await eventually(async () => assert.match(await text(app.page.locator('main')), /^Ingen tilgang/));
      const status = await app.page.evaluate(async () => (await fetch('/api/staff/cases')).status);
      assert.equal(status, 403);
    } finally {
      await support.context.close();
    }
  });
});
