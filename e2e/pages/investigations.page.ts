import type { Locator, Page } from '@playwright/test';
import { expect, type ServedApp } from '../support/serve.ts';

/** The Investigations section as a user sees it: list, dialogs, investigation page. */
export class InvestigationsPage {
  constructor(
    readonly page: Page,
    readonly app: ServedApp,
  ) {}

  async goto(): Promise<void> {
    await this.page.goto(this.app.url);
    await expect(this.page.getByRole('heading', { name: 'Investigations', level: 2 })).toBeVisible();
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: 'Investigations' });
  }

  row(name: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('link', { name, exact: true }) });
  }

  columnHeader(name: string): Locator {
    return this.table.getByRole('columnheader', { name, exact: true });
  }

  /** Open the New investigation dialog and type a name, without submitting. */
  async startCreate(name: string): Promise<Locator> {
    await this.page.getByRole('button', { name: 'New investigation' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'New investigation' });
    await dialog.getByLabel('Name').fill(name);
    return dialog;
  }

  async create(input: { name: string; description?: string; tags?: string[] }): Promise<void> {
    await this.page.getByRole('button', { name: 'New investigation' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'New investigation' });
    await dialog.getByLabel('Name').fill(input.name);
    if (input.description) await dialog.getByLabel('Description').fill(input.description);
    for (const tag of input.tags ?? []) {
      await dialog.getByLabel('Tags').fill(tag);
      await dialog.getByLabel('Tags').press('Enter');
    }
    await dialog.getByRole('button', { name: 'Create investigation' }).click();
    await expect(dialog).toBeHidden();
  }

  async search(text: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Search investigations' }).fill(text);
  }

  async filterStatus(label: 'Active' | 'Archived' | 'All'): Promise<void> {
    // SegmentedControl hides its radio inputs; the visible part is the label.
    await this.page.locator('label').filter({ hasText: new RegExp(`^${label}$`) }).click();
    await expect(this.page.getByRole('radio', { name: label })).toBeChecked();
  }

  async open(name: string): Promise<void> {
    await this.row(name).getByRole('link', { name, exact: true }).click();
    await expect(this.page.getByRole('heading', { name, level: 2 })).toBeVisible();
  }

  // --- on the investigation page ---

  get header(): Locator {
    return this.page.getByRole('main');
  }

  get entityTable(): Locator {
    return this.page.getByRole('table', { name: 'Entities' });
  }

  entityRow(value: string): Locator {
    return this.entityTable.getByRole('row').filter({ hasText: value });
  }

  async addEntity(input: { type: string; value: string; label?: string }): Promise<void> {
    await this.page.getByRole('button', { name: 'Add entity' }).first().click();
    const dialog = this.page.getByRole('dialog', { name: 'Add entity' });
    await dialog.getByRole('combobox', { name: 'Type' }).click();
    await this.page.getByRole('option', { name: input.type, exact: true }).click();
    await dialog.getByRole('textbox', { name: 'Value' }).fill(input.value);
    if (input.label) await dialog.getByRole('textbox', { name: 'Label' }).fill(input.label);
    await dialog.getByRole('button', { name: 'Add entity' }).click();
    await expect(dialog).toBeHidden();
  }

  async filterEntityType(chip: string): Promise<void> {
    await this.page.getByRole('radiogroup', { name: 'Entity type filter' }).locator('label').filter({ hasText: new RegExp(`^${chip}\\b`) }).click();
  }

  async archive(): Promise<void> {
    await this.page.getByRole('button', { name: 'Archive', exact: true }).click();
    await expect(this.page.getByRole('button', { name: 'Unarchive', exact: true })).toBeVisible();
  }

  /** Opens the confirmation dialog and returns it, so a test can look at it before confirming. */
  async startDelete(): Promise<Locator> {
    await this.page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = this.page.getByRole('dialog', { name: /^Delete “/ });
    await expect(dialog).toBeVisible();
    // Wait for the open transition to finish, so what a screenshot shows is what the user reads.
    await expect(dialog).toHaveCSS('opacity', '1');
    return dialog;
  }
}
