import type { Locator, Page } from '@playwright/test';
import { expect, type ServedApp } from '../support/serve.ts';

/** Settings → Team (the link) and the Team section (shared templates, conflicts). */
export class TeamPage {
  constructor(
    readonly page: Page,
    readonly app: ServedApp,
  ) {}

  private nav(name: string): Locator {
    return this.page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name });
  }

  /** The Team server panel of Settings. */
  get panel(): Locator {
    return this.page.getByRole('region', { name: 'Team server' });
  }

  async gotoSettings(): Promise<void> {
    await this.page.goto(this.app.url);
    await this.nav('Settings').click();
    await expect(this.page.getByRole('heading', { name: 'Settings', level: 2 })).toBeVisible();
  }

  async connect(server: string, token: string): Promise<void> {
    await this.panel.getByRole('textbox', { name: 'Server URL' }).fill(server);
    await this.panel.getByLabel('Member token').fill(token);
    await this.panel.getByRole('button', { name: 'Connect' }).click();
    await expect(this.panel.getByTestId('team-connected')).toBeVisible();
  }

  async gotoTeam(): Promise<void> {
    await this.nav('Team').click();
    await expect(this.page.getByRole('heading', { name: 'Team', level: 2 })).toBeVisible();
  }

  /** The row of a shared template in the Team section. */
  sharedRow(name: string): Locator {
    return this.page.getByRole('table', { name: 'Shared templates list' }).getByRole('row').filter({ hasText: name });
  }

  conflict(templateName: string): Locator {
    return this.page.getByRole('region', { name: 'Conflicts' }).getByLabel(`Conflict on ${templateName}`);
  }

  /** Open a template's editor from the Templates list. */
  async openTemplate(name: string): Promise<void> {
    await this.nav('Templates').click();
    await this.page.getByRole('table', { name: 'Templates' }).getByRole('row').filter({ hasText: name }).getByText(name, { exact: true }).click();
    await expect(this.page.getByRole('heading', { name, level: 2 })).toBeVisible();
  }

  get sharedSwitch(): Locator {
    return this.page.getByRole('switch', { name: 'Shared with team' });
  }
}
