import type { Locator, Page } from '@playwright/test';
import { expect } from '../support/serve.ts';

/**
 * The filter bar of any list (SPEC §3.6: builder, badges, clear all, saved-filter menu) and the
 * Ctrl/Cmd+K global search, driven with the mouse the way a user picks from dropdowns.
 */
export class SearchPage {
  constructor(readonly page: Page) {}

  // --- filter bar (one per list; `noun` names it: "Filter entity list") ---

  get builder(): Locator {
    return this.page.getByRole('group', { name: 'Filter conditions' });
  }

  /** The button that opens the builder of the list last opened (aria-expanded tells whether the popover is open). */
  private toggle: Locator | null = null;

  async openBuilder(noun: string): Promise<void> {
    this.toggle = this.page.getByRole('button', { name: `Filter ${noun} list` });
    await this.toggle.click();
    await expect(this.builder).toBeVisible();
    await expect(this.toggle).toHaveAttribute('aria-expanded', 'true');
  }

  async addCondition(): Promise<void> {
    await this.builder.getByRole('button', { name: 'Add condition to filter' }).click();
  }

  /**
   * Open a dropdown of condition `n` (1-based) and click one of its options. The builder must still
   * be open afterwards: a mouse pick once counted as a click outside the popover and closed it.
   */
  async pick(what: 'Field' | 'Operator' | 'Value', n: number, option: string): Promise<void> {
    await this.builder.getByRole('combobox', { name: `${what} ${n}` }).click();
    const o = this.page.getByRole('option', { name: option, exact: true });
    await expect(o).toBeVisible();
    await o.click();
    // The popover's own state, not its visibility: a closing popover stays visible while it fades out.
    await expect(this.toggle!).toHaveAttribute('aria-expanded', 'true');
    await expect(this.builder).toBeVisible();
    await expect(this.builder.getByRole('combobox', { name: `${what} ${n}` })).toHaveValue(option);
  }

  async type(n: number, text: string): Promise<void> {
    await this.builder.getByRole('textbox', { name: `Value ${n}` }).fill(text);
  }

  async typeNumber(n: number, value: number): Promise<void> {
    await this.builder.getByRole('spinbutton', { name: `Value ${n}` }).fill(String(value));
  }

  async matchAny(): Promise<void> {
    // SegmentedControl hides its radio inputs; the visible part is the label.
    await this.builder.locator('label').filter({ hasText: 'any (OR)' }).first().click();
    await expect(this.builder.getByRole('radio', { name: 'any (OR)' }).first()).toBeChecked();
  }

  async apply(): Promise<void> {
    await this.page.getByRole('button', { name: 'Apply filter' }).click();
    await expect(this.builder).toBeHidden();
  }

  /** The removable badge of an applied condition. */
  badge(text: string | RegExp): Locator {
    return this.page.locator('.mantine-Badge-root').filter({ hasText: text });
  }

  async removeBadge(description: string): Promise<void> {
    await this.page.getByRole('button', { name: `Remove filter ${description}` }).click();
  }

  async clearAll(): Promise<void> {
    await this.page.getByRole('button', { name: 'Clear all' }).click();
  }

  async saveAs(name: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Saved filters' }).click();
    await this.page.getByRole('menuitem', { name: 'Save current filter…' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Save filter' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
  }

  async applySaved(name: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Saved filters' }).click();
    await this.page.getByRole('menuitem', { name, exact: true }).click();
    await expect(this.page.getByRole('menu')).toBeHidden();
  }

  // --- global search ---

  get searchDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Search' });
  }

  get hits(): Locator {
    return this.searchDialog.getByRole('listbox', { name: 'Search results' }).getByRole('option');
  }

  async openSearchByKeyboard(): Promise<void> {
    await this.page.locator('body').click({ position: { x: 5, y: 5 } });
    await this.page.keyboard.press('Control+k');
    await expect(this.searchDialog).toBeVisible();
  }

  async searchFor(text: string): Promise<void> {
    await this.searchDialog.getByRole('textbox', { name: 'Search text' }).fill(text);
  }
}
