import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { expect, type ServedApp } from '../support/serve.ts';

/** The Graph tab of an investigation. */
export class GraphPage {
  constructor(
    readonly page: Page,
    readonly app: ServedApp,
  ) {}

  async goto(investigationId: string): Promise<void> {
    await this.page.goto(`${this.app.url.split('?')[0]}?token=${this.app.token}#/investigations/${investigationId}/graph`);
    await this.ready();
  }

  get canvas(): Locator {
    return this.page.getByTestId('graph-canvas');
  }

  /** Drawn, laid out, and taking input. */
  async ready(timeout = 30_000): Promise<void> {
    await expect(this.canvas).toHaveAttribute('data-ready', 'true', { timeout });
  }

  get counts(): Locator {
    return this.page.getByTestId('graph-counts');
  }

  legendEntry(type: string): Locator {
    return this.page.getByRole('group', { name: /Entity types/ }).getByRole('button', { name: new RegExp(`^(Hide|Show) ${type} `) });
  }

  get details(): Locator {
    return this.page.getByRole('region', { name: 'Details' });
  }

  /** Select a node through the Find box: the graph centres on it. */
  async find(text: string, option?: RegExp | string): Promise<void> {
    const box = this.page.getByRole('combobox', { name: 'Find entity' });
    await box.fill(text);
    await this.page
      .getByRole('option', { name: option ?? text })
      .first()
      .click();
  }

  /** Open the node menu of the selected node from the keyboard (Shift+F10 on the focused graph). */
  async contextMenuByKeyboard(): Promise<Locator> {
    await this.canvas.focus();
    await this.page.keyboard.press('Shift+F10');
    const menu = this.page.getByRole('menu');
    await expect(menu).toBeVisible();
    return menu;
  }

  /** Right-click the middle of the canvas, where a found node sits. */
  async contextMenuAtCentre(): Promise<Locator> {
    await this.canvas.scrollIntoViewIfNeeded();
    const b = (await this.canvas.boundingBox())!;
    await this.page.mouse.click(b.x + b.width / 2, b.y + b.height / 2, { button: 'right' });
    const menu = this.page.getByRole('menu');
    await expect(menu).toBeVisible();
    return menu;
  }

  /** The notice a big graph shows above the canvas. */
  get largeGraphBanner(): Locator {
    return this.page.getByRole('status', { name: 'Large graph' });
  }

  /** The toolbar's buttons for the clusters drawn now. */
  get clusterButtons(): Locator {
    return this.page.getByRole('group', { name: 'Clusters' }).getByRole('button');
  }

  cluster(name: RegExp | string): Locator {
    return this.page.getByRole('button', { name: typeof name === 'string' ? `Open cluster ${name}` : name });
  }

  async groupBy(option: 'No grouping' | 'Group by type' | 'Group by site'): Promise<void> {
    const box = this.page
      .getByRole('textbox', { name: 'Group by' })
      .or(this.page.getByRole('combobox', { name: 'Group by' }))
      .first();
    await box.click();
    await this.page.getByRole('option', { name: option }).click();
  }

  /** Export PNG and hand back the downloaded file's bytes. */
  async exportPng(): Promise<Buffer> {
    const download = this.page.waitForEvent('download');
    await this.page.getByRole('button', { name: 'Export PNG' }).click();
    const file = await download;
    return readFile((await file.path())!);
  }
}
