/** Page objects for the customer app's sign-in, signed-in overview (`/home`) and sessions (`/sessions`). */
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { eventually, text } from '../support.ts';
import { AppPage } from './app-page.ts';
import { BankIdTestProvider } from './bankid-test-provider.ts';

export class CustomerApp extends AppPage {
  /** Loads a path of the app (a full page load) and waits for its main heading. */
  async open(path: '/' | '/home' | '/sessions' | string = '/'): Promise<void> {
    await this.goto(path);
  }

  pathname(): string {
    return new URL(this.page.url()).pathname;
  }

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  header(): Locator {
    return this.page.getByRole('banner');
  }

  // Landing page

  headerSignIn(): Locator {
    return this.header().getByRole('button', { name: /Logg inn med BankID|Log in with BankID/ });
  }

  heroSignIn(): Locator {
    return this.page.getByTestId('hero-signin');
  }

  myAccountLink(): Locator {
    return this.header().getByRole('link', { name: /Min side|My account/ });
  }

  notice(): Locator {
    return this.page.getByTestId('signin-notice');
  }

  /** Waits for the landing page (the hero heading and the status card are there). */
  async waitForLanding(): Promise<void> {
    await this.page.waitForURL((url) => url.pathname === '/');
    await this.page.getByTestId('service-status').waitFor();
  }

  /** Waits for the landing page's notice of `kind` and returns its title and text. */
  async waitForNotice(kind: string): Promise<{ title: string; text: string }> {
    const notice = this.notice();
    await eventually(async () => assert.equal(await notice.getAttribute('data-kind'), kind));
    return { title: await text(notice.locator('.notice-title')), text: await text(notice.locator('.notice-text')) };
  }

  async dismissNotice(): Promise<void> {
    await this.notice()
      .getByRole('button', { name: /Lukk meldingen|Close message/ })
      .click();
    await this.notice().waitFor({ state: 'detached' });
  }

  // Signed in

  /** Waits until `/home` shows the greeting; returns it. */
  async waitForHome(): Promise<string> {
    await this.page.waitForURL((url) => url.pathname === '/home');
    const greeting = this.page.getByTestId('greeting');
    await greeting.waitFor();
    return text(greeting);
  }

  /** From the landing page through the BankID test provider (BankID app) to `/home`; returns the customer's user id. */
  async signInWithBankId(person: string): Promise<string> {
    await this.open('/');
    await this.headerSignIn().click();
    const provider = new BankIdTestProvider(this.page);
    await provider.waitUntilShown();
    await provider.signInAs(person, 'bid');
    await this.waitForHome();
    return this.page.evaluate(async () => ((await (await fetch('/api/me')).json()) as { data: { id: string } }).data.id);
  }

  profile(): { name: Locator; birthDate: Locator; customerId: Locator } {
    return {
      name: this.page.getByTestId('profile-name'),
      birthDate: this.page.getByTestId('profile-birth-date'),
      customerId: this.page.getByTestId('profile-customer-id'),
    };
  }

  kycCard(): Locator {
    return this.page.getByTestId('kyc-card');
  }

  accountNavLink(name: string): Locator {
    return this.page.getByRole('navigation', { name: /Min side|My account/ }).getByRole('link', { name });
  }

  /** Goes to the sessions page through the link on `/home` and waits for the list. */
  async openSessionsFromHome(): Promise<void> {
    await this.page.getByTestId('sessions-link').click();
    await this.page.waitForURL((url) => url.pathname === '/sessions');
    await this.sessionRows().first().waitFor();
  }

  sessionRows(): Locator {
    return this.page.getByTestId('session');
  }

  /** Each listed session: its device name and whether it is this browser's. */
  /** The session list as shown right now, read in one go so a re-render cannot split the read. */
  async sessions(): Promise<Array<{ device: string; current: boolean }>> {
    return this.sessionRows().evaluateAll((rows) =>
      rows.map((row) => ({
        device: (row.querySelector('[data-testid="session-device"]')?.textContent ?? '').trim(),
        current: row.getAttribute('data-current') === 'true',
      })),
    );
  }

  async signOut(): Promise<void> {
    await this.header()
      .getByRole('button', { name: /^(Logg ut|Log out)$/ })
      .click();
  }

  async signOutEverywhere(): Promise<void> {
    await this.page.getByTestId('signout-everywhere').click();
    const dialog = this.page.getByTestId('signout-everywhere-dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: /Ja, logg ut overalt|Yes, log out everywhere/ }).click();
  }
}
