import type { Locator } from '@playwright/test';
import { expect } from '../support/serve.ts';
import { SettingsPage } from './settings.page.ts';

/** Settings → Egress: the mode, the proxy address, Save, and the leak test. */
export class EgressPage extends SettingsPage {
  get panel(): Locator {
    return this.page.getByRole('region', { name: 'Network egress' });
  }

  async choose(mode: 'Direct' | 'HTTP proxy' | 'HTTPS proxy' | 'SOCKS5' | 'Tor'): Promise<void> {
    await this.panel.getByRole('radiogroup', { name: 'Egress mode' }).getByText(mode, { exact: true }).click();
  }

  async setProxy(host: string, port: number): Promise<void> {
    await this.panel.getByRole('textbox', { name: 'Proxy host' }).fill(host);
    await this.panel.getByRole('textbox', { name: 'Proxy port' }).fill(String(port));
  }

  async saveEgress(): Promise<void> {
    await this.panel.getByRole('button', { name: 'Save egress', exact: true }).click();
    await expect(this.page.getByText('Saved the egress').last()).toBeVisible();
  }

  /** Run the leak test against `echoUrl` and wait for its answer. */
  async test(echoUrl: string): Promise<void> {
    await this.panel.getByRole('textbox', { name: 'Echo URL' }).fill(echoUrl);
    const button = this.panel.getByRole('button', { name: 'Test egress' });
    await button.click();
    await expect(this.page.getByRole('table', { name: 'Egress test result' })).toBeVisible();
    await expect(button).not.toHaveAttribute('data-loading', /.*/);
  }

  row(which: 'direct' | 'proxied'): Locator {
    return this.page.getByTestId(`egress-${which}`);
  }
}
