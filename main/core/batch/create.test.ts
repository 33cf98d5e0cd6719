import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempCore } from '../testing/temp-core.ts';
import { startServer, type RunningServer } from '../../serve/server.ts';
import { mountBatchUploads } from '../../serve/batch-upload.ts';
import { noopTool } from '../testing/batch-tools.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
let core: Core;
let inv: string;

beforeAll(async () => {
  core = await tempCore();
  core.ctx.tools.register(noopTool);
  inv = (await core.call('investigations.create', { name: 'inputs' })).id;
  // The executor is not started: these tests look at what creation writes.
});
afterAll(async () => {
  await core.dispose();
});

function file(name: string, content: string | Buffer): string {
  const p = join(core.dataDir, name);
  writeFileSync(p, content);
  return p;
}

async function inputsOf(batchId: string): Promise<string[]> {
  const page = await core.call('batches.operations', { batchId, limit: 1000 });
  return page.items.map((o) => o.inputValue);
}

function counts() {
  const b = core.ctx.sqlite.prepare(`select count(*) as n from batches`).get() as { n: number };
  const o = core.ctx.sqlite.prepare(`select count(*) as n from operations`).get() as { n: number };
  return { batches: b.n, operations: o.n };
}

const CSV = 'id,Handle,email\n1,alice,a@x.org\n2,"bob, jr",b@x.org\n3,,c@x.org\n4,  carol  ,d@x.org\n';

describe('batch inputs', () => {
  it('a pasted list skips blank lines and keeps order', async () => {
    const b = await core.call('batches.create', { investigationId: inv, tool: 'test.noop', source: { kind: 'list', values: ['alice', ' ', 'bob', ''] } });
    expect(b).toMatchObject({ status: 'pending', tool: 'test.noop', counts: { total: 2, pending: 2 } });
    expect(await inputsOf(b.id)).toEqual(['alice', 'bob']);
  });

  it('a CSV file: the chosen column by header name (any case) or number; quoted values and blanks handled', async () => {
    const p = file('targets.csv', CSV);
    const byName = await core.call('batches.create', { investigationId: inv, tool: 'test.noop', source: { kind: 'file', path: p, column: 'handle' } });
    expect(await inputsOf(byName.id)).toEqual(['alice', 'bob, jr', 'carol']);
    const byNumber = await core.call('batches.create', { investigationId: inv, tool: 'test.noop', inputType: 'email', source: { kind: 'file', path: p, column: '3' } });
    expect(await inputsOf(byNumber.id)).toEqual(['a@x.org', 'b@x.org', 'c@x.org', 'd@x.org']);
    const ops = await core.call('batches.operations', { batchId: byNumber.id });
    expect(ops.items[0]!.inputType).toBe('email');
    const preview = await core.call('batches.previewFile', { path: p });
    expect(preview).toEqual({ format: 'csv', columns: ['id', 'Handle', 'email'], rows: [['1', 'alice', 'a@x.org'], ['2', 'bob, jr', 'b@x.org'], ['3', '', 'c@x.org'], ['4', 'carol', 'd@x.org']] });
  });

  it('a TXT file: one value per line (BOM and CRLF tolerated)', async () => {
    const p = file('names.txt', '\uFEFFalice\r\nbob\r\n\r\ncarol\n');
    const b = await core.call('batches.create', { investigationId: inv, tool: 'test.noop', source: { kind: 'file', path: p } });
    expect(await inputsOf(b.id)).toEqual(['alice', 'bob', 'carol']);
  });

  it('bad files and bad requests are typed errors that create nothing', async () => {
    const before = counts();
    const bad: [string, Parameters<typeof core.call<'batches.create'>>[1], RegExp][] = [
      ['missing column', { investigationId: inv, tool: 'test.noop', source: { kind: 'file', path: file('a.csv', CSV), column: 'phone' } }, /no column "phone" \(columns: id, Handle, email\)/],
      ['missing file', { investigationId: inv, tool: 'test.noop', source: { kind: 'file', path: join(core.dataDir, 'nope.csv') } }, /file not found/],
      ['empty file', { investigationId: inv, tool: 'test.noop', source: { kind: 'file', path: file('empty.csv', '') } }, /empty/],
      ['header only', { investigationId: inv, tool: 'test.noop', source: { kind: 'file', path: file('header.csv', 'a,b\n') } }, /no inputs/],
      ['binary', { investigationId: inv, tool: 'test.noop', source: { kind: 'file', path: file('img.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2])) } }, /not a text file/],
      // The broken quote is far down the file: rows before it were already inserted, and are rolled back.
      ['malformed', { investigationId: inv, tool: 'test.noop', source: { kind: 'file', path: file('bad.csv', 'h\n' + 'ok\n'.repeat(5000) + '"unclosed\nmore\n') } }, /malformed CSV/],
      ['column in txt', { investigationId: inv, tool: 'test.noop', source: { kind: 'file', path: file('x.txt', 'a\n'), column: 'a' } }, /only be chosen in a CSV/],
      ['unknown tool', { investigationId: inv, tool: 'nope.tool', source: { kind: 'list', values: ['a'] } }, /unknown tool "nope.tool"/],
      ['bad params', { investigationId: inv, tool: 'test.noop', params: { extra: 1 }, source: { kind: 'list', values: ['a'] } }, /invalid parameters/],
      ['type not accepted', { investigationId: inv, tool: 'test.noop', inputType: 'phone', source: { kind: 'list', values: ['a'] } }, /does not accept phone/],
      ['both tool and template', { investigationId: inv, tool: 'test.noop', template: 'x', source: { kind: 'list', values: ['a'] } }, /either tool or template/],
      ['entities of another investigation', { investigationId: inv, tool: 'test.noop', source: { kind: 'entities', entityIds: ['ent_nope'] } }, /not entities of this investigation/],
      ['unknown upload', { investigationId: inv, tool: 'test.noop', source: { kind: 'upload', uploadId: 'upl_0000' } }, /not found/],
    ];
    for (const [what, input, msg] of bad) {
      const err = await core.call('batches.create', input).then(
        () => null,
        (e: unknown) => e as { code: string; message: string },
      );
      expect(err, what).not.toBeNull();
      expect(err!.code, what).toBe('invalid_input');
      expect(err!.message, what).toMatch(msg);
    }
    await expect(core.call('batches.create', { investigationId: 'inv_nope', tool: 'test.noop', source: { kind: 'list', values: ['a'] } })).rejects.toMatchObject({ code: 'not_found' });
    expect(counts()).toEqual(before);
    expect((core.ctx.sqlite.prepare(`select count(*) as n from outbox where type = 'batch.created'`).get() as { n: number }).n).toBe(before.batches);
  });

  it('selected entities run with their own type and stay linked to the entity', async () => {
    const a = await core.call('entities.add', { investigationId: inv, type: 'username', value: 'dora' });
    const e = await core.call('entities.add', { investigationId: inv, type: 'email', value: 'dora@x.org' });
    const b = await core.call('batches.create', { investigationId: inv, tool: 'test.noop', source: { kind: 'entities', entityIds: [a.entity.id, e.entity.id] } });
    const ops = (await core.call('batches.operations', { batchId: b.id })).items;
    expect(ops.map((o) => [o.inputType, o.inputValue, o.inputEntityId])).toEqual([
      ['username', 'dora', a.entity.id],
      ['email', 'dora@x.org', e.entity.id],
    ]);
  });

  it('browser mode: a file streamed to /api/batches/upload becomes a batch, and the upload is used once', async () => {
    let server: RunningServer | null = null;
    try {
      server = await startServer({ core, port: 0, extend: (api) => mountBatchUploads(api, core) });
      const post = (body: string, headers: Record<string, string>) =>
        fetch(`${server!.url}/api/batches/upload`, { method: 'POST', body, headers: { authorization: `Bearer ${server!.token}`, ...headers } });
      const noToken = await fetch(`${server.url}/api/batches/upload`, { method: 'POST', body: 'x' });
      expect(noToken.status).toBe(401);
      const res = await post(CSV, { 'content-type': 'text/csv', 'x-filename': 'leads.csv' });
      expect(res.status).toBe(200);
      const { result } = (await res.json()) as { result: { uploadId: string; filename: string; bytes: number } };
      expect(result).toMatchObject({ filename: 'leads.csv', bytes: Buffer.byteLength(CSV) });
      expect((await core.call('batches.previewFile', { uploadId: result.uploadId })).columns).toEqual(['id', 'Handle', 'email']);
      const b = await core.call('batches.create', { investigationId: inv, tool: 'test.noop', source: { kind: 'upload', uploadId: result.uploadId, column: 'Handle' } });
      expect(await inputsOf(b.id)).toEqual(['alice', 'bob, jr', 'carol']);
      await expect(core.call('batches.create', { investigationId: inv, tool: 'test.noop', source: { kind: 'upload', uploadId: result.uploadId } })).rejects.toMatchObject({
        code: 'invalid_input',
      });
      const empty = await post('', { 'content-type': 'text/plain' });
      expect(empty.status).toBe(400);
    } finally {
      await server?.close();
    }
  });
});
