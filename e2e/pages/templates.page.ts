import type { Locator, Page } from '@playwright/test';
import { expect, type ServedApp } from '../support/serve.ts';
import { choose } from './batches.page.ts';

/** The Templates section: list and editor. */
export class TemplatesPage {
  constructor(
    readonly page: Page,
    readonly app: ServedApp,
  ) {}

  async goto(): Promise<void> {
    await this.page.goto(this.app.url);
    await this.page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Templates' }).click();
    await expect(this.page.getByRole('heading', { name: 'Templates', level: 2 })).toBeVisible();
  }

  step(n: number): Locator {
    return this.page.getByRole('group', { name: `Step ${n}`, exact: true });
  }

  async setStep(n: number, tool: string, input: string): Promise<void> {
    const s = this.step(n);
    await choose(this.page, s, 'Tool', new RegExp(`\\(${tool.replace('.', '\\.')}\\)`));
    await s.getByRole('textbox', { name: 'Input' }).fill(input);
  }

  /** The tools a follow-up rule offers for an entity type (the option labels of its tool picker). */
  async followUpToolsFor(whenType: string): Promise<string[]> {
    await this.page.getByRole('button', { name: 'Add follow-up rule' }).click();
    const rule = this.page.getByRole('group', { name: /^Follow-up rule \d+$/ }).last();
    await choose(this.page, rule, 'Entity type', new RegExp(`^${whenType}$`));
    await rule.getByRole('combobox', { name: 'Follow-up tool' }).click();
    const options = this.page.getByRole('option');
    await expect(options.first()).toBeVisible();
    const labels = await options.allInnerTexts();
    await this.page.keyboard.press('Escape');
    return labels;
  }

  async addFollowUp(whenType: string, tool: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Add follow-up rule' }).click();
    const rule = this.page.getByRole('group', { name: /^Follow-up rule \d+$/ }).last();
    await choose(this.page, rule, 'Entity type', new RegExp(`^${whenType}$`));
    await choose(this.page, rule, 'Follow-up tool', new RegExp(`\\(${tool.replace('.', '\\.')}\\)`));
  }

  /** Open the editor for a new template. */
  async startNew(name: string): Promise<void> {
    await this.page.getByRole('button', { name: 'New template' }).click();
    await this.page.getByRole('textbox', { name: 'Name' }).fill(name);
  }

  /** Unfold a step's parameters and fill one (by its label). */
  async setStepParam(n: number, label: string, value: string): Promise<void> {
    const s = this.step(n);
    await s.getByRole('button', { name: /^Parameters/ }).click();
    await s.getByRole('textbox', { name: label }).fill(value);
  }

  /** A text field of a scope (the form, a step, a rule): its error is part of its accessible description. */
  field(scope: Page | Locator, label: string): Locator {
    return scope.getByRole('textbox', { name: label });
  }

  get version(): Locator {
    return this.page.getByTestId('template-version');
  }
}

/** The Import templates dialog of the Templates list. */
export class ImportTemplatesDialogModel {
  readonly dialog: Locator;
  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Import templates' });
  }

  async open(): Promise<void> {
    await this.page.getByRole('button', { name: 'Import…' }).click();
    await expect(this.dialog).toBeVisible();
  }

  async chooseFile(name: string, content: string): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.dialog.getByRole('button', { name: 'Template file' }).click();
    await (await chooser).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
  }
}
