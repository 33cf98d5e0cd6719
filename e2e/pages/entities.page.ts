import type { Locator, Page } from '@playwright/test';
import { expect } from '../support/serve.ts';

/** The entity table of an investigation page and its Add entity dialog. */
export class EntitiesPage {
  constructor(readonly page: Page) {}

  get addDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Add entity' });
  }

  get valueField(): Locator {
    return this.addDialog.getByRole('textbox', { name: 'Value' });
  }

  /** Fills and submits the dialog without expecting it to close (the core may refuse the value). */
  async submitEntity(input: { type: string; value: string }): Promise<void> {
    if (!(await this.addDialog.isVisible())) await this.page.getByRole('button', { name: 'Add entity' }).first().click();
    await this.addDialog.getByRole('combobox', { name: 'Type' }).click();
    await this.page.getByRole('option', { name: input.type, exact: true }).click();
    await this.valueField.fill(input.value);
    await this.addDialog.getByRole('button', { name: 'Add entity' }).click();
  }

  /** The error Mantine renders under the Value input (linked by aria-describedby). */
  async valueError(): Promise<string> {
    await expect(this.valueField).toHaveAttribute('aria-invalid', 'true');
    const ids = (await this.valueField.getAttribute('aria-describedby')) ?? '';
    const texts = await Promise.all(
      ids
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => this.page.locator(`[id="${id}"]`).innerText()),
    );
    return texts.join(' ');
  }
}
