/** What the page objects of the customer app, the console and the simulators share. */
import type { Page } from 'playwright-core';

export class AppPage {
  readonly page: Page;
  /** Where the app is served, e.g. `http://localhost:<port>`. */
  readonly baseUrl: string;

  constructor(page: Page, baseUrl: string) {
    this.page = page;
    this.baseUrl = baseUrl;
  }

  /** Loads `path` of the app (a full page load). */
  async goto(path: string): Promise<void> {
    await this.page.goto(new URL(path, this.baseUrl).toString());
  }
}
