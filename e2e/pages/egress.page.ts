import type { Locator } from '@playwright/test';
import { SettingsPage } from './settings.page.ts';

/** Settings → Egress: the mode, the proxy address, Save, and the leak test. */
export class EgressPage extends SettingsPage {
  get panel(): Locator {
    return this.page.getByRole('region', { name: 'Network egress' });
  }

  async choose(mode: 'Direct' | 'HTTP proxy' | 'HTTPS proxy' | 'SOCKS5' | 'Tor'): Promise<void> {
    await this.panel.getByText(mode, { exact: true }).click();
  }

  async setProxy(host: string, port: number): Promise<void> {
    await this.panel.getByRole('textbox', { name: 'Proxy host' }).fill(host);
    await this.panel.getByRole('textbox', { name: 'Proxy port' }).fill(String(port));
  }

  async test(echoUrl: string): Promise<void> {
    await this.panel.getByRole('textbox', { name: 'Echo URL' }).fill(echoUrl);
    await this.panel.getByRole('button', { name: 'Test egress' }).click();
  }

  row(which: 'direct' | 'proxied'): Locator {
    return this.page.getByTestId(`egress-${which}`);
  }
}
