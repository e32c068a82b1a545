/**
 * Identity verification (KYC), end to end in a real Chromium against a real server with the local
 * Sumsub simulator: a customer signs in with BankID, starts verification on `/kyc`, sends documents
 * in the WebSDK embedded in that page (the simulator's stand-in for Sumsub's builder script), sees
 * the page turn pending and follow the decision as the webhook lands (approved with limits and the source-of-funds question; rejected for good, which
 * blocks the account; asked to try again with the provider's message), and a compliance officer
 * decides a pending customer by hand in the console.
 *
 * The server's PUBLIC_URL is `http://localhost:<port>` and the browser goes exactly there: the
 * BankID redirect URI, the WebSDK script's address and the `__Host-` cookies all depend on it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { createStaffMember } from '@drop/core';
import type { BrowserContext, Page } from 'playwright-core';
import { waitUntil } from '../support/server.ts';
import { BankIdTestProvider } from './pages/bankid-test-provider.ts';
import { ConsoleStaff } from './pages/console-staff.ts';
import { CustomerApp } from './pages/customer-app.ts';
import { ConsoleKycCase, CustomerKyc, SumsubDashboard, SumsubWebSdk } from './pages/customer-kyc.ts';
import { DESKTOP, eventually, openWatchedPage, type PageProblems, screenshot, text, useBrowserTestBed, WIDE_DESKTOP } from './support.ts';

const DATA_KEY = randomBytes(32).toString('base64');
const STAFF_PASSWORD = 'en lang setning til konsollen 7';
/** What the simulator's reviewer writes to the customer on "reject – retry" (state.ts). */
const RETRY_MESSAGE = /Bildet av dokumentet er uskarpt/;

describe('identity verification (KYC) in the customer app and the console', () => {
  const bed = useBrowserTestBed({ DATA_ENCRYPTION_KEY: DATA_KEY });

  interface Visit {
    context: BrowserContext;
    page: Page;
    app: CustomerApp;
    kyc: CustomerKyc;
    sdk: SumsubWebSdk;
    provider: BankIdTestProvider;
    problems: PageProblems;
  }

  async function visit(viewport = DESKTOP): Promise<Visit> {
    const { context, page, problems } = await openWatchedPage(bed.browser, { viewport });
    return {
      context,
      page,
      app: new CustomerApp(page, bed.origin),
      kyc: new CustomerKyc(page, bed.origin),
      sdk: new SumsubWebSdk(page),
      provider: new BankIdTestProvider(page),
      problems,
    };
  }

  /**
   * What went wrong on a visit's pages, less what is expected: Chromium's `/favicon.ico` 404 on the
   * BankID provider's pages, and a 401 from `/api/kyc` once the session has ended (the app answers
   * it by going to the front page; the tests also ask on purpose).
   */
  async function problemsOf(visit: Visit): Promise<string[]> {
    return (await visit.problems.list()).filter(
      (problem) =>
        !/status of 404 .*\/favicon\.ico\)$/.test(problem) && !/status of 401 .*\(http:\/\/localhost:\d+\/api\/kyc\)$/.test(problem),
    );
  }

  async function signIn(visit: Visit, person: string): Promise<string> {
    await visit.app.open('/');
    await visit.app.headerSignIn().click();
    await visit.provider.waitUntilShown();
    await visit.provider.signInAs(person, 'bid');
    return visit.app.waitForHome();
  }

  async function userIdOf(page: Page): Promise<string> {
    const id = await page.evaluate(async () => ((await (await fetch('/api/me')).json()) as { data: { id: string } }).data.id);
    assert.match(id, /^usr_[0-9A-Z]{26}$/);
    return id;
  }

  async function applicantIdOf(userId: string): Promise<string> {
    const { rows } = await bed.database.pool.query<{ applicant_id: string }>('SELECT applicant_id FROM kyc_applicants WHERE user_id = $1', [
      userId,
    ]);
    assert.ok(rows[0], 'the customer has an applicant at the provider');
    return rows[0].applicant_id;
  }

  const kycStatusOf = async (userId: string) =>
    (await bed.database.pool.query<{ kyc_status: string }>('SELECT kyc_status FROM users WHERE id = $1', [userId])).rows[0]?.kyc_status;

  /** On `/kyc`: open the embedded WebSDK, send the documents, and wait for "pending" (page and provider's webhook). */
  async function sendDocuments(visit: Visit, start: 'kyc-start' | 'kyc-retry' = 'kyc-start'): Promise<void> {
    await visit.page.getByTestId(start).click();
    await visit.sdk.waitUntilShown();
    await visit.sdk.submitDocuments();
    await visit.kyc.waitForStatus('pending');
    const userId = await userIdOf(visit.page);
    await waitUntil(async () => (await kycStatusOf(userId)) === 'pending', 10_000, 'kyc_status pending');
  }

  async function kycFromPage(page: Page): Promise<number> {
    return page.evaluate(async () => (await fetch('/api/kyc', { headers: { accept: 'application/json' } })).status);
  }

  test('Ola verifies his identity: start, documents in the embedded WebSDK, pending, approved on the Sumsub dashboard, limits and source of funds', async () => {
    const ola = await visit();
    const { page, app, kyc, sdk } = ola;
    try {
      assert.equal(await signIn(ola, 'ola'), 'Hei, Ola!');
      const userId = await userIdOf(page);

      // The home page's identity card leads to /kyc.
      assert.equal(await app.kycCard().getAttribute('data-status'), 'not_started');
      const action = page.getByTestId('kyc-card-action');
      assert.equal(await text(action), 'Bekreft identiteten');
      await screenshot(page, 'customer-kyc-home-not-started', { fullPage: false });
      await action.click();
      await kyc.waitForStatus('not_started');
      assert.equal(await text(kyc.headline()), 'Bekreft identiteten din');
      assert.equal(await page.title(), 'Identitetskontroll – Drop');
      assert.equal(await text(kyc.startButton()), 'Start verifisering');
      await screenshot(page, 'customer-kyc-not-started');

      // The WebSDK opens on the page itself and knows who is verifying; sending the documents makes it pending.
      await kyc.startButton().click();
      await sdk.waitUntilShown();
      await kyc.waitForStatus('verifying');
      assert.equal(await text(kyc.headline()), 'Bekreft identiteten din');
      assert.equal(await text(sdk.personName()), 'Ola Nordmann');
      assert.match(await text(sdk.container()), /Sumsub-simulator/);
      assert.equal(await page.locator('script[src$="/sumsub-sim/websdk/sns-websdk-builder.js"]').count(), 1);
      await screenshot(page, 'customer-kyc-websdk');
      await sdk.submitDocuments();
      await kyc.waitForStatus('pending');
      await waitUntil(async () => (await kycStatusOf(userId)) === 'pending', 10_000, 'kyc_status pending');
      assert.equal(await text(kyc.headline()), 'Vi sjekker dokumentene dine');
      assert.match(await text(page.getByTestId('kyc-checked-at')), /^Sist sjekket \d{2}:\d{2}:\d{2}$/);
      assert.equal(await kycStatusOf(userId), 'pending');
      await screenshot(page, 'customer-kyc-pending');

      // A Sumsub reviewer approves on the simulator's dashboard (another tab); the webhook is asynchronous.
      const applicantId = await applicantIdOf(userId);
      const dashboard = new SumsubDashboard(await ola.context.newPage(), bed.origin);
      await dashboard.open();
      assert.match(await text(dashboard.applicantRow(applicantId)), /Ola Nordmann/);
      await dashboard.decide(applicantId, 'approve');
      await screenshot(dashboard.page, 'customer-kyc-sumsub-dashboard');
      await dashboard.page.close();

      // The open /kyc page follows by itself.
      await kyc.waitForStatus('approved');
      assert.equal(await text(kyc.headline()), 'Du kan sende penger');
      const limits = kyc.limits();
      assert.match(await text(limits.perTransfer), /^50\s000\skr$/);
      assert.match(await text(limits.thirtyDays), /^100\s000\skr$/);
      assert.match(await text(limits.twelveMonths), /^300\s000\skr$/);
      assert.match(await text(limits.used30d), /^0\skr brukt av 100\s000\skr$/);
      assert.match(await text(limits.used12m), /^0\skr brukt av 300\s000\skr$/);
      assert.equal(await text(limits.tier), 'Standardgrenser');
      assert.equal(await kycStatusOf(userId), 'approved');
      await screenshot(page, 'customer-kyc-approved');

      // Enhanced due diligence: where the money comes from. Too short first, then a real answer.
      await kyc.declareSourceOfFunds('Lønn');
      assert.equal(await text(kyc.sourceOfFundsError()), 'Skriv litt mer – minst 10 tegn.');
      await screenshot(page, 'customer-kyc-source-of-funds-error', { fullPage: false });
      await kyc.declareSourceOfFunds('Lønn fra jobben min som sykepleier i Bergen');
      await kyc.sourceOfFundsDone().waitFor();
      await eventually(async () => assert.equal(await text(limits.tier), 'Utvidede grenser'));
      assert.match(await text(limits.perTransfer), /^250\s000\skr$/);
      const edd = await bed.database.pool.query(
        'SELECT kyc_tier, source_of_funds_declared_at IS NOT NULL AS declared FROM users WHERE id = $1',
        [userId],
      );
      assert.deepEqual(edd.rows[0], { kyc_tier: 2, declared: true });
      await screenshot(page, 'customer-kyc-approved-edd');

      // The home page's card says so too (no reload: the app keeps it in step).
      await app.accountNavLink('Oversikt').click();
      await app.waitForHome();
      assert.equal(await app.kycCard().getAttribute('data-status'), 'approved');
      assert.equal(await text(page.getByTestId('kyc-status')), 'Verifisert');
      assert.equal(await text(page.getByTestId('kyc-card-headline')), 'Du kan sende penger');
      await screenshot(page, 'customer-kyc-home-approved');

      // English, and a phone.
      await app.accountNavLink('Identitet').click();
      await kyc.waitForStatus('approved');
      await page.getByRole('button', { name: 'English', exact: true }).click();
      await eventually(async () => assert.equal(await text(kyc.headline()), 'You can send money'));
      assert.match(await text(limits.perTransfer), /^NOK\s250,000$/);
      assert.equal(await page.title(), 'Identity check – Drop');
      await screenshot(page, 'customer-kyc-approved-en');
      await page.getByRole('button', { name: 'Norsk', exact: true }).click();
      await page.setViewportSize({ width: 390, height: 844 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, 'no horizontal scrolling on a phone');
      await screenshot(page, 'customer-kyc-approved-mobile');

      assert.deepEqual(await problemsOf(ola), []);
    } finally {
      await ola.context.close();
    }
  });

  test('Kari closes the WebSDK once, then is rejected for good: the account is blocked, her session stops working, and BankID sign-in says so', async () => {
    const kari = await visit();
    const { page, app, kyc } = kari;
    try {
      await signIn(kari, 'kari');
      const userId = await userIdOf(page);
      await kyc.open();
      await kyc.waitForStatus('not_started');

      // Closing the WebSDK step without sending anything: the start page again, nothing sent.
      await kyc.startButton().click();
      await kari.sdk.waitUntilShown();
      await screenshot(page, 'customer-kyc-websdk-cancel', { fullPage: false });
      await kari.sdk.cancel();
      await kyc.waitForStatus('not_started');
      assert.equal(await kari.sdk.container().count(), 0);
      assert.equal(await kycStatusOf(userId), 'not_started');

      await sendDocuments(kari);

      await bed.server.app.sumsubSimulator.decide(await applicantIdOf(userId), 'reject_final');
      await waitUntil(async () => (await kycStatusOf(userId)) === 'rejected', 10_000, 'kyc_status rejected');

      // The pending page's next poll finds the session ended: back to the front page.
      await app.waitForLanding();
      await app.waitForNotice('sessionEnded');
      await page.reload();
      await app.waitForLanding();
      await app.headerSignIn().waitFor();
      assert.equal(await kycFromPage(page), 401, 'GET /api/kyc is refused');
      const refused = await bed.database.pool.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'session_refused' AND details->>'reason' = 'user_rejected'`,
      );
      assert.ok(refused.rows[0].n >= 1, 'the session was refused because the customer is rejected (audited)');

      // Signing in again: BankID works, Drop refuses and says the account is blocked.
      await app.headerSignIn().click();
      await kari.provider.waitUntilShown();
      await kari.provider.signInAs('kari', 'bid');
      await app.waitForLanding();
      const notice = await app.waitForNotice('account_blocked');
      assert.equal(notice.title, 'Kontoen din er sperret');
      assert.match(notice.text, /Kontakt kundeservice/);
      assert.equal(await kycFromPage(page), 401);
      await screenshot(page, 'customer-kyc-rejected-blocked', { fullPage: false });

      // /kyc itself leads to the front page too.
      await kyc.open();
      await app.waitForLanding();
      assert.deepEqual(await problemsOf(kari), []);
    } finally {
      await kari.context.close();
    }
  });

  test('Arne is asked to try again: /kyc shows what to fix and opens the WebSDK again; then his case is put on hold', async () => {
    const arne = await visit();
    const { page, kyc, sdk } = arne;
    try {
      await signIn(arne, 'elderly');
      const userId = await userIdOf(page);
      await kyc.open();
      await kyc.waitForStatus('not_started');
      await sendDocuments(arne);

      await bed.server.app.sumsubSimulator.decide(await applicantIdOf(userId), 'reject_retry');
      await kyc.waitForStatus('retry');
      assert.equal(await text(kyc.headline()), 'Vi trenger litt mer fra deg');
      assert.match(await text(kyc.message()), RETRY_MESSAGE);
      assert.equal(await text(kyc.retryButton()), 'Prøv igjen');
      await screenshot(page, 'customer-kyc-retry');
      await page.setViewportSize({ width: 390, height: 844 });
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0);
      await screenshot(page, 'customer-kyc-retry-mobile', { fullPage: false });
      await page.setViewportSize({ width: 1366, height: 900 });

      await arne.app.accountNavLink('Oversikt').click();
      await arne.app.waitForHome();
      assert.equal(await text(page.getByTestId('kyc-card-action')), 'Se hva som mangler');
      await page.getByTestId('kyc-card-action').click();
      await kyc.waitForStatus('retry');

      // Trying again: the embedded WebSDK shows the same message, and new documents make it pending again.
      await kyc.retryButton().click();
      await sdk.waitUntilShown();
      assert.match(await text(sdk.moderationComment()), RETRY_MESSAGE);
      await sdk.submitDocuments();
      await kyc.waitForStatus('pending');
      await waitUntil(async () => (await kycStatusOf(userId)) === 'pending', 10_000, 'kyc_status pending');

      // A reviewer puts the case on hold: the page says a person is looking at it.
      await bed.server.app.sumsubSimulator.decide(await applicantIdOf(userId), 'on_hold');
      await kyc.waitForStatus('on_hold');
      assert.equal(await text(kyc.headline()), 'Saken din vurderes manuelt');
      await screenshot(page, 'customer-kyc-on-hold', { fullPage: false });
      assert.deepEqual(await problemsOf(arne), []);
    } finally {
      await arne.context.close();
    }
  });

  test('a compliance officer opens the pending customer from the KYC queue, reads the history and approves with a note', async () => {
    const nancy = await visit();
    const {
      context: staffVisit,
      page: staffPage,
      problems: staffProblems,
    } = await openWatchedPage(bed.browser, { viewport: WIDE_DESKTOP });
    const console_ = new ConsoleStaff(staffPage, bed.origin);
    const kycCase = new ConsoleKycCase(staffPage);
    try {
      // The customer: verification sent, waiting.
      await signIn(nancy, 'pep');
      const userId = await userIdOf(nancy.page);
      await nancy.kyc.open();
      await nancy.kyc.waitForStatus('not_started');
      await sendDocuments(nancy);

      // The compliance officer: enrolled from the link `drop staff create` prints, then signed in.
      const email = `compliance.officer.${randomBytes(3).toString('hex')}@drop.no`;
      const name = 'Camilla Compliance';
      const { enrolmentToken } = await createStaffMember(bed.database.pool, {
        email,
        name,
        role: 'compliance_officer',
        actor: 'test',
        dataEncryptionKey: DATA_KEY,
      });
      await console_.enrolAndSignIn({ token: enrolmentToken, email, name, password: STAFF_PASSWORD });

      await console_.goToSection('KYC-kø');
      const nancyRow = console_.kycRows().filter({ hasText: 'Pelosi' });
      await eventually(async () => assert.equal(await nancyRow.count(), 1));
      assert.equal(await nancyRow.getAttribute('data-customer-id'), userId);
      assert.match(await text(nancyRow), /Til vurdering/);
      await screenshot(staffPage, 'console-kyc-queue');

      await kycCase.openFromQueue('Pelosi');
      assert.equal(console_.pathname(), `/console/kyc/${userId}`);
      await console_.waitForHeading(/Pelosi/);
      assert.equal(await text(kycCase.status()), 'Til vurdering');
      assert.deepEqual(await kycCase.history(), [
        { action: 'kyc_started', to: undefined },
        { action: 'kyc_status_changed', to: 'Til vurdering' },
      ]);
      assert.match(await text(kycCase.historyEntries().nth(1)), /Sumsub/);
      assert.equal(await staffPage.title(), 'KYC-sak · Drop Console');
      await screenshot(staffPage, 'console-kyc-case');

      // The form insists on a choice and a reason before it asks for confirmation.
      await staffPage.getByTestId('decision-submit').click();
      await eventually(async () => assert.match(await text(kycCase.decisionForm()), /Velg godkjenn eller avvis\./));
      assert.match(await text(kycCase.decisionForm()), /Skriv en begrunnelse på minst 5 tegn\./);
      assert.equal(await kycCase.dialog().isVisible(), false);

      const note = 'Pass og selfie kontrollert manuelt, stemmer med BankID. PEP-treff vurdert og akseptert.';
      await kycCase.fillDecision('approve', note);
      await kycCase.dialog().waitFor();
      assert.match(await text(kycCase.dialog()), /Godkjenne Nancy Pelosi\?/);
      assert.match(await text(kycCase.dialog()), /PEP-treff vurdert og akseptert/);
      await screenshot(staffPage, 'console-kyc-confirm', { fullPage: false });
      await kycCase.dialog().getByRole('button', { name: 'Ja, godkjenn' }).click();

      await eventually(async () => assert.equal(await text(kycCase.outcome()), 'Avgjørelsen er registrert: Til vurdering → Godkjent.'));
      await eventually(async () => assert.equal(await text(kycCase.status()), 'Godkjent'));
      await eventually(async () => assert.equal(await kycCase.historyEntries().count(), 3));
      assert.deepEqual((await kycCase.history()).at(-1), { action: 'kyc_status_changed', to: 'Godkjent' });
      assert.equal(await text(staffPage.getByTestId('history-note')), note);
      assert.match(await text(kycCase.historyEntries().last()), /Camilla Compliance \(deg\)/);
      await screenshot(staffPage, 'console-kyc-decided');

      // In the database, and for the customer, whose open /kyc page follows.
      assert.equal(await kycStatusOf(userId), 'approved');
      const audit = await bed.database.pool.query(
        `SELECT actor, details->>'reason' AS reason FROM audit_log
          WHERE action = 'kyc_status_changed' AND resource_id = $1 ORDER BY seq DESC LIMIT 1`,
        [userId],
      );
      assert.equal(audit.rows[0].reason, `manual: ${note}`);
      assert.match(audit.rows[0].actor, /^stf_/);
      await nancy.kyc.waitForStatus('approved');

      // She has left the queue.
      await staffPage.getByRole('link', { name: 'Tilbake til KYC-køen' }).click();
      await console_.waitForHeading('KYC-kø');
      await staffPage.getByTestId('kyc-table').waitFor();
      await eventually(async () => assert.equal(await nancyRow.count(), 0));

      assert.deepEqual(await console_.unexpectedProblems(staffProblems), []);
      assert.deepEqual(await problemsOf(nancy), []);
    } finally {
      await nancy.context.close();
      await staffVisit.close();
    }
  });
});
