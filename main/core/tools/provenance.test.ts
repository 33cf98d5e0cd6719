import { afterEach, describe, expect, it } from 'vitest';
import { tempCore } from '../testing/temp-core.ts';
import { noopTool } from '../testing/batch-tools.ts';
import { inferInputType } from './infer-input-type.ts';

const cores: Array<{ dispose(): Promise<void> }> = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.dispose();
});

describe('toolRuns.provenance (the renderer no longer decodes operation ids)', () => {
  it('names the batch and operation number of an operation id, and says when the batch is gone', async () => {
    const core = await tempCore();
    cores.push(core);
    core.ctx.tools.register(noopTool);
    const inv = await core.call('investigations.create', { name: 'Where from' });
    const batch = await core.call('batches.create', {
      investigationId: inv.id,
      name: 'Usernames',
      tool: 'test.noop',
      source: { kind: 'list', values: ['a', 'b', 'c'] },
    });
    const third = (await core.call('batches.operations', { batchId: batch.id, limit: 10, offset: 0 })).items[2]!;
    expect(await core.call('toolRuns.provenance', { runId: third.id })).toEqual({
      kind: 'operation',
      batchId: batch.id,
      seq: third.seq,
      batch: { name: 'Usernames', tool: 'test.noop' },
    });
    await core.call('batches.delete', { id: batch.id });
    expect(await core.call('toolRuns.provenance', { runId: third.id })).toMatchObject({ kind: 'operation', batchId: batch.id, batch: null });
  });

  it('gives a single run with its details, and not_found for an id that is neither', async () => {
    const core = await tempCore();
    cores.push(core);
    const inv = await core.call('investigations.create', { name: 'Single' });
    const run = await core.call('tools.run', { investigationId: inv.id, tool: 'phone.parse', input: { value: '+44 20 7946 0018' } });
    expect(run.input.type).toBe('phone'); // inferred: phone.parse takes one type
    expect(await core.call('toolRuns.provenance', { runId: run.id })).toMatchObject({ kind: 'run', run: { id: run.id, tool: 'phone.parse' } });
    await expect(core.call('toolRuns.provenance', { runId: 'run_missing' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('inferInputType (tools.run without a type)', () => {
  it("takes the tool's only type, else the most specific type the value passes, else none", () => {
    expect(inferInputType(['domain'], 'anything')).toBe('domain');
    expect(inferInputType(['url', 'domain', 'username'], 'https://example.org/x')).toBe('url');
    expect(inferInputType(['email', 'username'], 'alice@example.org')).toBe('email');
    expect(inferInputType(['domain', 'username'], 'alice_1')).toBe('username');
    expect(inferInputType(['ip', 'domain'], 'not a domain or ip')).toBeNull();
  });
});
