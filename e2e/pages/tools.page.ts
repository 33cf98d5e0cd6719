import type { Locator, Page } from '@playwright/test';
import { expect, type ServedApp } from '../support/serve.ts';
import { choose } from './batches.page.ts';

/** The Tools section and the Run tool dialog. */
export class ToolsPage {
  constructor(
    readonly page: Page,
    readonly app: ServedApp,
  ) {}

  async goto(tab: 'Tools' | 'Site manifest' | 'Credentials' = 'Tools'): Promise<void> {
    await this.page.goto(this.app.url);
    await this.page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Tools' }).click();
    await expect(this.page.getByRole('heading', { name: 'Tools', level: 2 })).toBeVisible();
    if (tab !== 'Tools') await this.page.getByRole('tab', { name: tab }).click();
  }

  async importManifest(file: string, format?: 'Dossier' | 'Sherlock data.json' | 'Maigret data.json'): Promise<void> {
    if (format) await choose(this.page, this.page, 'Format', format);
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.getByRole('button', { name: 'Import file…' }).click();
    await (await chooser).setFiles(file);
  }

  /** The switch that turns a site of the manifest on or off (Site manifest tab). */
  siteSwitch(name: string): Locator {
    return this.page.getByRole('table', { name: 'Sites' }).getByRole('switch', { name: `Check ${name}` });
  }

  get manifestSummary(): Locator {
    return this.page.getByLabel('Manifest summary');
  }

  get runDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Run a tool' });
  }

  /** From an investigation page: open Run tool and pick a tool for an input type (its parameter fields show). */
  async openRunDialog(type: string, tool: string): Promise<Locator> {
    await this.page.getByRole('button', { name: 'Run tool' }).click();
    const d = this.runDialog;
    await choose(this.page, d, 'Input type', type);
    await choose(this.page, d, 'Tool', new RegExp(`\\(${tool.replace('.', '\\.')}\\)`));
    return d;
  }

  /** From an investigation page: open Run tool, choose an input type, and read the tools it offers. */
  async toolsOfferedFor(type: string): Promise<string[]> {
    await this.page.getByRole('button', { name: 'Run tool' }).click();
    const d = this.runDialog;
    await choose(this.page, d, 'Input type', type);
    await d.getByRole('combobox', { name: 'Tool' }).click();
    const options = this.page.getByRole('option');
    await expect(options.first()).toBeVisible();
    return options.allInnerTexts();
  }

  /** From an investigation page: Run tool, type the input, pick the tool, set params, run. */
  async runFromHeader(input: { type: string; value: string; tool: string; params?: Record<string, string> }): Promise<void> {
    await this.page.getByRole('button', { name: 'Run tool' }).click();
    const d = this.runDialog;
    await choose(this.page, d, 'Input type', input.type);
    await d.getByRole('textbox', { name: 'Input', exact: true }).fill(input.value);
    await choose(this.page, d, 'Tool', new RegExp(`\\(${input.tool.replace('.', '\\.')}\\)`));
    for (const [k, v] of Object.entries(input.params ?? {})) await d.getByRole('textbox', { name: k }).fill(v);
    await d.getByRole('button', { name: 'Run', exact: true }).click();
  }
}
