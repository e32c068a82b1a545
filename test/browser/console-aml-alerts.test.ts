/**
 * AML alerts in the console, in a real Chromium against a real server: a compliance officer opens
 * the alert list, sees a sanctions-match alert at the top (critical, the rule, the customer, the
 * transfer, its age), opens it and sees why it fired: the customer's name beside the listed name,
 * the overall and per-feature scores, the list record (programme, names in their scripts, birth
 * date) and the rule's facts; and a rule alert's facts. Norwegian first, then English.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { SequenceKidAllocator } from '../../packages/core/src/payments/kid-allocator.ts';
import { seedLargeTransferAlert, seedSanctionsAlert } from '../support/aml-alerts.ts';
import { fixedRates, makeTransfer, verifiedCustomer } from '../support/money.ts';
import { newStaffMember } from '../support/staff.ts';
import { ConsoleAmlAlerts } from './pages/console-aml-alerts.ts';
import { eventually, screenshot, text, useBrowserTestBed, visitApp, WIDE_DESKTOP } from './support.ts';

const DATA_KEY = randomBytes(32).toString('base64');
const PASSWORD = 'en lang setning til konsollen 7';

describe('console: AML alerts explain why they fired', () => {
  const bed = useBrowserTestBed({ DATA_ENCRYPTION_KEY: DATA_KEY });

  test('a compliance officer opens a sanctions-match alert and sees both names, the scores and the list record', async () => {
    const pool = bed.database.pool;
    const rates = fixedRates({ EUR: '11.7035' });
    await rates.refresh();
    const kari = await verifiedCustomer(pool, 1);
    await pool.query(`UPDATE users SET full_name = 'Vladimir Vladimirovitsj Putin', email = 'vvp@example.no' WHERE id = $1`, [kari.userId]);
    const kids = new SequenceKidAllocator({ method: 'MOD10', length: 12 });
    const transfer = await makeTransfer(pool, { ...kari, nok: 1000, rates, kids });
    const large = await seedLargeTransferAlert(pool, { userId: kari.userId, transactionId: transfer.id });
    const sanctions = await seedSanctionsAlert(pool, { userId: kari.userId, transactionId: transfer.id });

    const { context, app, problems } = await visitApp(bed, ConsoleAmlAlerts, { viewport: WIDE_DESKTOP });
    try {
      const staff = await newStaffMember(pool, { role: 'compliance_officer', name: 'Cecilie Compliance', dataEncryptionKey: DATA_KEY });
      await app.enrolAndSignIn({ ...staff, password: PASSWORD });
      await app.waitForHeading('Oversikt');
      await app.goToSection('AML-varsler');
      assert.equal(app.pathname(), '/console/aml-alerts');
      await app.waitForList([sanctions.alertId, large]);

      const row = app.alertRow(sanctions.alertId);
      assert.equal(await text(row.getByTestId('severity')), 'Kritisk');
      assert.match(await text(row), /Treff på sanksjonsliste/);
      assert.match(await text(row.getByTestId('aml-summary')), /matches Vladimir Vladimirovich PUTIN on ofac-sdn/);
      assert.match(await text(row), /Vladimir Vladimirovitsj Putin/);
      assert.match(await text(row), /Venter på betaling/);
      assert.match(await text(row.getByTestId('aml-amount')), /^1\s000,00\skr$/);
      await screenshot(app.page, 'console-aml-alerts');

      await app.openAlert(sanctions.alertId);
      assert.equal(app.pathname(), `/console/aml-alerts/${sanctions.alertId}`);
      await app.waitForHeading('Treff på sanksjonsliste');
      assert.equal(await text(app.page.getByTestId('alert-action')), 'Overføringen holdt tilbake');
      // The two names side by side.
      assert.match(await text(app.nameMatch().getByTestId('query-name')), /Kundens navn\s*Vladimir Vladimirovitsj Putin/);
      assert.match(await text(app.nameMatch().getByTestId('matched-name')), /Navn på ofac-sdn\s*Vladimir Vladimirovich PUTIN/);
      // The overall score and each feature's.
      assert.match(await text(app.page.getByTestId('match-score')), /Samlet treff\s*96\s%/);
      assert.deepEqual(await app.featureScores(), [
        ['Navnet', '94 %'],
        ['Likhet i navneleddene', '94 %'],
        ['Det screenede navnet funnet', '100 %'],
        ['Navnet på listen funnet', '100 %'],
      ]);
      assert.match(await text(app.page.getByTestId('match-notes')), /'vladimirovitsj' ~ 'vladimirovich' \(edit 0\.83\)/);
      // The list record.
      assert.equal(await text(app.recordFact('list')), 'ofac-sdn · 36100');
      assert.equal(await text(app.recordFact('programmes')), 'RUSSIA-EO14024');
      assert.match(await text(app.recordFact('names')), /Владимир Владимирович Путин \(alias\)/);
      assert.equal(await text(app.recordFact('birthDates')), '1952-10-07');
      assert.equal(await text(app.recordFact('countries')), 'RU');
      // The rule's facts.
      assert.equal(await text(app.fact('threshold')), '0.88');
      assert.equal(await text(app.fact('list')), 'ofac-sdn');
      await screenshot(app.page, 'console-aml-alert-sanctions');

      // In English too.
      await app.page.getByRole('button', { name: /^EN/ }).click();
      await app.waitForHeading('Sanctions list match');
      assert.match(await text(app.nameMatch().getByTestId('query-name')), /Customer's name\s*Vladimir Vladimirovitsj Putin/);
      assert.match(await text(app.page.getByTestId('match-score')), /Overall match\s*96%/);
      await screenshot(app.page, 'console-aml-alert-sanctions-en');

      // A rule alert shows its facts and no name match.
      await app.page.goto(`${bed.origin}/console/aml-alerts/${large}`);
      await app.waitForHeading('Large transfer');
      await eventually(async () => assert.equal(await text(app.fact('amountNok')), '50001.00'));
      assert.equal(await app.nameMatch().count(), 0);
      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });
});
