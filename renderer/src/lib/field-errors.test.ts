import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempCore } from '../../../main/core/testing/temp-core.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { fieldErrors } from './field-errors.ts';

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
