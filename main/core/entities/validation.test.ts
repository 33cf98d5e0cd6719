import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempCore } from '../testing/temp-core.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { entityValueProblem } from '../../../preload/contract/entity-values.ts';
import type { EntityType } from '../../../preload/contract/entities.ts';

// Issue #18 item 5: hand-added email, url, ip, domain and phone values are checked by type.
const GOOD: [EntityType, string][] = [
  ['email', 'Alice@Example.COM'],
  ['email', 'a.b+tag@sub.example.co.uk'],
  ['domain', 'example.com'],
  ['domain', 'Example.COM.'],
  ['domain', 'münchen.de'],
  ['url', 'https://example.com/profile/johndoe'],
  ['url', 'http://203.0.113.7:8080/x?y=1'],
  ['ip', '203.0.113.7'],
  ['ip', '2001:db8::1'],
  ['phone', '+44 20 7946 0958'],
  ['phone', '(415) 555-2671'],
  ['username', 'not-an-email'],
  ['account', 'github:johndoe'],
];
const BAD: [EntityType, string, RegExp][] = [
  ['email', 'not-an-email', /not an email/],
  ['email', 'a@b', /not a domain/],
  ['email', 'a@@b.com', /more than one/],
  ['email', 'a b@example.com', /not an email/],
  ['domain', 'https://example.com', /not a domain/],
  ['domain', 'example', /not a domain/],
  ['domain', '1.2.3.4', /not a domain/],
  ['domain', '-bad-.com', /not a domain/],
  ['url', 'example.com/page', /not a URL/],
  ['url', 'ftp://example.com/', /http or https/],
  ['ip', '256.1.1.1', /not an IP/],
  ['ip', 'example.com', /not an IP/],
  ['ip', '2001:db8:::1', /not an IP/],
  ['phone', 'call me', /only digits/],
  ['phone', '12', /2 digits/],
  ['phone', '12+345678', /may only lead/],
];

describe('entityValueProblem (the rules)', () => {
  it.each(GOOD)('%s %s is accepted', (type, value) => expect(entityValueProblem(type, value)).toBeNull());
  it.each(BAD)('%s %s is refused', (type, value, reason) => expect(entityValueProblem(type, value)).toMatch(reason));
});

describe('entities.add through the core boundary', () => {
  type Core = Awaited<ReturnType<typeof tempCore>>;
  let core: Core;
  let inv: string;
  beforeEach(async () => {
    core = await tempCore();
    inv = (await core.call('investigations.create', { name: 'T' })).id;
  });
  afterEach(async () => core.dispose());

  it('refuses "not-an-email" as an email with a typed invalid_input naming the value field, and stores nothing', async () => {
    const err = await core.call('entities.add', { investigationId: inv, type: 'email', value: 'not-an-email' }).catch((e: unknown) => e);
    expect(DossierError.is(err)).toBe(true);
    const de = err as DossierError;
    expect(de.code).toBe('invalid_input');
    const issues = (de.details as { issues: { path: string[]; message: string }[] }).issues;
    expect(issues).toEqual([expect.objectContaining({ path: ['value'], message: expect.stringMatching(/not an email address/) })]);
    expect((await core.call('entities.list', { investigationId: inv })).total).toBe(0);
  });

  it.each(BAD)('refuses %s %s', async (type, value) => {
    await expect(core.call('entities.add', { investigationId: inv, type, value })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('still adds valid values of every checked type', async () => {
    for (const [type, value] of GOOD) await core.call('entities.add', { investigationId: inv, type, value });
    expect((await core.call('entities.list', { investigationId: inv })).total).toBe(GOOD.length - 1); // the two domain spellings merge
  });
});
