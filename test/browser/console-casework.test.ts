/**
 * Issue 13's "done when", end to end in a real Chromium against a real server, with three staff
 * members in three browsers:
 * - a compliance officer closes one customer's alert with notes (as the runbook's review query
 *   then reads it);
 * - a compliance lead escalates another customer's sanctions alert to a case, drafts an STR from
 *   the case through its "Draft STR" link and submits it; their own approval is refused (the
 *   buttons disabled with the reason, the API 403 FOUR_EYES_REQUIRED), and they record that the
 *   Ministry of Foreign Affairs (UD) was told of the sanctions hit;
 * - a second lead approves and files it: the row is what the runbook's STR INSERT writes, the
 *   goAML download validates against the 5.0.1 schema, and the notice to UD names the listed person.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { SequenceKidAllocator } from '../../packages/core/src/payments/kid-allocator.ts';
import { seedLargeTransferAlert, seedSanctionsAlert } from '../support/aml-alerts.ts';
import { goamlSchemaErrors } from '../support/goaml-validate.ts';
import { fixedRates, makeTransfer, verifiedCustomer } from '../support/money.ts';
import { newStaffMember } from '../support/staff.ts';
import { ConsoleCases } from './pages/console-cases.ts';
import { ConsoleStrs } from './pages/console-strs.ts';
import { eventually, screenshot, text, useBrowserTestBed, visitApp, WIDE_DESKTOP } from './support.ts';

const DATA_KEY = randomBytes(32).toString('base64');
const PASSWORD = 'en lang setning til konsollen 7';

describe('console: casework from alert to filed STR (issue 13)', () => {
  const bed = useBrowserTestBed({ DATA_ENCRYPTION_KEY: DATA_KEY });

  test('an officer closes an alert; a lead escalates another to a case and drafts an STR they cannot approve; a second lead approves and files it', async () => {
    const pool = bed.database.pool;
    const rates = fixedRates({ EUR: '11.7035' });
    await rates.refresh();
    const kids = new SequenceKidAllocator({ method: 'MOD10', length: 12 });
    const ola = await verifiedCustomer(pool, 1);
    const olaTransfer = await makeTransfer(pool, { ...ola, nok: 1000, rates, kids });
    const olaAlert = await seedLargeTransferAlert(pool, { userId: ola.userId, transactionId: olaTransfer.id });
    const kari = await verifiedCustomer(pool, 2);
    const kariTransfer = await makeTransfer(pool, { ...kari, nok: 48_000, rates, kids });
    const kariAlert = (await seedSanctionsAlert(pool, { userId: kari.userId, transactionId: kariTransfer.id })).alertId;

    const officerVisit = await visitApp(bed, ConsoleCases, { viewport: WIDE_DESKTOP });
    const drafterVisit = await visitApp(bed, ConsoleCases, { viewport: WIDE_DESKTOP });
    const approverVisit = await visitApp(bed, ConsoleStrs, { viewport: WIDE_DESKTOP, acceptDownloads: true });
    try {
      // 1. The officer closes Ola's alert with notes; the runbook's review query no longer lists it.
      const officer = officerVisit.app;
      await officer.enrolAndSignIn({
        ...(await newStaffMember(pool, { role: 'compliance_officer', name: 'Oda Offiser', dataEncryptionKey: DATA_KEY })),
        password: PASSWORD,
      });
      await officer.waitForHeading('Oversikt');
      await officer.goToSection('AML-varsler');
      await officer.openAlert(olaAlert);
      await officer.fillCloseDialog('legitimate', 'Lønn fra arbeidsgiver, kontrollert mot lønnsslipp');
      await officer.confirmClose('Lukket');
      const closed = await pool.query(`SELECT status, reviewed_at, reviewer_notes, outcome FROM aml_alerts WHERE id = $1`, [olaAlert]);
      assert.equal(closed.rows[0].status, 'closed');
      assert.ok(closed.rows[0].reviewed_at instanceof Date);
      assert.equal(closed.rows[0].reviewer_notes, 'Lønn fra arbeidsgiver, kontrollert mot lønnsslipp');
      assert.equal(closed.rows[0].outcome, 'legitimate');

      // 2. A lead escalates Kari's sanctions alert to a case and drafts an STR from it.
      const drafter = drafterVisit.app;
      const drafterStaff = await newStaffMember(pool, { role: 'compliance_lead', name: 'Lars Leder', dataEncryptionKey: DATA_KEY });
      await drafter.enrolAndSignIn({ ...drafterStaff, password: PASSWORD });
      await drafter.waitForHeading('Oversikt');
      await drafter.goToSection('AML-varsler');
      await drafter.openAlert(kariAlert);
      await drafter.fillCloseDialog('escalated', 'Navnet og fødselsdatoen samsvarer med listeføringen');
      await drafter.confirmClose('Lukket');
      const caseId = await drafter.followAlertToCase();
      await drafter.page.getByTestId('case-draft-str').click();
      const drafting = new ConsoleStrs(drafter.page, drafter.baseUrl);
      await drafting.waitForHeading('Ny STR fra sak');
      await drafting.waitForDraftForm();
      assert.equal(await drafting.transferChoices().count(), 1);
      assert.equal(await drafting.transferChoices().first().isChecked(), true, 'the alerted transfer is picked');
      await drafting.fillGrounds(
        'Kunden samsvarer med en oppføring på sanksjonslisten (navn og fødselsdato). Overføringen på 48 000 kr er holdt tilbake og ikke utbetalt.',
      );
      const strId = await drafting.saveDraft();
      await drafting.stepButton('str-submit').click();
      await drafting.waitForStatus('awaiting_approval');

      // The drafter cannot approve it: not in the page, not through the API.
      assert.equal(await drafting.stepButton('str-approve').isDisabled(), true);
      assert.match(await text(drafting.whyDisabled('str-approve')), /Du skrev denne STR-en/);
      assert.equal(await drafting.stepButton('str-reject').isDisabled(), true);
      assert.match(await text(drafting.whyDisabled('str-reject')), /en annen leder må avvise den/);
      const refusal = await drafting.page.evaluate(async (id) => {
        const response = await fetch(`/api/staff/strs/${id}/approve`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({}),
        });
        return { status: response.status, code: ((await response.json()) as { code?: string }).code };
      }, strId);
      assert.deepEqual(refusal, { status: 403, code: 'FOUR_EYES_REQUIRED' });
      assert.equal((await pool.query('SELECT status, approved_by FROM str_reports WHERE id = $1', [strId])).rows[0].approved_by, null);

      // A sanctions hit is also reported to UD; the drafter records that it was done, and the
      // banner that said UD must be notified now says when it was.
      assert.match(await text(drafting.page.getByTestId('str-sanctions-banner')), /UD skal også varsles/);
      await drafting.page.getByTestId('str-mfa-notified').click();
      await eventually(async () => assert.doesNotMatch(await text(drafting.page.getByTestId('str-mfa')), /ikke/i));
      await eventually(async () => assert.match(await text(drafting.page.getByTestId('str-sanctions-banner')), /UD ble varslet/));
      assert.equal(await drafting.page.getByText('UD skal også varsles').count(), 0);
      assert.match(await text(drafting.page.locator('[data-testid="str-history"] [data-kind="str_mfa_notified"]')), /UD varslet/);
      await screenshot(drafting.page, 'console-casework-own-approval-refused');

      // 3. A second lead approves and files it, then downloads the goAML report and the notice to UD.
      const approver = approverVisit.app;
      await approver.enrolAndSignIn({
        ...(await newStaffMember(pool, { role: 'compliance_lead', name: 'Lise Leder', dataEncryptionKey: DATA_KEY })),
        password: PASSWORD,
      });
      await approver.waitForHeading('Oversikt');
      await eventually(async () => assert.equal(await approver.waitingCount(), '1'));
      await approver.openStr(strId);
      await approver.waitForStatus('awaiting_approval');
      await approver.stepWithDialog('str-approve', 'Grunnlaget er godt dokumentert');
      await approver.waitForStatus('approved');
      await approver.stepWithDialog('str-file', 'AR-2026-004711');
      await approver.waitForStatus('filed');
      await screenshot(approver.page, 'console-casework-filed');

      const goaml = await approver.downloadExport('goaml');
      assert.deepEqual(await goamlSchemaErrors(goaml.body), []);
      assert.match(goaml.body, new RegExp(kariTransfer.id));
      const notice = await approver.downloadExport('mfa');
      assert.match(notice.body, /Utenriksdepartementet/);
      assert.match(notice.body, /Vladimir Vladimirovich PUTIN/i);

      // What the runbook's STR filing writes, the console's filing wrote: a uuid id, the customer
      // and transfer, 'suspicious_transaction', details with reason and amount, filed_at, 'filed'.
      const { rows } = await pool.query(
        `SELECT id, user_id, transaction_id, report_type, details, filed_at, status, case_id, drafted_by, approved_by, mfa_notified_at
           FROM str_reports WHERE id = $1`,
        [strId],
      );
      const filed = rows[0];
      assert.match(filed.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.equal(filed.user_id, kari.userId);
      assert.equal(filed.transaction_id, kariTransfer.id);
      assert.equal(filed.report_type, 'suspicious_transaction');
      assert.match(filed.details.reason, /^Kunden samsvarer med en oppføring på sanksjonslisten/);
      assert.equal(filed.details.amount, 48000);
      assert.ok(filed.filed_at instanceof Date);
      assert.equal(filed.status, 'filed');
      assert.equal(filed.case_id, caseId);
      assert.notEqual(filed.approved_by, filed.drafted_by);
      assert.ok(filed.mfa_notified_at instanceof Date);

      // The case's history has every step, in order.
      const events = await pool.query(`SELECT kind FROM aml_case_events WHERE case_id = $1 AND kind LIKE 'str_%' ORDER BY id`, [caseId]);
      assert.deepEqual(
        events.rows.map((row) => row.kind),
        ['str_drafted', 'str_submitted', 'str_mfa_notified', 'str_approved', 'str_filed'],
      );

      assert.deepEqual(await officer.unexpectedProblems(officerVisit.problems), []);
      assert.deepEqual(await drafter.unexpectedProblems(drafterVisit.problems), [], 'only the refused approval');
      assert.deepEqual(await approver.unexpectedProblems(approverVisit.problems), []);
    } finally {
      await officerVisit.context.close();
      await drafterVisit.context.close();
      await approverVisit.context.close();
    }
  });
});
