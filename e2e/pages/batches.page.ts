import type { Locator, Page } from '@playwright/test';
import { expect, type ServedApp } from '../support/serve.ts';

/** Pick an option of a Mantine Select by its visible label. */
export async function choose(page: Page, scope: Page | Locator, label: string, option: string | RegExp): Promise<void> {
  await scope.getByRole('textbox', { name: label }).or(scope.getByRole('combobox', { name: label })).first().click();
  await page.getByRole('option', { name: option }).first().click();
}

/** The Batches section: list, the New batch dialog and a batch's page. */
export class BatchesPage {
  constructor(
    readonly page: Page,
    readonly app: ServedApp,
  ) {}

  async goto(): Promise<void> {
    await this.page.goto(this.app.url);
    await this.page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Batches' }).click();
    await expect(this.page.getByRole('heading', { name: 'Batches', level: 2 })).toBeVisible();
  }

  get dialog(): Locator {
    return this.page.getByRole('dialog');
  }

  /** Fill the New batch dialog with a pasted list and start it; ends on the batch page. */
  async createFromList(input: { investigation: string; tool: string; values: string[]; name?: string; maxParallel?: number }): Promise<void> {
    await this.page.getByRole('button', { name: 'New batch' }).click();
    const d = this.page.getByRole('dialog', { name: 'New batch' });
    await choose(this.page, d, 'Investigation', input.investigation);
    await choose(this.page, d, 'Tool', new RegExp(`\\(${input.tool.replace('.', '\\.')}\\)`));
    await d.getByRole('textbox', { name: 'Inputs' }).fill(input.values.join('\n'));
    await expect(d.getByText(`${input.values.length} distinct values`)).toBeVisible();
    if (input.name) await d.getByRole('textbox', { name: 'Name' }).fill(input.name);
    if (input.maxParallel) await d.getByRole('textbox', { name: 'Max parallel' }).fill(String(input.maxParallel));
    await d.getByRole('button', { name: 'Start batch' }).click();
    await expect(d).toBeHidden();
    await expect(this.page.getByRole('link', { name: 'Batches' }).first()).toBeVisible();
  }

  status(): Locator {
    return this.page.getByRole('main').locator('[data-status]').first();
  }

  async waitFinished(status: 'completed' | 'failed' | 'cancelled' = 'completed', timeout = 30_000): Promise<void> {
    await expect(this.status()).toHaveAttribute('data-status', status, { timeout });
  }

  count(s: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled'): Locator {
    return this.page.getByTestId(`count-${s}`);
  }

  get operations(): Locator {
    return this.page.getByRole('table', { name: 'Operations' });
  }

  operationRow(input: string): Locator {
    return this.operations.getByRole('row').filter({ hasText: input });
  }
}
