import type { Download, Page } from '@playwright/test';
import { expect } from '../support/serve.ts';

/** Reports and interop as a user meets them: Import in the list, Export and Import CSV on the investigation page, the Timeline tab. */
export class ReportsPage {
  constructor(readonly page: Page) {}

  async importInvestigation(file: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Import', exact: true }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Import an investigation' });
    await this.chooseFile(dialog.getByLabel('Export file'), file);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(dialog).toBeHidden({ timeout: 30_000 });
  }

  /** Mantine's FileInput is a button that opens the system file chooser. */
  async chooseFile(input: import('@playwright/test').Locator, file: string): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await input.click();
    await (await chooser).setFiles(file);
  }

  /** Export in one format; resolves with every file the browser downloaded (csv: two). */
  async export(format: 'JSON' | 'CSV' | 'GraphML' | 'GEXF' | 'HTML report' | 'PDF report', opts: { includeFalsePositives?: boolean; shot?: (page: Page) => Promise<void> } = {}): Promise<Download[]> {
    const files = format === 'CSV' ? 2 : 1;
    await this.page.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Export investigation' });
    await dialog.getByRole('radio', { name: format }).check();
    if (opts.includeFalsePositives) await dialog.getByRole('checkbox', { name: 'Include entities marked false positive' }).check();
    if (opts.shot) await opts.shot(this.page);
    const downloads: Download[] = [];
    const all = new Promise<void>((resolve) => {
      const on = (d: Download) => {
        downloads.push(d);
        if (downloads.length === files) {
          this.page.off('download', on);
          resolve();
        }
      };
      this.page.on('download', on);
    });
    await dialog.getByRole('button', { name: 'Export and download' }).click();
    await all;
    await expect(dialog).toBeHidden({ timeout: 60_000 });
    return downloads;
  }

  async openTab(name: 'Timeline' | 'Entities'): Promise<void> {
    await this.page.getByRole('tab', { name }).click();
  }

  /** The shared entity filter (entity table and timeline): one condition "Type is <type>". */
  async filterEntitiesByType(type: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Filter entity list' }).click();
    await this.page.getByRole('button', { name: /^Add condition to/ }).click();
    // By keyboard: a click on an option (rendered outside the popover) would close the filter popover.
    const value = this.page.getByRole('combobox', { name: /^Value / });
    await value.fill(type);
    await value.press('ArrowDown');
    await value.press('Enter');
    await this.page.getByRole('button', { name: 'Apply filter' }).click();
  }

  get timelineItems() {
    return this.page.getByRole('table', { name: 'Timeline items' }).getByRole('row');
  }

  get timelineRange() {
    return this.page.getByLabel('Timeline range');
  }
}
