/**
 * The console for Drop's staff, end to end in a real Chromium against a real server: enrolment
 * from the link `drop staff create` prints (TOTP secret read off the page, codes computed as an
 * authenticator app would), sign-in with password and code, and a shell that shows each role only
 * what it may use: support finds customers and ends their sessions; a compliance officer works the
 * KYC queue and AML alerts but cannot end sessions; an admin sees everything, the audit log too.
 *
 * The server's PUBLIC_URL is `http://localhost:<port>` and the browser goes exactly there, so the
 * `__Host-drop_staff` cookie is accepted (Chromium treats localhost over plain http as secure).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { type StaffRole, seedDemoData } from '@drop/core';
import type { TOTP } from 'otpauth';
import { enrolmentCode, newStaffMember, signInCode } from '../support/staff.ts';
import { authenticator, ConsoleStaff } from './pages/console-staff.ts';
import { ConsoleKycCase } from './pages/customer-kyc.ts';
import { eventually, screenshot, text, useBrowserTestBed, visitApp, WIDE_DESKTOP } from './support.ts';

const DATA_KEY = randomBytes(32).toString('base64');
const PASSWORD = 'en lang setning til konsollen 7';

/** A six-digit code that is none of the codes the server accepts now. */
function wrongCode(totp: TOTP): string {
  const valid = new Set([-1, 0, 1].map((step) => totp.generate({ timestamp: Date.now() + step * 30_000 })));
  for (let candidate = 0; ; candidate++) {
    const code = String((Number(totp.generate()) + 500_000 + candidate) % 1_000_000).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

describe('console for staff: enrolment, sign-in and roles', () => {
  const bed = useBrowserTestBed({ DATA_ENCRYPTION_KEY: DATA_KEY });
  before(async () => {
    await seedDemoData(bed.database.pool, { actor: 'test' });
  });

  const visit = (viewport = WIDE_DESKTOP) => visitApp(bed, ConsoleStaff, { viewport });

  /** The severities of the open AML alerts in the database. */
  const openAlerts = async () =>
    (await bed.database.pool.query<{ severity: string }>(`SELECT severity FROM aml_alerts WHERE status = 'open'`)).rows.map(
      (row) => row.severity,
    );

  const newStaff = (role: StaffRole, name: string) => newStaffMember(bed.database.pool, { role, name, dataEncryptionKey: DATA_KEY });

  /** Enrols through the enrolment page; returns the staff member's authenticator, on the login page. */
  async function enrol(app: ConsoleStaff, staff: { token: string }): Promise<TOTP> {
    await app.openEnrolment(staff.token);
    const totp = authenticator(await app.secret());
    await app.fillEnrolment(PASSWORD, PASSWORD, enrolmentCode(totp));
    await app.waitForLoginPage();
    return totp;
  }

  async function signIn(app: ConsoleStaff, staff: { email: string; name: string }, totp: TOTP): Promise<void> {
    await app.signIn(staff.email, PASSWORD, signInCode(totp));
    await app.waitForShell(staff.name);
  }

  test('enrolment shows who is enrolling, the key and the setup link; refuses a short password and a wrong code; a used link is refused', async () => {
    const { context, app, problems } = await visit();
    try {
      const staff = await newStaff('support', 'Siri Støtte');
      await app.openEnrolment(staff.token);
      await app.waitForHeading('Sett opp kontoen din');
      assert.equal(await text(app.enrolmentName()), 'Siri Støtte');
      assert.equal(await text(app.enrolmentRole()), 'Kundestøtte');
      assert.match(await text(app.secretShown()), /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/, 'the key is grouped in fours');
      const secret = await app.secret();
      const uri = await text(app.otpauthUri());
      assert.match(uri, /^otpauth:\/\/totp\//);
      assert.equal(new URL(uri).searchParams.get('secret'), secret, 'the setup link carries the same key');
      assert.ok(await app.qrCode().isVisible(), 'a QR code is drawn on the page');
      await screenshot(app.page, 'console-staff-enrol');

      const totp = authenticator(secret);
      await app.fillEnrolment('kort', 'kort', totp.generate());
      assert.equal(await text(app.fieldError()), 'Passordet må ha minst 12 tegn.');

      await app.fillEnrolment(PASSWORD, PASSWORD, wrongCode(totp));
      await eventually(async () => assert.match(await text(app.enrolmentError()), /Koden stemmer ikke/));
      await screenshot(app.page, 'console-staff-enrol-wrong-code');

      await app.fillEnrolment(PASSWORD, PASSWORD, enrolmentCode(totp));
      await app.waitForLoginPage();
      assert.equal(await text(app.loginNotice()), 'Kontoen er klar. Logg inn med passordet og en ny kode fra appen.');

      // The link works once.
      await app.openEnrolment(staff.token);
      await app.waitForHeading('Invitasjonen virker ikke');
      assert.match(await text(app.page.getByTestId('enrol-invalid')), /brukt, utløpt/);
      await screenshot(app.page, 'console-staff-enrol-used');

      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });

  test('signed out, the console shows its login page; a wrong code gets the one invalid-credentials message', async () => {
    const { context, app, problems } = await visit();
    try {
      const staff = await newStaff('support', 'Sander Support');
      const totp = await enrol(app, staff);

      // A deep link while signed out lands on the login page.
      await app.goto('/console/customers');
      await app.waitForLoginPage();
      assert.equal(await app.page.title(), 'Logg inn · Drop Console');
      await screenshot(app.page, 'console-staff-login');

      await app.signIn(staff.email, PASSWORD, wrongCode(totp));
      await eventually(async () =>
        assert.equal(await text(app.loginError()), 'E-post, passord eller kode stemmer ikke. Prøv igjen med en ny kode fra appen.'),
      );
      await screenshot(app.page, 'console-staff-login-error');

      // The right code: straight to the page that was asked for.
      await signIn(app, staff, totp);
      await app.waitForHeading('Kunder');
      assert.equal(app.pathname(), '/console/customers');

      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });

  test('five wrong codes lock the account, and the login page says for how long', async () => {
    const { context, app, problems } = await visit();
    try {
      const staff = await newStaff('support', 'Lise Låst');
      const totp = await enrol(app, staff);
      for (let attempt = 1; attempt <= 4; attempt++) {
        await app.signIn(staff.email, PASSWORD, wrongCode(totp));
        await eventually(async () => assert.match(await text(app.loginError()), /stemmer ikke/));
        await app.page.getByLabel('Engangskode').fill('');
        await eventually(async () => assert.equal(await app.page.getByRole('button', { name: 'Logg inn' }).isEnabled(), true));
      }
      await app.signIn(staff.email, PASSWORD, wrongCode(totp));
      await eventually(async () =>
        assert.equal(await text(app.loginError()), 'Kontoen er låst etter for mange mislykkede forsøk. Prøv igjen om 15 minutter.'),
      );
      // Locked means locked: the right code does not help now.
      await app.signIn(staff.email, PASSWORD, totp.generate());
      await eventually(async () => assert.match(await text(app.loginError()), /Kontoen er låst .* Prøv igjen om 1[45] minutter\./));
      assert.equal(app.pathname(), '/console/login');
      await screenshot(app.page, 'console-staff-login-locked');
      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });

  test('support: overview and customers only; finds a customer and ends all their sessions after confirming', async () => {
    const { context, app, problems } = await visit();
    try {
      const staff = await newStaff('support', 'Sofie Support');
      const totp = await enrol(app, staff);
      await signIn(app, staff, totp);

      await app.waitForHeading('Oversikt');
      assert.equal(await text(app.staffRole()), 'Kundestøtte');
      assert.deepEqual(await app.sections(), ['Oversikt', 'Kunder', 'Overføringer', 'Innbetalinger', 'Dataforespørsler']);
      assert.deepEqual(await app.navLinks(), ['Oversikt', 'Kunder', 'Overføringer', 'Innbetalinger', 'Dataforespørsler']);
      for (const hidden of ['KYC-kø', 'AML-varsler', 'Revisjonslogg', 'Drift']) {
        assert.equal(await app.sidebar().getByText(hidden).count(), 0, `${hidden} is not in the sidebar`);
      }
      assert.equal(await app.page.getByTestId('kpi-kyc').count(), 0, 'no KYC count on the overview');
      assert.equal(await app.page.getByTestId('kpi-aml').count(), 0, 'no AML count on the overview');
      await screenshot(app.page, 'console-staff-support-overview');

      await app.goToSection('Kunder');
      await app.searchCustomers('Ingrid');
      assert.equal(await app.customerRows().count(), 1);
      const row = app.customerRows().first();
      assert.match(await text(row), /Ingrid Hansen/);
      assert.equal(await text(row.getByTestId('live-sessions')), '1');
      assert.equal(new URL(app.page.url()).search, '?query=Ingrid', 'the search is in the address');
      await screenshot(app.page, 'console-staff-support-customers');

      await row.getByRole('button', { name: /^Avslutt alle økter/ }).click();
      await app.dialog().waitFor();
      assert.match(await text(app.dialog()), /Ingrid Hansen blir logget ut på alle enheter \(1 aktiv økt\)/);
      await screenshot(app.page, 'console-staff-support-confirm', { fullPage: false });
      // Cancelling does nothing.
      await app.dialog().getByRole('button', { name: 'Avbryt' }).click();
      await eventually(async () => assert.equal(await app.dialog().count(), 0));
      assert.equal(await text(row.getByTestId('live-sessions')), '1');

      await row.getByRole('button', { name: /^Avslutt alle økter/ }).click();
      await app.dialog().getByRole('button', { name: 'Avslutt alle økter' }).click();
      await eventually(async () => assert.equal(await text(app.page.getByTestId('revoke-outcome')), '1 økt avsluttet for Ingrid Hansen.'));
      await eventually(async () => assert.equal(await text(row.getByTestId('live-sessions')), '0'));
      const live = await bed.database.pool.query(
        `SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE u.email = 'ingrid.hansen@example.no' AND s.revoked = 0 AND s.expires_at > now()`,
      );
      assert.equal(live.rows[0].n, 0, 'the session is ended in the database');

      // A page the role may not use: a deep link says so instead of showing it.
      await app.goto('/console/aml-alerts');
      await app.waitForHeading('Ingen tilgang');
      assert.match(await text(app.page.getByTestId('no-access')), /Kundestøtte/);

      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });

  test('compliance officer: KYC queue with overdue cases, decides a seeded case, AML alerts with severities, but cannot end sessions', async () => {
    const { context, app, problems } = await visit();
    try {
      const staff = await newStaff('compliance_officer', 'Camilla Compliance');
      const totp = await enrol(app, staff);
      await signIn(app, staff, totp);

      await app.waitForHeading('Oversikt');
      assert.equal(await text(app.staffRole()), 'Etterlevelsesrådgiver');
      assert.deepEqual(await app.navLinks(), [
        'Oversikt',
        'KYC-kø',
        'AML-varsler',
        'Saker',
        'Godkjenninger',
        'STR-rapporter',
        'Kunder',
        'Overføringer',
      ]);
      for (const hidden of ['Revisjonslogg', 'Drift', 'Dataforespørsler']) {
        assert.equal(await app.sidebar().getByText(hidden).count(), 0, `${hidden} is not in the sidebar`);
      }
      // The demo's open alerts: the ones its casework made and those monitoring raised on its transfers.
      const open = await openAlerts();
      const urgent = open.filter((severity) => severity === 'critical' || severity === 'high').length;
      await eventually(async () => assert.equal(await text(app.page.getByTestId('kpi-kyc-count')), '2'));
      await eventually(async () => assert.equal(await text(app.page.getByTestId('kpi-aml-count')), String(open.length)));
      assert.match(await text(app.page.getByTestId('kpi-kyc')), /1 over 24 timer/);
      assert.match(await text(app.page.getByTestId('kpi-aml')), new RegExp(`${urgent} kritiske eller høye`));
      await screenshot(app.page, 'console-staff-compliance-overview');

      await app.goToSection('KYC-kø');
      await eventually(async () => assert.equal(await app.kycRows().count(), 2));
      const ola = app.kycRows().filter({ hasText: 'Ola Nordmann' });
      const kari = app.kycRows().filter({ hasText: 'Kari Lie' });
      assert.equal(await ola.getByTestId('overdue-badge').count(), 1, 'waiting three days is overdue');
      assert.equal(await kari.getByTestId('overdue-badge').count(), 0, 'waiting an hour is not');
      assert.match(await text(app.kycRows().first()), /Ola Nordmann/, 'oldest first');
      assert.match(await text(ola), /Til vurdering/);
      await screenshot(app.page, 'console-staff-kyc-queue');

      // A seeded case awaiting review can be decided: its history is there, and so is the form.
      const kycCase = new ConsoleKycCase(app.page);
      await kycCase.openFromQueue('Ola Nordmann');
      assert.equal(await text(kycCase.status()), 'Til vurdering');
      assert.deepEqual(await kycCase.history(), [
        { action: 'kyc_started', to: undefined },
        { action: 'kyc_status_changed', to: 'Til vurdering' },
      ]);
      await kycCase.fillDecision('approve', 'Pass og adresse kontrollert mot Folkeregisteret.');
      await kycCase.dialog().waitFor();
      await kycCase.dialog().getByRole('button', { name: 'Ja, godkjenn' }).click();
      await eventually(async () => assert.equal(await text(kycCase.outcome()), 'Avgjørelsen er registrert: Til vurdering → Godkjent.'));
      await eventually(async () => assert.equal(await text(kycCase.status()), 'Godkjent'));
      const decided = await bed.database.pool.query(`SELECT kyc_status FROM users WHERE email = 'ola.nordmann@example.no'`);
      assert.equal(decided.rows[0]?.kyc_status, 'approved');
      await screenshot(app.page, 'console-staff-kyc-seeded-decided');
      await app.goToSection('KYC-kø');
      await eventually(async () => assert.equal(await app.kycRows().count(), 1, 'Ola left the queue'));

      await app.goToSection('AML-varsler');
      await eventually(async () => assert.equal(await app.amlRows().count(), open.length));
      const severities = await app.amlRows().getByTestId('severity').allTextContents();
      const label: Record<string, string> = { critical: 'Kritisk', high: 'Høy', medium: 'Middels', low: 'Lav' };
      assert.deepEqual([...severities].map((text) => text.trim()).sort(), open.map((severity) => label[severity]).sort());
      const sanctions = app.page.locator('[data-testid="aml-row"][data-severity="critical"]');
      assert.match(await text(sanctions), /Mulig treff på sanksjonsliste/);
      const amounts = await app.amlRows().getByTestId('aml-amount').allTextContents();
      assert.ok(
        amounts.some((amount) => /\d[\d\s ]*,\d{2}\s?kr/.test(amount)),
        `an amount in NOK: ${amounts.join(' | ')}`,
      );
      // Filtering by severity.
      await app.page.getByRole('button', { name: /^Kritisk/ }).click();
      await eventually(async () => assert.equal(await app.amlRows().count(), 1));
      await app.page.getByRole('button', { name: /^Alle/ }).click();
      await eventually(async () => assert.equal(await app.amlRows().count(), open.length));
      await screenshot(app.page, 'console-staff-aml-alerts');

      await app.goToSection('Kunder');
      await app.searchCustomers('Hansen');
      assert.ok((await app.customerRows().count()) >= 1);
      assert.equal(await app.endSessionsButtons().count(), 0, 'no End all sessions button for a compliance officer');

      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });

  test('admin: every section including the audit log and operations; English; signing out returns to the login page', async () => {
    const { context, app, problems } = await visit();
    try {
      const staff = await newStaff('admin', 'Ada Admin');
      const totp = await enrol(app, staff);
      await signIn(app, staff, totp);

      await app.waitForHeading('Oversikt');
      assert.equal(await text(app.staffRole()), 'Administrator');
      assert.deepEqual(await app.navLinks(), [
        'Oversikt',
        'KYC-kø',
        'AML-varsler',
        'Saker',
        'Godkjenninger',
        'STR-rapporter',
        'Kunder',
        'Overføringer',
        'Innbetalinger',
        'Dataforespørsler',
        'Drift',
        'Hovedbok',
        'Ansatte',
        'Revisjonslogg',
      ]);
      assert.deepEqual(await app.sections(), [
        'Oversikt',
        'KYC-kø',
        'AML-varsler',
        'Saker',
        'Godkjenninger',
        'STR-rapporter',
        'Kunder',
        'Overføringer',
        'Innbetalinger',
        'Dataforespørsler',
        'Drift',
        'Hovedbok',
        'Ansatte',
        'Revisjonslogg',
      ]);
      // The compliance officer decided Ola Nordmann's case above: Kari Lie waits.
      await eventually(async () => assert.equal(await text(app.page.getByTestId('kpi-kyc-count')), '1'));
      await screenshot(app.page, 'console-staff-admin-overview');

      await app.goToSection('Revisjonslogg');
      await eventually(async () => assert.ok((await app.auditRows().count()) > 0));
      const actions = (await app.auditRows().allTextContents()).join('\n');
      assert.match(actions, /Ansatt opprettet/);
      assert.doesNotMatch(actions, /staff_created/, 'actions are named, not shown as codes');
      await screenshot(app.page, 'console-staff-audit-log');

      await app.goToSection('Drift');
      await eventually(async () => assert.equal(await app.page.getByTestId('db-status').getAttribute('data-tone'), 'ok'));
      await eventually(async () => assert.match(await text(app.page.getByTestId('check-api')), /HTTP 200 · versjon \d+\.\d+\.\d+/));
      const samples = async () => Number(/(\d+) målinger/.exec(await text(app.page.getByRole('figure')))?.[1] ?? 0);
      await eventually(async () => assert.ok((await samples()) >= 1));
      const before = await samples();
      await app.page.getByRole('button', { name: 'Sjekk nå' }).click();
      await eventually(async () => assert.ok((await samples()) > before, 'the check ran again'));
      await screenshot(app.page, 'console-staff-operations');

      // An unknown console address, signed in: a not-found page with the way home.
      await app.goto('/console/no-such-page');
      await app.waitForHeading('Fant ikke siden');
      await app.page.getByRole('link', { name: 'Til startsiden' }).click();
      await app.waitForHeading('Oversikt');
      await app.goToSection('Drift');

      await app.switchLanguage('EN');
      await app.waitForHeading('Operations');
      assert.equal(await text(app.staffRole()), 'Administrator');
      await app.goToSection('AML alerts');
      const stillOpen = await openAlerts();
      await eventually(async () => assert.equal(await app.amlRows().count(), stillOpen.length));
      assert.ok(await app.page.getByText('Possible sanctions list match').isVisible());
      await screenshot(app.page, 'console-staff-aml-alerts-en');
      await app.switchLanguage('NB');

      await app.logOut();
      await app.waitForLoginPage();
      assert.equal(await text(app.loginNotice()), 'Du er logget ut.');
      // The session is gone on the server too: a reload still shows the login page.
      await app.goto('/console/');
      await app.waitForLoginPage();
      const me = await app.page.evaluate(async () => (await fetch('/api/staff/me')).status);
      assert.equal(me, 401);

      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });

  test('on a phone: the login page and the shell fit the screen', async () => {
    const { context, app, problems } = await visit({ width: 390, height: 844 });
    try {
      const staff = await newStaff('compliance_lead', 'Lars Leder');
      const totp = await enrol(app, staff);
      const overflow = () => app.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(await overflow(), 0, 'the login page does not scroll sideways');
      await screenshot(app.page, 'console-staff-login-mobile', { fullPage: false });
      await signIn(app, staff, totp);
      await app.waitForHeading('Oversikt');
      await screenshot(app.page, 'console-staff-overview-mobile', { fullPage: false });
      assert.equal(await overflow(), 0, 'the overview does not scroll sideways');
      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });
});
