import type { Locator, Page } from '@playwright/test';
import { expect, type ServedApp } from '../support/serve.ts';

/** Pick an option of a Mantine Select by its visible label. */
export async function choose(page: Page, scope: Page | Locator, label: string, option: string | RegExp): Promise<void> {
  await scope
    .getByRole('textbox', { name: label })
    .or(scope.getByRole('combobox', { name: label }))
    .first()
    .click();
  await page.getByRole('option', { name: option }).first().click();
}

/**
 * Put a big text into a text box in one input event, as a paste does. Playwright's `fill` types it through
 * CDP's insertText, which takes minutes for 50,000 lines in Chromium; the app itself takes milliseconds.
 */
export async function pasteInto(box: Locator, text: string): Promise<void> {
  await box.evaluate((el, t) => {
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(el, t);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
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
    try {
      await expect(this.status()).toHaveAttribute('data-status', status, { timeout });
    } catch (e) {
      // A batch that does not finish in time says why: what the core holds for it (each operation's
      // status, attempts and last error) next to what the page shows, so a rare CI failure can be read.
      // The app routes by hash: #/batches/<id>.
      const id = new URL(this.page.url()).hash.split('/').pop() ?? '';
      const call = (method: string, input: unknown) =>
        fetch(`${this.app.url.split('/?')[0]}/api/call/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.app.token}` },
          body: JSON.stringify(input),
        }).then(
          (r) => r.text(),
          (err: unknown) => String(err),
        );
      const core = [await call('batches.get', { id }), await call('batches.operations', { batchId: id, limit: 20 }), await call('batches.hostStates', {})];
      const shown = await this.operations.innerText({ timeout: 2_000 }).catch(() => '(no operations table)');
      throw new Error(`${(e as Error).message}\n--- core ---\n${core.join('\n')}\n--- page ---\n${shown}`);
    }
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
