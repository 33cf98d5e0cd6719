import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tempCore } from '../testing/temp-core.ts';
import { defineTool, OPEN_GATE, ToolError, type ToolContext, type ToolDefinition, type ToolResult } from './types.ts';
import { classifyError, invokeTool, isAbort } from './invoke.ts';
import { persistToolResult } from './persist.ts';
import { createLogger } from '../log.ts';
import { DIRECT } from '../egress/egress.ts';

let core: Awaited<ReturnType<typeof tempCore>>;
beforeAll(async () => {
  core = await tempCore();
});
afterAll(() => core.dispose());

const ctxWith = (signal = new AbortController().signal): ToolContext => ({
  signal,
  investigationId: 'inv',
  runId: 'run',
  log: createLogger({ level: 'silent' }),
  gate: OPEN_GATE,
  dataDir: '/tmp',
  credential: async () => 'x',
  egress: DIRECT,
});

function tool(run: (p: { n: number }) => Promise<ToolResult>): ToolDefinition {
  return defineTool({
    name: 'test.tool',
    title: 't',
    description: 't',
    accepts: ['username'] as const,
    params: z.object({ n: z.coerce.number().int().min(1).default(1) }),
    hosts: () => [],
    rateLimit: { perSecond: 1, burst: 1 },
    run: (_i, p) => run(p),
  }) as unknown as ToolDefinition;
}
const empty: ToolResult = { entities: [], links: [], summary: 'nothing' };

describe('invokeTool', () => {
  it('validates params with the tool schema (coercing CLI strings) and checks the input type', async () => {
    let seen = 0;
    const t = tool(async (p) => ((seen = p.n), empty));
    await invokeTool(t, { type: 'username', value: 'a' }, { n: '3' }, ctxWith());
    expect(seen).toBe(3);
    await expect(invokeTool(t, { type: 'username', value: 'a' }, { n: 0 }, ctxWith())).rejects.toMatchObject({ kind: 'permanent', message: expect.stringContaining('n:') });
    await expect(invokeTool(t, { type: 'email', value: 'a@b.c' }, {}, ctxWith())).rejects.toMatchObject({ kind: 'permanent', message: expect.stringContaining('does not accept email') });
    await expect(invokeTool(t, { type: 'username', value: '  ' }, {}, ctxWith())).rejects.toMatchObject({ kind: 'permanent' });
  });

  it('returns an abort the caller can recognise even when the tool ignores its signal', async () => {
    const t = tool(() => new Promise(() => undefined));
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(new Error('batch cancelled')), 20);
    const err = await invokeTool(t, { type: 'username', value: 'a' }, {}, ctxWith(ctrl.signal)).catch((e: unknown) => e);
    expect(isAbort(err)).toBe(true);
    expect(err).not.toBeInstanceOf(ToolError);
  });

  it('classifies what tools throw', async () => {
    const net = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const cases: [unknown, string][] = [
      [net, 'transient'],
      [Object.assign(new Error('t'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), 'transient'],
      [new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }), 'transient'],
      [new DOMException('timed out', 'TimeoutError'), 'transient'],
      [new SyntaxError('Unexpected token <'), 'permanent'],
      [Object.assign(new Error('nx'), { code: 'ENOTFOUND' }), 'permanent'],
      [new Error('something else'), 'permanent'],
      [ToolError.transient('kept'), 'transient'],
    ];
    for (const [thrown, kind] of cases) {
      expect(classifyError(thrown).kind, String(thrown)).toBe(kind);
      const t = tool(async () => {
        throw thrown;
      });
      await expect(invokeTool(t, { type: 'username', value: 'a' }, {}, ctxWith())).rejects.toMatchObject({ kind });
    }
  });
});

describe('persistToolResult', () => {
  it('does not touch the database for an empty result', async () => {
    const untouchable = new Proxy({}, { get: () => { throw new Error('database touched'); } }) as never;
    const out = await persistToolResult(untouchable, { investigationId: 'inv', runId: 'run', input: { type: 'username', value: 'a' }, result: empty, now: 1 });
    expect(out).toEqual({ created: 0, entityIds: [], inputEntityId: null, linksCreated: 0 });
  });

  it('upserts entities with the run as provenance, links refs (creating the input entity), skips self-links, and emits entity.discovered only for new entities', async () => {
    const inv = (await core.call('investigations.create', { name: 'persist' })).id;
    const result: ToolResult = {
      entities: [
        { ref: 'a', type: 'account', value: 'https://example.test/alice', evidence: { observedAt: '2026-11-28T00:00:00Z', httpStatus: 200, sha256: 'f'.repeat(64) } },
        { ref: 'b', type: 'email', value: 'alice@example.test' },
        { ref: 'same', type: 'username', value: '@Alice' },
      ],
      links: [
        { source: 'input', target: 'a', type: 'has_account' },
        { source: 'input', target: 'b', type: 'has_email' },
        { source: 'input', target: 'same', type: 'related' },
      ],
      summary: 's',
    };
    const outboxBefore = core.ctx.sqlite.prepare(`select count(*) n from outbox where type = 'entity.discovered'`).get() as { n: number };
    const first = await core.ctx.db.transaction().execute((trx) =>
      persistToolResult(trx, { investigationId: inv, runId: 'run_1', input: { type: 'username', value: 'alice' }, result, now: 1000 }),
    );
    expect(first.created).toBe(3);
    expect(first.linksCreated).toBe(2);
    expect(first.inputEntityId).toBe(first.entityIds[2]);
    const acct = await core.call('entities.get', { id: first.entityIds[0]! });
    expect(acct).toMatchObject({ sourceRunId: 'run_1', evidence: { httpStatus: 200, sha256: 'f'.repeat(64) } });
    const again = await core.ctx.db.transaction().execute((trx) =>
      persistToolResult(trx, { investigationId: inv, runId: 'run_2', input: { type: 'username', value: 'alice', entityId: first.inputEntityId! }, result, now: 2000 }),
    );
    expect(again).toMatchObject({ created: 0, linksCreated: 0, entityIds: first.entityIds });
    const outboxAfter = core.ctx.sqlite.prepare(`select count(*) n from outbox where type = 'entity.discovered'`).get() as { n: number };
    expect(outboxAfter.n - outboxBefore.n).toBe(3);
    await expect(
      core.ctx.db.transaction().execute((trx) =>
        persistToolResult(trx, { investigationId: inv, runId: 'r', input: { type: 'username', value: 'x' }, result: { ...result, links: [{ source: 'input', target: 'ghost', type: 'related' }] }, now: 3 }),
      ),
    ).rejects.toMatchObject({ kind: 'permanent' });
  });
});

describe('redactParams', () => {
  it('hides literal secrets typed into header params but keeps {credential} placeholders and other values', async () => {
    const { redactParams } = await import('./run.ts');
    expect(
      redactParams({ url: 'https://api.test/?q={input}', headers: { Authorization: 'Bearer abc123', 'X-Api-Key': '{credential}', accept: 'application/json' }, mappings: [{ type: 'email', from: '$.e' }] }),
    ).toEqual({ url: 'https://api.test/?q={input}', headers: { Authorization: '[redacted]', 'X-Api-Key': '{credential}', accept: 'application/json' }, mappings: [{ type: 'email', from: '$.e' }] });
    expect(redactParams({ headers: { authorization: 'Bearer {credential}' } })).toEqual({ headers: { authorization: 'Bearer {credential}' } });
  });
});

describe('runTool', () => {
  it('records a failed run and writes nothing when the results cannot be saved (input entity deleted during the run)', async () => {
    const { runTool } = await import('./run.ts');
    const inv = (await core.call('investigations.create', { name: 'vanishing input' })).id;
    const { entity } = await core.call('entities.add', { investigationId: inv, type: 'username', value: 'ghost' });
    core.ctx.tools.register(
      defineTool({
        name: 'test.deletes-input',
        title: 't',
        description: 't',
        accepts: ['username'] as const,
        params: z.object({}),
        hosts: () => [],
        rateLimit: { perSecond: 1, burst: 1 },
        async run() {
          await core.call('entities.delete', { id: entity.id });
          return { entities: [{ ref: 'a', type: 'email', value: 'ghost@example.test' }], links: [{ source: 'input', target: 'a', type: 'has_email' }], summary: 'found one' };
        },
      }) as unknown as ToolDefinition,
    );
    const run = await runTool(core.ctx, { investigationId: inv, tool: 'test.deletes-input', input: { type: 'username', value: 'ghost', entityId: entity.id } });
    expect(run).toMatchObject({ status: 'failed', errorKind: 'permanent', error: expect.stringContaining('results not saved') });
    expect((await core.call('entities.list', { investigationId: inv })).total).toBe(0);
  });
});
