/** Page object for the customer profile and the admins' staff page of the console (issue 16). */
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { eventually, text } from '../support.ts';
import { ConsoleStaff } from './console-staff.ts';

export class ConsoleAdmin extends ConsoleStaff {
  // ---- the customer profile -------------------------------------------------------------------

  profile(): Locator {
    return this.page.getByTestId('customer-profile');
  }

  /** From the Customers page: searches for the customer and opens their profile by the name link. */
  async openProfileFromSearch(query: string, name: string): Promise<void> {
    await this.goToSection('Kunder');
    await this.searchCustomers(query);
    await this.customerRows().first().getByRole('link', { name, exact: true }).click();
    await this.waitForProfile(name);
  }

  async waitForProfile(name: string): Promise<void> {
    await this.waitForHeading(name);
    await this.profile().waitFor();
  }

  card(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  fact(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  notes(): Locator {
    return this.page.getByTestId('note');
  }

  /** Writes a note and waits until the page says it is saved. */
  async addNote(body: string): Promise<void> {
    await this.page.getByTestId('note-input').fill(body);
    await this.page.getByTestId('note-add').click();
    await eventually(async () => assert.equal(await text(this.page.getByTestId('note-outcome')), 'Notatet er lagret.'));
  }

  // ---- staff administration -------------------------------------------------------------------

  staffRow(email: string): Locator {
    return this.page.getByTestId('staff-row').filter({ hasText: email });
  }

  async staffState(email: string): Promise<string> {
    return text(this.staffRow(email).getByTestId('staff-state'));
  }

  /** Opens a change dialog on the member's row, fills the reason (and role), and confirms. */
  async changeStaff(email: string, button: string, reason: string, role?: string): Promise<void> {
    await this.staffRow(email).getByTestId(button).click();
    const dialog = this.dialog();
    await dialog.waitFor();
    if (role) await dialog.getByLabel(/Ny rolle|New role/).selectOption({ label: role });
    await dialog.getByLabel(/Begrunnelse|Reason/).fill(reason);
    await dialog.locator('button[type="submit"]').click();
    await eventually(async () => assert.equal(await this.dialog().count(), 0, 'the dialog closes'));
  }

  staffOutcome(): Locator {
    return this.page.getByTestId('staff-outcome');
  }
}
