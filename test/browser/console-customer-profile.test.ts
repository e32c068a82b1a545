/**
 * The customer profile in the console, in a real Chromium against a real server (issue 16): support
 * finds Kari on the Customers page and opens her profile, which shows her identity (national id
 * masked for support), standing, limits and usage, her transfer (linked to the transfer page, which
 * links back), her recipient, her sessions, her KYC history and a colleague's note; support adds a
 * note and may end her sessions but is not offered a block. A compliance officer sees the national id
 * in full and the block proposal, but not the end-sessions button. Screenshots in nb and en, at
 * 1280 px and on a phone; no raw status or action code is shown in Norwegian.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { addCustomerNote, recordAuditEvent } from '@drop/core';
import { testPerson } from '../../packages/simulators/src/bankid-test-provider/people.ts';
import { type TestCustomer, transferAs, verifiedCustomer } from '../support/customers.ts';
import { newStaffMember } from '../support/staff.ts';
import { ConsoleAdmin } from './pages/console-admin.ts';
import { eventually, screenshot, text, useBrowserTestBed, visitApp } from './support.ts';

const DATA_KEY = randomBytes(32).toString('base64');
const PASSWORD = 'en lang setning til konsollen 7';
const AT_1280 = { width: 1280, height: 900 };
const KARI = testPerson('kari');

/** Codes that must never reach the Norwegian page as they are. */
const RAW_CODES = /awaiting_funds|kyc_status_changed|kyc_started|revoked_by_staff|not_started|on_hold|bank_account|\bapproved\b|\bfamily\b/;

describe('console: the customer profile', () => {
  const bed = useBrowserTestBed({ DATA_ENCRYPTION_KEY: DATA_KEY });
  let kari: TestCustomer;
  let transferId: string;

  before(async () => {
    const pool = bed.database.pool;
    kari = await verifiedCustomer(bed.origin, pool, 'kari');
    transferId = (await transferAs(kari, '1500')).id;
    // Her verification: started, then approved by Sumsub.
    await pool.query(
      `INSERT INTO kyc_applicants (user_id, applicant_id, level_name, review_status, review_answer, decided_by)
                      VALUES ($1, 'applicant-kari', 'basic-kyc-level', 'completed', 'GREEN', 'sumsub')`,
      [kari.userId],
    );
    await recordAuditEvent(pool, {
      action: 'kyc_started',
      resourceType: 'user',
      resourceId: kari.userId,
      actor: kari.userId,
      details: { levelName: 'basic-kyc-level' },
    });
    await recordAuditEvent(pool, {
      action: 'kyc_status_changed',
      resourceType: 'user',
      resourceId: kari.userId,
      actor: 'sumsub',
      details: { from: 'pending', to: 'approved', reason: 'sumsub:applicantReviewed' },
    });
    // A colleague's note from earlier.
    const colleague = await newStaffMember(pool, { role: 'support', name: 'Nina Notat', dataEncryptionKey: DATA_KEY });
    const colleagueId = (await pool.query<{ id: string }>('SELECT id FROM staff WHERE email = $1', [colleague.email])).rows[0]
      ?.id as string;
    await addCustomerNote(pool, { userId: kari.userId, staffId: colleagueId, body: 'Kunden ringte om kvitteringen.' });
  });

  test('support opens Kari from the Customers page: every section shows her data; support may end sessions, not block', async () => {
    const { context, app, problems } = await visitApp(bed, ConsoleAdmin, { viewport: AT_1280 });
    try {
      const support = await newStaffMember(bed.database.pool, { role: 'support', name: 'Siri Support', dataEncryptionKey: DATA_KEY });
      await app.enrolAndSignIn({ ...support, password: PASSWORD });
      await app.openProfileFromSearch(kari.email, 'Kari Nordmann');
      assert.equal(app.pathname(), `/console/customers/${kari.userId}`);
      assert.equal(await app.page.title(), 'Kundeprofil · Drop Console');

      // Identity: the national id masked for support, no address kept.
      assert.equal(await text(app.fact('identity-name')), 'Kari Nordmann');
      assert.equal(await text(app.fact('identity-birth-date')), '12. april 1985');
      assert.match(
        await text(app.fact('identity-national-id')),
        new RegExp(`^${KARI.nationalId.slice(0, 6)}\\*{5}\\s*Skjult for rollen din`),
      );
      assert.match(await text(app.fact('identity-address')), /^Ikke registrert/);
      assert.equal(await text(app.fact('identity-email')), kari.email);
      assert.equal(await text(app.fact('profile-kyc-status')), 'Godkjent');
      assert.equal(await text(app.fact('profile-account')), 'Aktiv');
      assert.equal(await text(app.fact('profile-transfer-total')), '1');

      // Limits and usage, transfers, recipients, sessions, KYC history, notes.
      assert.match(await text(app.fact('limit-per-transfer')), /^50 000 kr$/);
      assert.match(await text(app.fact('limit-30-days')), /^1 5\d\d kr av 100 000 kr$/);
      assert.match(await text(app.fact('limit-12-months')), /^1 5\d\d kr av 300 000 kr$/);
      const transferRows = app.page.getByTestId('profile-transfer-row');
      assert.equal(await transferRows.count(), 1);
      assert.equal(await transferRows.first().getAttribute('data-transfer-id'), transferId);
      // The reference a customer reads aloud, as the database issued it; and the customer's number.
      const issued = await bed.database.pool.query<{ reference: string; customer_number: string }>(
        'SELECT t.reference, u.customer_number FROM transactions t JOIN users u ON u.id = t.user_id WHERE t.id = $1',
        [transferId],
      );
      assert.equal(await text(transferRows.first().getByTestId('profile-transfer-reference')), issued.rows[0]?.reference);
      assert.equal((await text(app.fact('identity-customer-number'))).replace(/\s/g, ''), issued.rows[0]?.customer_number);
      assert.match(await text(transferRows.first()), /Venter på betaling/);
      const recipientRows = app.page.getByTestId('profile-recipient-row');
      assert.equal(await recipientRows.count(), 1);
      assert.match(await text(recipientRows.first()), /Anna Schmidt.*Familie.*IBAN · EUR.*Tyskland/);
      await eventually(async () =>
        assert.ok((await app.page.locator('[data-testid="profile-session-row"][data-live="true"]').count()) >= 1),
      );
      const history = app.page.getByTestId('profile-kyc').getByTestId('history-entry');
      assert.equal(await history.count(), 2);
      assert.equal(await text(app.notes().first().getByTestId('note-body')), 'Kunden ringte om kvitteringen.');
      assert.equal(await text(app.notes().first().getByTestId('note-author')), 'Nina Notat');

      // What support may do: end sessions, write notes; no block proposal.
      assert.equal(await app.page.getByTestId('end-sessions-button').isEnabled(), true);
      assert.equal(await app.page.getByTestId('propose-block-button').count(), 0, 'support may not propose a block');
      assert.doesNotMatch(await text(app.profile()), RAW_CODES);
      await screenshot(app.page, 'console-customer-profile-support');

      await app.addNote('Sendte ny kvittering på e-post.');
      await eventually(async () => assert.equal(await app.notes().count(), 2));
      assert.equal(await text(app.notes().first().getByTestId('note-body')), 'Sendte ny kvittering på e-post.');
      assert.equal(await text(app.notes().first().getByTestId('note-author')), 'Siri Support');
      const audited = await bed.database.pool.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'customer_profile_viewed' AND resource_id = $1`,
        [kari.userId],
      );
      assert.ok(audited.rows[0].n >= 1, 'opening the profile is audited');

      // English, then the transfer page, whose customer links back to the profile.
      await app.switchLanguage('EN');
      await eventually(async () => assert.match(await text(app.fact('identity-address')), /^Not recorded/));
      assert.match(await text(app.fact('limit-30-days')), /^NOK 1,5\d\d of NOK 100,000$/);
      await screenshot(app.page, 'console-customer-profile-support-en');
      await app.switchLanguage('NB');
      await transferRows.first().getByRole('link').first().click();
      await eventually(async () => assert.equal(app.pathname(), `/console/transfers/${transferId}`));
      await app.page.getByTestId('transfer-customer').getByRole('link', { name: 'Kari Nordmann' }).click();
      await app.waitForProfile('Kari Nordmann');

      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });

  test('a compliance officer sees the national id in full and may propose a block, but not end sessions', async () => {
    const { context, app, problems } = await visitApp(bed, ConsoleAdmin, { viewport: AT_1280 });
    try {
      const officer = await newStaffMember(bed.database.pool, {
        role: 'compliance_officer',
        name: 'Olav Officer',
        dataEncryptionKey: DATA_KEY,
      });
      await app.enrolAndSignIn({ ...officer, password: PASSWORD });
      await app.goto(`/console/customers/${kari.userId}`);
      await app.waitForProfile('Kari Nordmann');
      assert.equal(await text(app.fact('identity-national-id')), KARI.nationalId);
      await app.page.getByTestId('propose-block-button').waitFor();
      assert.equal(await app.page.getByTestId('end-sessions-button').count(), 0, 'an officer may not end sessions');
      assert.equal(await app.page.getByTestId('profile-kyc-case').count(), 1, 'the KYC case is one click away');
      await screenshot(app.page, 'console-customer-profile-officer');
      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });

  test('on a phone the profile stacks its sections', async () => {
    const { context, app, problems } = await visitApp(bed, ConsoleAdmin, { phone: true });
    try {
      const support = await newStaffMember(bed.database.pool, { role: 'support', name: 'Per Telefon', dataEncryptionKey: DATA_KEY });
      await app.enrolAndSignIn({ ...support, password: PASSWORD });
      await app.goto(`/console/customers/${kari.userId}`);
      await app.waitForProfile('Kari Nordmann');
      const overflow = await app.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `no sideways scrolling (${overflow} px)`);
      await screenshot(app.page, 'console-customer-profile-phone');
      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });
});
