import { describe, expect, it } from 'vitest';
import { RELAY_PROVIDERS } from '../../../../preload/contract/relay.ts';
import { afterCreateText } from './endpoint-hints.ts';

describe('afterCreateText', () => {
  it('reads as an instruction for every provider, never "into <a verification mode>"', () => {
    for (const p of RELAY_PROVIDERS) {
      const text = afterCreateText(p.id, p.id !== 'none');
      expect(text, p.id).toMatch(/URL/);
      expect(text, p.id).not.toMatch(/into (No verification|Generic HMAC|Standard Webhooks)/);
      expect(text, p.id).toMatch(/\.$/);
      expect(text, p.id).not.toMatch(/\.\./);
    }
    expect(afterCreateText('none', false)).toBe('Give this URL to the sender. No signature is checked, so anyone who knows the URL can post to it.');
    expect(afterCreateText('github', true)).toMatch(/Payload URL, and paste the secret below into its Secret field\.$/);
  });
});
