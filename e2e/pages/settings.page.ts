import type { Locator, Page } from '@playwright/test';
import { expect, type ServedApp } from '../support/serve.ts';

/** The Settings section: installation facts and one form per setting. */
export class SettingsPage {
  constructor(
    readonly page: Page,
    readonly app: ServedApp,
  ) {}

  async goto(): Promise<void> {
    await this.page.goto(this.app.url);
    await this.page.getByRole('link', { name: 'Settings' }).click();
    await expect(this.page.getByRole('heading', { name: 'Settings', level: 2 })).toBeVisible();
  }

  /** The form of one setting, found by its dotted key. */
  field(key: string): Locator {
    return this.page.getByRole('form', { name: `Setting ${key}` });
  }

  async save(key: string): Promise<void> {
    await this.field(key).getByRole('button', { name: `Save ${key}` }).click();
  }
}
