import type { Locator, Page } from '@playwright/test';
import { expect, type ServedApp } from '../support/serve.ts';

/** The Webhooks section as a user sees it: cards, the create dialog, the delivery log and its drawer. */
export class WebhooksPage {
  constructor(
    readonly page: Page,
    readonly app: ServedApp,
  ) {}

  async goto(): Promise<void> {
    await this.page.goto(this.app.url);
    await this.page.getByRole('link', { name: 'Webhooks' }).click();
    await expect(this.page.getByRole('heading', { name: 'Webhooks', level: 2 })).toBeVisible();
  }

  card(url: string): Locator {
    return this.page.getByRole('article', { name: `Webhook ${url}` });
  }

  /** Creates a webhook and returns the secret shown once. */
  async create(input: { url: string; description?: string; events?: string[]; families?: string[]; headers?: Record<string, string>; allowPrivateNetwork?: boolean }): Promise<string> {
    await this.page.getByRole('button', { name: 'New webhook' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'New webhook' });
    await dialog.getByRole('textbox', { name: 'URL' }).fill(input.url);
    if (input.description) await dialog.getByRole('textbox', { name: 'Description' }).fill(input.description);
    for (const f of input.families ?? []) await dialog.getByRole('checkbox', { name: `All ${f} events` }).check();
    for (const e of input.events ?? []) await dialog.getByRole('checkbox', { name: e, exact: true }).check();
    let i = 0;
    for (const [k, v] of Object.entries(input.headers ?? {})) {
      i++;
      await dialog.getByRole('button', { name: 'Add header' }).click();
      await dialog.getByRole('textbox', { name: `Header ${i} name` }).fill(k);
      await dialog.getByRole('textbox', { name: `Header ${i} value` }).fill(v);
    }
    if (input.allowPrivateNetwork) {
      await dialog.getByRole('switch', { name: /Allow private network/ }).check();
      await expect(dialog.getByText('The SSRF guard is off for this webhook')).toBeVisible();
    }
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    const secretDialog = this.page.getByRole('dialog', { name: 'Webhook created' });
    await expect(secretDialog).toBeVisible();
    const secret = (await secretDialog.getByLabel('Signing secret').innerText()).trim();
    return secret;
  }

  async closeSecret(): Promise<void> {
    await this.page.getByRole('button', { name: 'I have stored it' }).click();
  }

  get deliveries(): Locator {
    return this.page.getByRole('table', { name: 'Deliveries' });
  }

  deliveryRow(event: string): Locator {
    return this.deliveries.getByRole('row').filter({ hasText: event });
  }

  get drawer(): Locator {
    return this.page.getByRole('dialog', { name: 'Delivery' });
  }
}
