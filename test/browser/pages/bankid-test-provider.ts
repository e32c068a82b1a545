/** Page object for the local BankID test provider's login page (served by the Drop server under /test-bankid/). */
import type { Locator, Page } from 'playwright-core';
import { eventually, text } from '../support.ts';

export type BankIdMethodId = 'bid' | 'bim' | 'bis';

export class BankIdTestProvider {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  /** Waits until the browser is on the provider's login page. */
  async waitUntilShown(): Promise<void> {
    // Drop answers the sign-in form with a redirect; a page of its own under /api/ is a refusal.
    await this.page.waitForURL((url) => url.pathname.startsWith('/test-bankid/') || url.pathname.startsWith('/api/'));
    if (new URL(this.page.url()).pathname.startsWith('/api/')) {
      throw new Error(`Drop did not send the browser to BankID: ${this.page.url()} answered ${await text(this.page.locator('body'))}`);
    }
    await this.loginForm().waitFor();
  }

  loginForm(): Locator {
    return this.page.getByTestId('login-form');
  }

  person(id: string): Locator {
    return this.page.getByTestId(`person-${id}`);
  }

  /**
   * Picks the BankID method, then the test person (which submits the login form), and waits until
   * the browser has left the provider (confirming first, if the provider asks to).
   */
  async signInAs(person: string, method: BankIdMethodId = 'bid'): Promise<void> {
    await this.page.getByTestId(`method-${method}`).check();
    await this.person(person).click();
    await this.waitUntilBackAtDrop();
  }

  async cancel(): Promise<void> {
    await this.page.getByTestId('cancel').click();
    await this.waitUntilBackAtDrop();
  }

  private async waitUntilBackAtDrop(): Promise<void> {
    const confirm = this.page.getByTestId('confirm');
    const message = this.page.getByTestId('message');
    await eventually(async () => {
      if (!new URL(this.page.url()).pathname.startsWith('/test-bankid/')) return;
      if (await confirm.isVisible()) await confirm.click();
      const shown = (await message.isVisible()) ? ` (the provider says: ${await text(message)})` : '';
      throw new Error(`still at the BankID test provider: ${this.page.url()}${shown}`);
    }, 15_000);
  }
}
