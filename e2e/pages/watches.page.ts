import type { Locator, Page } from '@playwright/test';
import { expect, type ServedApp } from '../support/serve.ts';
import { choose } from './batches.page.ts';

/** The Watches section (list, New watch dialog, a watch's page with runs and the diff) and the verdict menus. */
export class WatchesPage {
  constructor(
    readonly page: Page,
    readonly app: ServedApp,
  ) {}

  async goto(): Promise<void> {
    await this.page.goto(this.app.url);
    await this.page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Watches' }).click();
    await expect(this.page.getByRole('heading', { name: 'Watches', level: 2 })).toBeVisible();
  }

  get list(): Locator {
    return this.page.getByRole('table', { name: 'Watches' });
  }

  get dialog(): Locator {
    return this.page.getByRole('dialog', { name: /^(New|Edit) watch$/ });
  }

  async openNew(): Promise<void> {
    await this.page.getByRole('button', { name: 'New watch' }).click();
    await expect(this.dialog).toBeVisible();
  }

  /** Fill what is given in the open New (or Edit) watch dialog. */
  async fillNew(input: {
    investigation?: string;
    name?: string;
    tool?: string;
    inputs?: string[];
    every?: string;
    cron?: string;
    timezone?: string;
  }): Promise<void> {
    const d = this.dialog;
    if (input.investigation) await choose(this.page, d, 'Investigation', input.investigation);
    if (input.name !== undefined) await d.getByRole('textbox', { name: 'Name' }).fill(input.name);
    if (input.tool) await choose(this.page, d, 'Tool', new RegExp(`^${input.tool.replace('.', '\\.')} `));
    if (input.inputs) await d.getByRole('textbox', { name: 'Inputs' }).fill(input.inputs.join('\n'));
    if (input.cron !== undefined) {
      await d.getByText('Cron', { exact: true }).click();
      await d.getByRole('textbox', { name: 'Cron expression' }).fill(input.cron);
    } else if (input.every !== undefined) {
      await d.getByText('Every', { exact: true }).click();
      await d.getByRole('textbox', { name: 'Interval' }).fill(input.every);
    }
    if (input.timezone !== undefined) await d.getByRole('textbox', { name: 'Time zone' }).fill(input.timezone);
  }

  /** Create the watch in the open dialog; ends on its page. */
  async submitNew(name: string): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Create watch' }).click();
    await expect(this.dialog).toBeHidden();
    await expect(this.page.getByRole('heading', { name, level: 2 })).toBeVisible();
  }

  /** Edit the watch whose page is open. */
  async edit(input: { name?: string; inputs?: string[]; every?: string; cron?: string; timezone?: string }): Promise<void> {
    await this.page.getByRole('button', { name: 'Edit', exact: true }).click();
    await expect(this.page.getByRole('dialog', { name: 'Edit watch' })).toBeVisible();
    await this.fillNew(input);
    await this.dialog.getByRole('button', { name: 'Save' }).click();
    await expect(this.dialog).toBeHidden();
  }

  get status(): Locator {
    return this.page.getByTestId('watch-status');
  }

  async showOnly(kind: 'All' | 'New' | 'Vanished' | 'Changed'): Promise<void> {
    await this.page.getByRole('radiogroup', { name: 'Show changes' }).getByText(kind, { exact: true }).click();
  }

  get runs(): Locator {
    return this.page.getByRole('table', { name: 'Runs' });
  }

  runRow(seq: number): Locator {
    return this.runs.getByRole('row').filter({ has: this.page.getByRole('link', { name: `Run ${seq}`, exact: true }) });
  }

  /** Run now, and wait until the run's diff is made (its status is completed). */
  async runNow(seq: number): Promise<void> {
    await this.page.getByRole('button', { name: 'Run now' }).click();
    await expect(this.runRow(seq)).toContainText('completed', { timeout: 30_000 });
    await expect(this.diff(seq)).toBeVisible();
  }

  diff(seq: number): Locator {
    return this.page.getByRole('region', { name: `Diff of run ${seq}` });
  }

  changes(seq: number): Locator {
    return this.diff(seq).getByRole('table', { name: 'Changes' });
  }

  change(seq: number, kind: 'new' | 'vanished' | 'changed', value: string): Locator {
    return this.changes(seq).getByRole('row').filter({ hasText: value }).filter({ hasText: kind });
  }

  /** Open the verdict menu of a find (entity table or details panel) and pick an action. */
  async verdict(scope: Page | Locator, label: string, action: 'Confirm' | 'Mark false positive' | 'Clear verdict'): Promise<void> {
    await scope.getByRole('button', { name: `Verdict on ${label}` }).click();
    await this.page.getByRole('menuitem', { name: action }).click();
  }
}
