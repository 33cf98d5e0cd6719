import { afterEach, describe, expect, it } from 'vitest';
import { tempCore } from '../core/testing/temp-core.ts';
import { callCore, refusedSender } from './call-core.ts';

const cores: Array<{ dispose(): Promise<void> }> = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.dispose();
});

async function core() {
  const c = await tempCore();
  cores.push(c);
  return c;
}

describe('callCore (the IPC call handler after the sender check)', () => {
  it('returns the result of a valid call as {ok:true}', async () => {
    const c = await core();
    const res = await callCore(c, 'investigations.create', { name: 'Phishing kit' });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.result).toMatchObject({ name: 'Phishing kit', status: 'active' });
    const list = await c.call('investigations.list', {});
    expect(list.items.map((i) => i.name)).toEqual(['Phishing kit']);
  });

  it('turns invalid input into the typed error and changes nothing', async () => {
    const c = await core();
    const res = await callCore(c, 'investigations.create', { name: '   ' });
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((await c.call('investigations.list', {})).total).toBe(0);
  });

  it('refuses unknown and non-string method names', async () => {
    const c = await core();
    expect(await callCore(c, 'fs.readFile', {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await callCore(c, { toString: () => 'investigations.list' }, {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('keeps a not_found error code for the UI', async () => {
    const c = await core();
    const res = await callCore(c, 'investigations.get', { id: 'does-not-exist' });
    expect(res).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('reports an unexpected failure as internal, without a stack trace', async () => {
    const c = await core();
    await c.close(); // the SQLite handle is gone: better-sqlite3 throws a plain TypeError
    const res = await callCore(c, 'investigations.list', {});
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('internal');
    expect(res.error.message).toBeTruthy();
    expect(JSON.stringify(res)).not.toMatch(/\n\s+at /);
    expect(res.error).not.toHaveProperty('stack');
  });

  it('the refusal for an untrusted frame is a forbidden error', () => {
    expect(refusedSender('https://evil.example/')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
