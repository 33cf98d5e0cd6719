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

/** The entity table's selection, row actions, details drawer and the edit and link dialogs (issue #18 items 2, 4). */
export class EntityTable {
  constructor(readonly page: Page) {}

  get table(): Locator {
    return this.page.getByRole('table', { name: 'Entities' });
  }

  /** The row whose value or label is exactly `text`. */
  row(text: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByText(text, { exact: true }) });
  }

  async select(type: string, value: string): Promise<void> {
    await this.table.getByRole('checkbox', { name: `Select ${type} ${value}`, exact: true }).check();
  }

  get selectAllOnPage(): Locator {
    return this.table.getByRole('checkbox', { name: 'Select all on this page' });
  }

  get selectionBar(): Locator {
    return this.page.getByRole('region', { name: 'Selection' });
  }

  get selectionCount(): Locator {
    return this.page.getByTestId('selection-count');
  }

  /** Clicks a bulk action of the selection bar. */
  async bulk(action: 'Run tool…' | 'Add to batch…' | 'Delete…' | 'Clear selection'): Promise<void> {
    await this.selectionBar.getByRole('button', { name: action }).click();
  }

  async rowAction(type: string, value: string, item: 'Details' | 'Run tool…' | 'Edit…' | 'Link to…'): Promise<void> {
    await this.table.getByRole('button', { name: `Actions for ${type} ${value}`, exact: true }).click();
    await this.page.getByRole('menuitem', { name: item }).click();
  }

  /** The drawer a row opens: the same details panel as the graph's. */
  get details(): Locator {
    return this.page.getByRole('dialog', { name: 'Entity details' });
  }

  async openDetails(value: string): Promise<Locator> {
    await this.row(value).getByRole('cell').nth(3).click(); // the label cell: a plain part of the row
    await expect(this.details).toBeVisible();
    await expect(this.details).toHaveCSS('opacity', '1');
    return this.details;
  }

  /** A Mantine modal by its title, once its open transition is over (so screenshots show what a user reads). */
  async modal(title: string | RegExp): Promise<Locator> {
    const d = this.page.getByRole('dialog', { name: title });
    await expect(d).toBeVisible();
    await expect(d).toHaveCSS('opacity', '1');
    return d;
  }
}
