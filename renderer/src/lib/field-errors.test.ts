import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempCore } from '../../../main/core/testing/temp-core.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { fieldErrors, humanMessage, issuesByPath } from './field-errors.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
let core: Core;
beforeEach(async () => {
  core = await tempCore();
});
afterEach(async () => {
  await core.dispose();
});

/** The error exactly as it reaches the renderer: thrown by the core, serialized, rebuilt by the transport. */
async function rejectionOf(p: Promise<unknown>): Promise<DossierError> {
  const e = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
  expect(DossierError.is(e)).toBe(true);
  return DossierError.fromSerialized(JSON.parse(JSON.stringify(e)));
}

describe('fieldErrors', () => {
  it('puts the core’s validation messages next to the fields they concern', async () => {
    const e = await rejectionOf(core.invoke('investigations.create', { name: ' ', tags: ['ok', ''] }));
    const f = fieldErrors(e);
    expect(f.name).toMatch(/name is required/);
    expect(f.tags).toBeTruthy();
    expect(f._form).toBeUndefined();
  });

  it('keeps a message without details as a form-level error', () => {
    expect(fieldErrors(new DossierError('invalid_input', 'invalid value for ui.theme'))).toEqual({ _form: 'invalid value for ui.theme' });
  });

  it('ignores errors that are not about the input', async () => {
    const e = await rejectionOf(core.invoke('investigations.get', { id: 'inv_missing' }));
    expect(e.code).toBe('not_found');
    expect(fieldErrors(e)).toEqual({});
    expect(fieldErrors(new Error('network down'))).toEqual({});
  });
});

describe('issuesByPath', () => {
  it('keys a template’s refusals by the field they concern, in words', async () => {
    const long = await rejectionOf(core.invoke('templates.create', { name: 'x'.repeat(201), steps: [{ tool: 'dns.resolve', input: '{{domain}}' }] }));
    expect(issuesByPath(long).get('name')).toBe('At most 200 characters');
    const noTool = await rejectionOf(
      core.invoke('templates.create', {
        name: 'ok',
        steps: [
          { tool: 'dns.resolve', input: '{{domain}}' },
          { tool: 'no.such', input: '{{domain}}' },
        ],
      }),
    );
    expect([...issuesByPath(noTool)]).toEqual([['steps.1.tool', 'Unknown tool "no.such"']]);
  });

  it('words zod’s size, type and option messages', () => {
    expect(humanMessage('Too big: expected number to be <=60000')).toBe(`At most ${(60000).toLocaleString()}`);
    expect(humanMessage('Too small: expected string to have >=1 characters')).toBe('At least 1 character');
    expect(humanMessage('Too big: expected array to have <6 items')).toBe('At most 5 items');
    expect(humanMessage('Too small: expected number to be >0')).toBe('More than 0');
    expect(humanMessage('Invalid option: expected one of "a"|"b"')).toBe('Choose one of a, b');
    expect(humanMessage('Invalid input: expected number, received string')).toBe('Expected a number, not a string');
    expect(humanMessage('Unrecognized key: "depth"')).toBe('Not a parameter of this tool: depth');
  });
});
