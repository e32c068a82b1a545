/** Page object for STRs in the console: drafting from a case, the STR page's steps, the list and the overview's count. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Locator } from 'playwright-core';
import { eventually, text } from '../support.ts';
import { ConsoleStaff } from './console-staff.ts';

export type StrStepButton = 'str-submit' | 'str-approve' | 'str-return' | 'str-reject' | 'str-file';

export class ConsoleStrs extends ConsoleStaff {
  /** The drafting page for a case, once its transfers have loaded. */
  async openDraft(caseId: string): Promise<void> {
    await this.goto(`/console/strs/new?case=${encodeURIComponent(caseId)}`);
    await this.waitForDraftForm();
  }

  /** The drafting form, shown once the case's transfers have loaded (the heading comes before). */
  async waitForDraftForm(): Promise<void> {
    await eventually(async () => assert.equal(await this.page.getByTestId('str-draft-form').count(), 1));
  }

  transferChoices(): Locator {
    return this.page.getByTestId('str-transfer-choice');
  }

  async fillGrounds(grounds: string): Promise<void> {
    await this.page.locator('textarea[name="grounds"]').fill(grounds);
  }

  /** Adds a connected person with a name and how they are connected. */
  async addPerson(person: { firstName: string; lastName: string; note: string }): Promise<void> {
    await this.page.getByTestId('str-add-person').click();
    const row = this.page.getByTestId('str-person').last();
    await row.locator('input[name="firstName"]').fill(person.firstName);
    await row.locator('input[name="lastName"]').fill(person.lastName);
    await row.locator('input[name="note"]').fill(person.note);
  }

  /** Saves the draft and waits for its page; returns the STR's id. */
  async saveDraft(): Promise<string> {
    await this.page.getByTestId('str-save').click();
    return eventually(async () => {
      const match = /^\/console\/strs\/([0-9a-f-]{36})$/.exec(this.pathname());
      assert.ok(match, `on the STR page (${this.pathname()})`);
      await this.waitForStatus('draft');
      return match[1] as string;
    });
  }

  async openStr(id: string): Promise<void> {
    await this.goto(`/console/strs/${id}`);
    await eventually(async () => assert.equal(await this.page.getByTestId('str-page-status').count(), 1));
  }

  async waitForStatus(status: string): Promise<void> {
    await eventually(async () => assert.equal(await this.page.getByTestId('str-page-status').getAttribute('data-status'), status));
  }

  document(): Locator {
    return this.page.getByTestId('str-document');
  }

  stepButton(step: StrStepButton): Locator {
    return this.page.getByTestId(step);
  }

  /** Why a step's button is disabled, as the page says it beside the button. */
  whyDisabled(step: StrStepButton): Locator {
    return this.page.getByTestId(`${step}-why`);
  }

  /** Clicks a step that opens a dialog (approve, return, file), writes the note or reference, confirms, and waits for it to close. */
  async stepWithDialog(step: 'str-approve' | 'str-return' | 'str-reject' | 'str-file', value: string): Promise<void> {
    await this.stepButton(step).click();
    const dialog = this.page.locator('dialog[open]');
    await dialog.locator('textarea').fill(value);
    await dialog.getByTestId('dialog-confirm').click();
    await eventually(async () => assert.equal(await this.page.locator('dialog[open]').count(), 0));
  }

  /** Chooses a file in the STR page's attachment form and uploads it. */
  async attach(file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.page.getByTestId('str-attachment-input').setInputFiles(file);
    await this.page.getByTestId('str-attachment-upload').click();
  }

  attachments(): Locator {
    return this.page.getByTestId('str-attachment');
  }

  done(): Locator {
    return this.page.getByTestId('str-done');
  }

  strRow(id: string): Locator {
    return this.page.locator(`[data-testid="str-row"][data-id="${id}"]`);
  }

  async showTab(tab: 'awaiting' | 'drafts' | 'approved' | 'filed'): Promise<void> {
    await this.page.getByTestId(`str-tab-${tab}`).click();
    await eventually(async () => assert.equal(await this.page.getByTestId(`str-tab-${tab}`).getAttribute('aria-pressed'), 'true'));
  }

  async waitingCount(): Promise<string> {
    return text(this.page.getByTestId('kpi-strs-count'));
  }

  /** Clicks an export button and reads the file the browser downloads: its name and its text. */
  async downloadExport(format: 'goaml' | 'altinn' | 'mfa'): Promise<{ fileName: string; body: string }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId(`str-export-${format}`).click()]);
    const file = await download.path();
    return { fileName: download.suggestedFilename(), body: await readFile(file, 'utf8') };
  }
}
