/** Page object for the staff side of the console: enrolment, sign-in, the role-aware shell and its pages. */
import assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';
import type { Locator } from 'playwright-core';
import { enrolmentCode, signInCode } from '../../support/staff.ts';
import { eventually, type PageProblems, text } from '../support.ts';
import { AppPage } from './app-page.ts';

/** Failed requests the console expects and handles: Chromium logs each as a console error. */
const EXPECTED_FAILURES: Array<{ status: number; path: RegExp }> = [
  { status: 401, path: /^\/api\/staff\/me$/ }, // "who is signed in?" while signed out
  { status: 401, path: /^\/api\/staff\/login$/ }, // a wrong password or code
  { status: 403, path: /^\/api\/staff\/login$/ }, // a locked account
  { status: 401, path: /^\/api\/staff\/enrolment$/ }, // a wrong first code
  { status: 404, path: /^\/api\/staff\/enrolment\/[^/]+$/ }, // an unknown enrolment link
  { status: 403, path: /^\/api\/staff\/approvals\/fer_\w+\/(approve|reject)$/ }, // one's own proposal (four eyes)
  { status: 403, path: /^\/api\/staff\/strs\/[0-9a-f-]{36}\/approve$/ }, // one's own STR (four eyes)
  { status: 409, path: /^\/api\/staff\/cases\/case_\w+\/close$/ }, // a close the case's STRs do not allow yet
  { status: 422, path: /^\/api\/staff\/strs\/[0-9a-f-]{36}\/attachments$/ }, // a file whose content is not its type
  { status: 403, path: /^\/api\/staff\/members\/stf_\w+\/(role|disable|reset-totp)$/ }, // a change to one's own account
];

/** The authenticator app a staff member sets up from the secret the enrolment page shows. */
export function authenticator(secret: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
}

export class ConsoleStaff extends AppPage {
  /** Everything `problems` recorded except the failed requests listed above. */
  async unexpectedProblems(problems: PageProblems): Promise<string[]> {
    return (await problems.list()).filter((problem) => {
      const match = /^console\.error: Failed to load resource: the server responded with a status of (\d{3}) .*\((.+)\)$/.exec(problem);
      if (!match) return true;
      const url = URL.parse(match[2] ?? '');
      if (!url || url.origin !== new URL(this.baseUrl).origin) return true;
      return !EXPECTED_FAILURES.some((expected) => expected.status === Number(match[1]) && expected.path.test(url.pathname));
    });
  }

  pathname(): string {
    return new URL(this.page.url()).pathname;
  }

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  async waitForHeading(name: string | RegExp): Promise<void> {
    await eventually(async () => {
      const heading = await text(this.heading());
      assert.ok(typeof name === 'string' ? heading === name : name.test(heading), `heading "${heading}"`);
    });
  }

  async switchLanguage(code: 'NB' | 'EN'): Promise<void> {
    const button = this.page.getByRole('button', { name: new RegExp(`^${code}\\b`) });
    await button.click();
    await eventually(async () => assert.equal(await button.getAttribute('aria-pressed'), 'true'));
  }

  // ---- enrolment ------------------------------------------------------------------------------

  async openEnrolment(token: string): Promise<void> {
    await this.goto(`/console/enrol?token=${encodeURIComponent(token)}`);
  }

  enrolmentName(): Locator {
    return this.page.getByTestId('enrol-name');
  }

  enrolmentRole(): Locator {
    return this.page.getByTestId('enrol-role');
  }

  /** The TOTP secret as shown (grouped in fours). */
  secretShown(): Locator {
    return this.page.getByTestId('totp-secret');
  }

  otpauthUri(): Locator {
    return this.page.getByTestId('otpauth-uri');
  }

  qrCode(): Locator {
    return this.page.getByTestId('totp-qr');
  }

  /** The base32 secret, read off the page the way a person would type it into their app. */
  async secret(): Promise<string> {
    await this.secretShown().waitFor();
    return (await text(this.secretShown())).replace(/\s+/g, '');
  }

  async fillEnrolment(password: string, confirm: string, code: string): Promise<void> {
    await this.page.getByLabel('Passord', { exact: true }).fill(password);
    await this.page.getByLabel('Gjenta passordet').fill(confirm);
    await this.page.getByLabel('Engangskode').fill(code);
    await this.page.getByRole('button', { name: 'Fullfør oppsettet' }).click();
  }

  enrolmentError(): Locator {
    return this.page.getByTestId('enrol-error');
  }

  fieldError(): Locator {
    return this.page.locator('.field-error');
  }

  /**
   * Enrols through the enrolment link (with the current step's code), then signs in with the next
   * step's (see `enrolmentCode`); ends on the shell, signed in as `staff.name`.
   */
  async enrolAndSignIn(staff: { token: string; email: string; name: string; password: string }): Promise<TOTP> {
    await this.openEnrolment(staff.token);
    const totp = authenticator(await this.secret());
    await this.fillEnrolment(staff.password, staff.password, enrolmentCode(totp));
    await this.waitForLoginPage();
    await this.signIn(staff.email, staff.password, signInCode(totp));
    await this.waitForShell(staff.name);
    return totp;
  }

  // ---- sign-in --------------------------------------------------------------------------------

  loginNotice(): Locator {
    return this.page.getByTestId('login-notice');
  }

  loginError(): Locator {
    return this.page.getByTestId('login-error');
  }

  async waitForLoginPage(): Promise<void> {
    await this.waitForHeading(/^(Logg inn|Sign in)$/);
    await eventually(async () => assert.equal(this.pathname(), '/console/login'));
  }

  async signIn(email: string, password: string, code: string): Promise<void> {
    await this.page.getByLabel('E-post').fill(email);
    await this.page.getByLabel('Passord', { exact: true }).fill(password);
    await this.page.getByLabel('Engangskode').fill(code);
    await this.page.getByRole('button', { name: 'Logg inn' }).click();
  }

  // ---- the shell ------------------------------------------------------------------------------

  sidebar(): Locator {
    return this.page.getByRole('navigation', { name: /Seksjoner|Sections/ });
  }

  navLink(name: string): Locator {
    return this.sidebar().getByRole('link', { name, exact: true });
  }

  /** Every section in the sidebar (links and "coming soon" entries), by its label. */
  async sections(): Promise<string[]> {
    const items = await this.sidebar().locator('.nav-item').all();
    return Promise.all(items.map(async (item) => (await text(item)).replace(/\s*(Kommer|Soon)( \(.*\))?$/, '')));
  }

  async navLinks(): Promise<string[]> {
    return (await this.sidebar().getByRole('link').allTextContents()).map((label) => label.trim());
  }

  staffName(): Locator {
    return this.page.getByTestId('staff-name');
  }

  staffRole(): Locator {
    return this.page.getByTestId('staff-role');
  }

  /** Waits until the signed-in shell shows the staff member's name. */
  async waitForShell(name: string): Promise<void> {
    await eventually(async () => assert.equal(await text(this.staffName()), name));
  }

  async logOut(): Promise<void> {
    await this.page.getByRole('button', { name: /^(Logg ut|Sign out)$/ }).click();
  }

  async goToSection(name: string): Promise<void> {
    await this.navLink(name).click();
    await this.waitForHeading(name);
  }

  // ---- pages ----------------------------------------------------------------------------------

  kycRows(): Locator {
    return this.page.getByTestId('kyc-row');
  }

  amlRows(): Locator {
    return this.page.getByTestId('aml-row');
  }

  auditRows(): Locator {
    return this.page.getByTestId('audit-row');
  }

  customerRows(): Locator {
    return this.page.getByTestId('customer-row');
  }

  endSessionsButtons(): Locator {
    return this.page.getByRole('button', { name: /^(Avslutt alle økter|End all sessions)/ });
  }

  async searchCustomers(query: string): Promise<void> {
    await this.page.getByRole('searchbox').fill(query);
    await this.page.getByRole('button', { name: /^(Søk|Search)$/ }).click();
    await this.page.getByTestId('result-count').filter({ hasText: query }).waitFor();
  }

  dialog(): Locator {
    return this.page.getByRole('dialog');
  }
}
