import { describe, expect, it } from 'vitest';
import { SETTINGS, SETTING_KEYS } from '../../../../preload/contract/settings.ts';
import { draftOf, settingKind, splitKey, valueOf } from './setting-kind.ts';

describe('settingKind', () => {
  it('offers the enum values of an enum setting as choices', () => {
    expect(settingKind({ key: 'ui.theme', value: 'auto', default: 'auto' })).toEqual({ kind: 'choice', options: ['light', 'dark', 'auto'] });
  });

  it('derives the input from the type of the default', () => {
    expect(settingKind({ key: 'serve.port', value: 0, default: 0 }).kind).toBe('number');
    expect(settingKind({ key: 'relay.host', value: '127.0.0.1', default: '127.0.0.1' }).kind).toBe('text');
    expect(settingKind({ key: 'x.flag' as 'ui.theme', value: true, default: false }).kind).toBe('boolean');
    expect(settingKind({ key: 'x.map' as 'ui.theme', value: {}, default: {} }).kind).toBe('json');
    expect(settingKind({ key: 'x.list' as 'ui.theme', value: [1], default: [] }).kind).toBe('json');
    expect(settingKind({ key: 'x.apiToken' as 'ui.theme', value: '', default: '' }).kind).toBe('secret');
  });

  it('gives every declared setting an input whose draft round-trips to the default', () => {
    for (const key of SETTING_KEYS) {
      const def = SETTINGS[key].default as unknown;
      const kind = settingKind({ key, value: def, default: def });
      const back = valueOf(kind, draftOf(kind, def));
      expect(back, key).toEqual({ ok: true, value: def });
      // The core accepts what the UI would send back unchanged.
      expect(SETTINGS[key].schema.safeParse(back.ok ? back.value : undefined).success, key).toBe(true);
    }
  });
});

describe('valueOf', () => {
  it('refuses broken JSON and empty numbers before asking the core', () => {
    expect(valueOf({ kind: 'json' }, '{"a":')).toMatchObject({ ok: false, error: expect.stringMatching(/^Not valid JSON/) });
    expect(valueOf({ kind: 'number' }, '')).toEqual({ ok: false, error: 'Enter a number' });
    expect(valueOf({ kind: 'json' }, '[1, 2]')).toEqual({ ok: true, value: [1, 2] });
  });
});

describe('splitKey', () => {
  it('groups by the first segment and humanizes the rest', () => {
    expect(splitKey('relay.retention.count')).toEqual({ group: 'relay', label: 'Retention count' });
    expect(splitKey('executor.breakerCooldownMs')).toEqual({ group: 'executor', label: 'Breaker cooldown (ms)' });
    expect(splitKey('tools.rdap.baseUrl')).toEqual({ group: 'tools', label: 'RDAP base URL' });
    expect(splitKey('ui.theme')).toEqual({ group: 'ui', label: 'Theme' });
  });
});
