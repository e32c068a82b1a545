/** Page object for the back-office console under `/console/`. */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { eventually, text } from '../support.ts';

export class ConsoleApp {
  readonly page: Page;
  readonly baseUrl: string;

  constructor(page: Page, baseUrl: string) {
    this.page = page;
    this.baseUrl = baseUrl;
  }

  /** Opens a console path (e.g. '/console/' or '/console/operations') by a full page load. */
  async open(path = '/console/'): Promise<void> {
    await this.page.goto(new URL(path, this.baseUrl).toString());
    await this.heading().waitFor();
  }

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  sidebar(): Locator {
    return this.page.getByRole('navigation', { name: /Seksjoner|Sections/ });
  }

  navLink(name: string): Locator {
    return this.sidebar().getByRole('link', { name });
  }

  /** Sidebar entries that are shown but not usable yet. */
  comingSoonItems(): Locator {
    return this.sidebar().locator('[aria-disabled="true"]');
  }

  async currentNav(): Promise<string> {
    return await text(this.sidebar().locator('[aria-current="page"]'));
  }

  /** Waits until the database check shows the ok tone; returns the database pill text and version. */
  async waitForDatabaseOk(): Promise<{ dbStatus: string; version: string }> {
    const pill = this.page.getByTestId('db-status');
    await eventually(async () => assert.equal(await pill.getAttribute('data-tone'), 'ok'));
    return {
      dbStatus: await text(pill),
      version: await text(this.page.getByTestId('version').first()),
    };
  }

  async switchLanguage(code: 'NB' | 'EN'): Promise<void> {
    const button = this.page.getByRole('button', { name: new RegExp(`^${code}\\b`) });
    await button.click();
    await eventually(async () => assert.equal(await button.getAttribute('aria-pressed'), 'true'));
  }
}
