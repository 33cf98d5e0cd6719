import { describe, expect, it } from 'vitest';
import { paramDefault, paramLabel } from './param-label.ts';

describe('paramLabel', () => {
  it('says field names as words, units in brackets and initials in capitals', () => {
    expect(paramLabel('timeoutMs')).toBe('Timeout (ms)');
    expect(paramLabel('maxRedirects')).toBe('Max redirects');
    expect(paramLabel('defaultCountry')).toBe('Default country');
    expect(paramLabel('checkMx')).toBe('Check MX');
    expect(paramLabel('baseUrl')).toBe('Base URL');
    expect(paramLabel('perHost')).toBe('Per host');
    expect(paramLabel('maxBytes')).toBe('Max bytes');
    expect(paramLabel('sites')).toBe('Sites');
    expect(paramLabel('ms')).toBe('Ms');
  });

  it('says the default a parameter takes when left empty', () => {
    expect(paramDefault({ type: 'integer', default: 5000 })).toBe(`Default: ${(5000).toLocaleString()}`);
    expect(paramDefault({ type: 'boolean', default: true })).toBe('Default: on');
    expect(paramDefault({ type: 'string', default: 'https' })).toBe('Default: https');
    expect(paramDefault({ default: ['{input}'] })).toBe('Default: {input}');
    expect(paramDefault({ type: 'string' })).toBeUndefined();
  });
});
