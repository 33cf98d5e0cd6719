import type { Locator, Page } from '@playwright/test';

/** What browser mode shows about its link to `dossier serve`: the token page and the lost-connection banner. */
export class ConnectionModel {
  constructor(readonly page: Page) {}

  get tokenPage(): Locator {
    return this.page.getByRole('main', { name: 'Access token needed' });
  }

  get lostBanner(): Locator {
    return this.page.getByRole('alert').filter({ hasText: 'Not connected to the Dossier server' });
  }

  /** The section content under the banner, dimmed while it cannot be current. */
  get content(): Locator {
    return this.page.locator('[data-stale]');
  }
}
