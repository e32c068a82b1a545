/** Page object for the customer's email address and choices (`/email`) and the home page's email card. */
import type { Locator } from 'playwright-core';
import { AppPage } from './app-page.ts';

export class CustomerEmail extends AppPage {
  homeCard(): Locator {
    return this.page.getByTestId('email-home-card');
  }

  homeText(): Locator {
    return this.page.getByTestId('email-home-text');
  }

  homeAction(): Locator {
    return this.page.getByTestId('email-home-action');
  }

  /** Waits for `/email` with its address card. */
  async waitForPage(): Promise<void> {
    await this.page.waitForURL((url) => url.pathname === '/email');
    await this.page.getByTestId('email-address-card').waitFor();
  }

  /** Types the address and asks for a code (the answer is either the code form or an error). */
  async sendCodeTo(address: string): Promise<void> {
    const input = this.page.getByTestId('email-input');
    await input.fill(address);
    const sending = this.page.waitForResponse(
      (response) => response.url().endsWith('/api/me/email') && response.request().method() === 'POST',
    );
    await this.page.getByTestId('email-send-code').click();
    await sending;
  }

  addressError(): Locator {
    return this.page.getByTestId('email-error');
  }

  codeInput(): Locator {
    return this.page.getByTestId('email-code-input');
  }

  codeSent(): Locator {
    return this.page.getByTestId('email-code-sent');
  }

  keepsOld(): Locator {
    return this.page.getByTestId('email-keeps-old');
  }

  resendButton(): Locator {
    return this.page.getByTestId('email-resend');
  }

  /** Types the code and confirms it, waiting for the server's answer. */
  async enterCode(code: string): Promise<void> {
    await this.codeInput().fill(code);
    const verifying = this.page.waitForResponse((response) => response.url().endsWith('/api/me/email/verify'));
    await this.page.getByTestId('email-verify').click();
    await verifying;
  }

  codeError(): Locator {
    return this.page.getByTestId('email-code-error');
  }

  verifiedNotice(): Locator {
    return this.page.getByTestId('email-verified-notice');
  }

  current(): Locator {
    return this.page.getByTestId('email-current');
  }

  changeButton(): Locator {
    return this.page.getByTestId('email-change');
  }

  preference(kind: 'fundsReceived' | 'paidOut' | 'always'): Locator {
    return this.page.getByTestId(`email-pref-${kind}`);
  }

  preferencesSaved(): Locator {
    return this.page.getByTestId('email-preferences-saved');
  }
}
