import type { Locator, Page } from '@playwright/test';
import { expect, type ServedApp } from '../support/serve.ts';

/** The Relay section as a user sees it: endpoints, the live request stream and inspector, the playground, the charts. */
export class RelayPage {
  constructor(
    readonly page: Page,
    readonly app: ServedApp,
  ) {}

  async goto(): Promise<void> {
    await this.page.goto(this.app.url);
    await this.page.getByRole('link', { name: 'Relay' }).click();
    await expect(this.page.getByRole('heading', { name: 'Relay', level: 2 })).toBeVisible();
  }

  async tab(name: 'Requests' | 'Endpoints' | 'Playground' | 'Analytics'): Promise<void> {
    await this.page.getByRole('tab', { name }).click();
  }

  /** Creates an endpoint through the dialog; returns the URL and secret it shows. */
  async createEndpoint(input: { slug: string; provider: string; secret?: string; forwardTo?: string; channelId?: string }): Promise<{ url: string; secret: string }> {
    await this.tab('Endpoints');
    await this.page.getByRole('button', { name: 'New endpoint' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'New relay endpoint' });
    await dialog.getByRole('textbox', { name: 'Slug' }).fill(input.slug);
    await dialog.getByRole('combobox', { name: 'Provider' }).click();
    await this.page.getByRole('option', { name: new RegExp(`^${input.provider} —`) }).click();
    if (input.secret) await dialog.getByLabel('Secret').fill(input.secret);
    if (input.forwardTo) await dialog.getByRole('textbox', { name: 'Forward to' }).fill(input.forwardTo);
    if (input.channelId) await dialog.getByRole('textbox', { name: 'Team channel' }).fill(input.channelId);
    await dialog.getByRole('button', { name: 'Create endpoint' }).click();
    const url = (await dialog.getByLabel('Endpoint URL').innerText()).trim();
    // The secret renders with the URL (none for a provider without verification), so counting now is settled.
    const secretEl = dialog.getByLabel('Endpoint secret');
    const secret = (await secretEl.count()) ? (await secretEl.innerText()).trim() : '';
    return { url, secret };
  }

  /** The Routing rules dialog of an endpoint, opened from the Endpoints tab. */
  async openRules(slug: string): Promise<Locator> {
    await this.tab('Endpoints');
    await this.page.getByRole('button', { name: `Rules of ${slug}` }).click();
    return this.page.getByRole('dialog', { name: `Routing rules of ${slug}` });
  }

  /** The instruction the dialog shows once an endpoint is created. */
  get createdNote(): Locator {
    return this.page
      .getByRole('dialog', { name: 'New relay endpoint' })
      .getByRole('alert')
      .filter({ hasText: /is ready/ });
  }

  async closeDialog(): Promise<void> {
    await this.page.getByRole('button', { name: 'Done' }).click();
    await expect(this.page.getByRole('dialog')).toBeHidden();
  }

  /** The badge of a channel-fed endpoint's stream in the section header. */
  channelBadge(slug: string): Locator {
    return this.page.getByRole('group', { name: 'Team channels' }).getByLabel(new RegExp(`^channel of ${slug}:`));
  }

  get stream(): Locator {
    return this.page.getByRole('list', { name: 'Request stream' });
  }

  request(id: number): Locator {
    return this.stream.getByRole('listitem', { name: new RegExp(`^Request ${id} `) });
  }

  inspector(id: number): Locator {
    return this.page.getByRole('region', { name: `Request ${id} inspector` });
  }
}
