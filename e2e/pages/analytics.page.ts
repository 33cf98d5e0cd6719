import type { Locator, Page } from '@playwright/test';
import { expect, type ServedApp } from '../support/serve.ts';

/** The Analytics section as a user sees it: pickers, one panel per family, a chart card per figure. */
export class AnalyticsPage {
  constructor(
    readonly page: Page,
    readonly app: ServedApp,
  ) {}

  async goto(): Promise<void> {
    await this.page.goto(this.app.url);
    await this.page.getByRole('link', { name: 'Analytics' }).click();
    await expect(this.page.getByRole('heading', { name: 'Analytics', level: 2 })).toBeVisible();
  }

  panel(name: 'Batches' | 'Tools' | 'Entities' | 'Webhooks' | 'Relay'): Locator {
    return this.page.getByRole('region', { name });
  }

  chart(title: string): Locator {
    return this.page.getByRole('figure', { name: title });
  }

  async window(w: '1h' | '24h' | '7d' | '30d'): Promise<void> {
    await this.page.getByRole('radiogroup', { name: 'Window' }).getByText(w, { exact: true }).click();
  }

  /** Export one chart; returns the downloaded file's name and text (PNG as base64). */
  async export(title: string, kind: 'CSV' | 'JSON' | 'PNG'): Promise<{ name: string; body: Buffer }> {
    await this.page.getByRole('button', { name: `Export ${title}` }).click();
    const [dl] = await Promise.all([this.page.waitForEvent('download'), this.page.getByRole('menuitem', { name: kind }).click()]);
    const path = await dl.path();
    const { readFileSync } = await import('node:fs');
    return { name: dl.suggestedFilename(), body: readFileSync(path) };
  }
}
