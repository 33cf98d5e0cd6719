import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { tempCore } from '../testing/temp-core.ts';
import { createCore } from '../core.ts';
import { closeHttpAgents } from '../tools/http.ts';
import type { CoreEvents } from '../../../preload/contract/events.ts';
import { expandTool, failingTool, fetchTool, noopTool, startHostFixture, type HostFixture } from '../testing/batch-tools.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await closeHttpAgents();
});

async function setup(opts: { start?: boolean; fixture?: { delayMs?: number; retryAfterSeconds?: number }; flakyTimes?: number } = {}) {
  const core = await tempCore();
  cleanups.push(() => core.dispose());
  let fx: HostFixture | null = null;
  if (opts.fixture) {
    fx = await startHostFixture(opts.fixture);
    cleanups.push(() => fx!.close());
    core.ctx.tools.register(fetchTool(fx.url));
  }
  const failing = failingTool(opts.flakyTimes ?? 1);
  core.ctx.tools.register(noopTool).register(expandTool).register(failing);
  const inv = (await core.call('investigations.create', { name: 'batches' })).id;
  if (opts.start !== false) await core.startWorkers(['executor']);
  return { core, inv, fx: fx!, failing };
}

async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function opRows(core: Core, batchId: string) {
  return core.ctx.sqlite.prepare(`select * from operations where batch_id = ? order by seq`).all(batchId) as {
    id: string;
    input_value: string;
    status: string;
    attempts: number;
    depth: number;
    tool: string;
    started_at: number | null;
    error: string | null;
    error_kind: string | null;
  }[];
}

function outboxTypes(core: Core): string[] {
  return (core.ctx.sqlite.prepare(`select type from outbox order by seq`).all() as { type: string }[]).map((r) => r.type);
}

const values = (n: number, prefix = 'u') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('executor', () => {
  it('runs every operation exactly once, keeps exact counts, and writes batch events and throttled progress', async () => {
    const { core, inv } = await setup();
    const progress: { at: number; p: CoreEvents['batch.progress'] }[] = [];
    core.bus.on('batch.progress', (p) => progress.push({ at: Date.now(), p }));
    const t0 = Date.now();
    const b = await core.call('batches.create', { investigationId: inv, tool: 'test.noop', source: { kind: 'list', values: values(3000) }, options: { maxParallel: 7 } });
    expect(b.counts.total).toBe(3000);
    const s = await core.executor.waitFor(b.id);
    const elapsed = Date.now() - t0;
    expect(s).toMatchObject({ status: 'completed', total: 3000, completed: 3000, failed: 0, cancelled: 0 });
    const ops = opRows(core, b.id);
    expect(ops.every((o) => o.status === 'completed' && o.attempts === 1)).toBe(true);
    const attempts = core.ctx.sqlite.prepare(`select count(*) as n, count(distinct operation_id) as d from operation_attempts`).get() as { n: number; d: number };
    expect(attempts).toEqual({ n: 3000, d: 3000 });
    expect(outboxTypes(core).filter((t) => t.startsWith('batch.'))).toEqual(['batch.created', 'batch.started', 'batch.completed']);
    // No webhook subscribes to job.*: none written.
    expect(outboxTypes(core).some((t) => t.startsWith('job.'))).toBe(false);
    const mine = progress.filter((e) => e.p.batchId === b.id);
    expect(mine.at(-1)!.p).toMatchObject({ status: 'completed', counts: { completed: 3000, pending: 0 }, etaMs: 0 });
    // About ten a second at most: the first and last are forced, the rest at least 100 ms apart.
    expect(mine.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 3);
    const got = await core.call('batches.get', { id: b.id });
    expect(got.counts).toEqual({ total: 3000, pending: 0, running: 0, completed: 3000, failed: 0, cancelled: 0 });
    expect(got.finishedAt).not.toBeNull();
  });

  it('pause stops new claims (runs in flight finish) and resume continues to the end', async () => {
    const { core, inv, fx } = await setup({ fixture: { delayMs: 80 } });
    const b = await core.call('batches.create', { investigationId: inv, tool: 'test.fetch', source: { kind: 'list', values: values(30) }, options: { maxParallel: 3 } });
    await until(() => opRows(core, b.id).filter((o) => o.status === 'completed').length >= 3, 'a few completions');
    const paused = await core.call('batches.pause', { id: b.id });
    expect(paused.status).toBe('paused');
    await until(() => opRows(core, b.id).every((o) => o.status !== 'running'), 'in-flight runs to finish');
    const hits = fx.hits.length;
    const done = opRows(core, b.id).filter((o) => o.status === 'completed').length;
    expect(done).toBeLessThan(30);
    await new Promise((r) => setTimeout(r, 400));
    expect(fx.hits.length).toBe(hits);
    expect(opRows(core, b.id).filter((o) => o.status === 'completed').length).toBe(done);
    expect((await core.call('batches.get', { id: b.id })).status).toBe('paused');
    await core.call('batches.resume', { id: b.id });
    const s = await core.executor.waitFor(b.id);
    expect(s).toMatchObject({ status: 'completed', completed: 30 });
    expect(fx.hits.length).toBe(30);
  });

  it('cancel aborts requests in flight (the host sees the connections closed) and cancels the rest', async () => {
    const { core, inv, fx } = await setup({ fixture: {} });
    const b = await core.call('batches.create', {
      investigationId: inv,
      tool: 'test.fetch',
      params: { path: 'hang' },
      source: { kind: 'list', values: values(10) },
      options: { maxParallel: 4 },
    });
    await until(() => fx.hanging === 4, 'four hanging requests');
    const c = await core.call('batches.cancel', { id: b.id });
    expect(c.status).toBe('cancelled');
    expect(c.counts).toMatchObject({ total: 10, completed: 0, failed: 0, cancelled: 10 });
    await until(() => fx.abandoned === 4 && fx.hanging === 0, 'the host to see four closed connections');
    await until(() => (core.ctx.sqlite.prepare(`select count(*) as n from operation_attempts where outcome = 'aborted'`).get() as { n: number }).n === 4, 'aborted attempts');
    expect(fx.hits.length).toBe(4);
    expect(opRows(core, b.id).every((o) => o.status === 'cancelled')).toBe(true);
    expect(outboxTypes(core)).toContain('batch.cancelled');
    await expect(core.call('batches.cancel', { id: b.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('retries transient failures with backoff and records every attempt; permanent failures fail at once', async () => {
    const { core, inv, failing } = await setup({ flakyTimes: 2 });
    const b = await core.call('batches.create', {
      investigationId: inv,
      tool: 'test.fail',
      inputType: 'other',
      source: { kind: 'list', values: ['flaky-a', 'perm-b', 'ok-c'] },
      options: { retry: { attempts: 3, delaysMs: [40, 80] } },
    });
    const s = await core.executor.waitFor(b.id);
    expect(s).toMatchObject({ status: 'completed', completed: 2, failed: 1 });
    const ops = Object.fromEntries(opRows(core, b.id).map((o) => [o.input_value, o]));
    expect(ops['flaky-a']).toMatchObject({ status: 'completed', attempts: 3 });
    expect(ops['perm-b']).toMatchObject({ status: 'failed', attempts: 1, error_kind: 'permanent' });
    expect(ops['perm-b']!.error).toContain('perm-b is refused');
    expect(failing.calls.get('perm-b')).toBe(1);
    const att = await core.call('batches.attempts', { operationId: ops['flaky-a']!.id });
    expect(att.map((a) => a.outcome)).toEqual(['failed', 'failed', 'completed']);
    expect(att[0]!.errorKind).toBe('transient');
    // Backoff: ≥ 80 % of 40 ms, then of 80 ms, between attempts.
    const gap1 = Date.parse(att[1]!.startedAt) - Date.parse(att[0]!.finishedAt);
    const gap2 = Date.parse(att[2]!.startedAt) - Date.parse(att[1]!.finishedAt);
    expect(gap1).toBeGreaterThanOrEqual(31);
    expect(gap2).toBeGreaterThanOrEqual(63);
  });

  it('a transient failure that outlasts the retry policy fails with the attempt count', async () => {
    const { core, inv } = await setup({ flakyTimes: 5 });
    const b = await core.call('batches.create', {
      investigationId: inv,
      tool: 'test.fail',
      inputType: 'other',
      source: { kind: 'list', values: ['flaky-x'] },
      options: { retry: { attempts: 2, delaysMs: [10] } },
    });
    const s = await core.executor.waitFor(b.id);
    expect(s).toMatchObject({ status: 'failed', failed: 1 });
    const [op] = opRows(core, b.id);
    expect(op).toMatchObject({ status: 'failed', attempts: 2, error_kind: 'transient' });
    expect(op!.error).toContain('after 2 attempts');
    expect((await core.call('batches.get', { id: b.id })).error).toBe('no operation succeeded');
  });

  it('retry-failed runs only the failed operations again', async () => {
    const { core, inv, failing } = await setup();
    const b = await core.call('batches.create', {
      investigationId: inv,
      tool: 'test.fail',
      inputType: 'other',
      source: { kind: 'list', values: ['ok-1', 'perm-2', 'ok-3', 'perm-4', 'ok-5'] },
    });
    expect(await core.executor.waitFor(b.id)).toMatchObject({ status: 'completed', completed: 3, failed: 2 });
    failing.fixed.add('perm-2').add('perm-4');
    const r = await core.call('batches.retryFailed', { id: b.id });
    expect(r.retried).toBe(2);
    expect(await core.executor.waitFor(b.id)).toMatchObject({ status: 'completed', total: 5, completed: 5, failed: 0 });
    expect(Object.fromEntries(failing.calls)).toEqual({ 'ok-1': 1, 'perm-2': 2, 'ok-3': 1, 'perm-4': 2, 'ok-5': 1 });
    expect(outboxTypes(core).filter((t) => t === 'batch.completed')).toHaveLength(2);
  });

  it('stop_on_error: the first failure fails the batch and cancels the rest', async () => {
    const { core, inv, failing } = await setup();
    const vals = ['ok-1', 'ok-2', 'perm-3', ...values(20, 'ok-x')];
    const b = await core.call('batches.create', {
      investigationId: inv,
      tool: 'test.fail',
      inputType: 'other',
      source: { kind: 'list', values: vals },
      options: { maxParallel: 1, stopOnError: true },
    });
    const s = await core.executor.waitFor(b.id);
    expect(s).toMatchObject({ status: 'failed', total: 23, completed: 2, failed: 1, cancelled: 20 });
    const got = await core.call('batches.get', { id: b.id });
    expect(got.error).toContain('perm-3');
    expect(failing.calls.has('ok-x0')).toBe(false);
    expect(outboxTypes(core)).toContain('batch.failed');
    expect(outboxTypes(core)).not.toContain('batch.completed');
  });

  it('higher priority batches are claimed first', async () => {
    const { core, inv } = await setup({ fixture: { delayMs: 15 } });
    await core.call('settings.set', { key: 'executor.concurrency', value: 1 });
    await core.executor.stop();
    await core.executor.start(); // picks up the new global concurrency
    const low = await core.call('batches.create', { investigationId: inv, name: 'low', tool: 'test.fetch', source: { kind: 'list', values: values(12, 'low') } });
    await until(() => opRows(core, low.id).some((o) => o.status === 'completed'), 'the low batch to start');
    const high = await core.call('batches.create', {
      investigationId: inv,
      name: 'high',
      tool: 'test.fetch',
      source: { kind: 'list', values: values(6, 'high') },
      options: { priority: 10 },
    });
    const createdAt = Date.parse(high.createdAt);
    await core.executor.waitFor(high.id);
    await core.executor.waitFor(low.id);
    const highStarts = opRows(core, high.id).map((o) => o.started_at!);
    const lowAfter = opRows(core, low.id).filter((o) => o.started_at! > createdAt).map((o) => o.started_at!);
    // At most the one low run already in flight overlaps; every later low run starts after all high ones.
    expect(lowAfter.filter((t) => t < Math.max(...highStarts)).length).toBeLessThanOrEqual(1);
    expect(lowAfter.length).toBeGreaterThan(0);
  });

  it('follow-ups reach the configured depth and never run the same (tool, input) twice', async () => {
    const { core, inv } = await setup();
    const t = await core.call('templates.create', {
      name: 'expand',
      steps: [{ tool: 'test.expand', input: '{{username}}' }],
      followUps: [{ whenType: 'username', tool: 'test.expand' }],
      maxDepth: 3,
    });
    const b = await core.call('templates.run', { id: t.name, investigationId: inv, source: { kind: 'list', values: ['0', '1'] } });
    const s = await core.executor.waitFor(b.id);
    const ops = opRows(core, b.id);
    // 0 and 1 given; 0→1,2  1→2,3 ; 2→3,4  3→4,5 ; 4→5,6  5→6,7 — each value once, none deeper than 3.
    expect(ops.map((o) => o.input_value).sort((a, b) => Number(a) - Number(b))).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    expect(Math.max(...ops.map((o) => o.depth))).toBe(3);
    expect(new Set(ops.map((o) => `${o.tool}|${o.input_value}`)).size).toBe(ops.length);
    expect(s).toMatchObject({ status: 'completed', total: ops.length, completed: ops.length });
    const ents = await core.call('entities.list', { investigationId: inv, type: 'username', limit: 100 });
    // Every input became an entity and every discovery too (the last generation still runs, it just starts nothing).
    expect(ents.items.map((e) => e.value).sort((a, b) => Number(a) - Number(b))).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect((await core.call('templates.get', { id: t.id })).usageCount).toBe(1);
  });

  it('on start, operations a dead process left running go back to pending and the batch completes', async () => {
    const { core, inv } = await setup({ start: false });
    const b = await core.call('batches.create', { investigationId: inv, tool: 'test.noop', source: { kind: 'list', values: values(50) } });
    // What a killed process leaves behind: its lease, the batch running, some operations running, some done and counted.
    const dead = `${hostname()}|999999|dead`;
    core.ctx.sqlite.prepare(`update batches set status = 'running', lease_owner = ?, lease_until = ?, completed = 10 where id = ?`).run(dead, Date.now() + 60_000, b.id);
    core.ctx.sqlite.prepare(`update operations set status = 'completed', attempts = 1 where batch_id = ? and seq <= 10`).run(b.id);
    core.ctx.sqlite.prepare(`update operations set status = 'running', attempts = 1 where batch_id = ? and seq between 11 and 15`).run(b.id);
    await core.startWorkers(['executor']);
    const s = await core.executor.waitFor(b.id);
    expect(s).toMatchObject({ status: 'completed', total: 50, completed: 50 });
    const ops = opRows(core, b.id);
    expect(ops.every((o) => o.status === 'completed')).toBe(true);
    expect(ops.filter((o) => o.attempts === 2).length).toBe(5);
  });

  it('delete is refused while a batch runs and removes it with its operations otherwise', async () => {
    const { core, inv, fx } = await setup({ fixture: {} });
    const b = await core.call('batches.create', { investigationId: inv, tool: 'test.fetch', params: { path: 'hang' }, source: { kind: 'list', values: values(3) } });
    await until(() => fx.hanging > 0, 'a hanging request');
    await expect(core.call('batches.delete', { id: b.id })).rejects.toMatchObject({ code: 'busy' });
    await core.call('batches.cancel', { id: b.id });
    await until(() => !core.executor.isRunning(b.id), 'the batch to settle');
    await core.call('batches.delete', { id: b.id });
    await expect(core.call('batches.get', { id: b.id })).rejects.toMatchObject({ code: 'not_found' });
    expect((core.ctx.sqlite.prepare(`select count(*) as n from operations`).get() as { n: number }).n).toBe(0);
  });

  it('writes job.* events only while a webhook subscribes to them', async () => {
    const { core, inv } = await setup();
    const a = await core.call('batches.create', { investigationId: inv, tool: 'test.noop', source: { kind: 'list', values: values(3) } });
    await core.executor.waitFor(a.id);
    expect(outboxTypes(core).filter((t) => t.startsWith('job.'))).toEqual([]);
    await core.call('webhooks.create', { url: 'http://127.0.0.1:9/hook', events: ['job.completed'] });
    await new Promise((r) => setTimeout(r, 2100)); // the subscription check is cached for two seconds
    const b = await core.call('batches.create', { investigationId: inv, tool: 'test.noop', source: { kind: 'list', values: values(3) } });
    await core.executor.waitFor(b.id);
    const jobs = outboxTypes(core).filter((t) => t.startsWith('job.'));
    expect(jobs.filter((t) => t === 'job.created')).toHaveLength(3);
    expect(jobs.filter((t) => t === 'job.started')).toHaveLength(3);
    expect(jobs.filter((t) => t === 'job.completed')).toHaveLength(3);
    const payload = JSON.parse((core.ctx.sqlite.prepare(`select payload from outbox where type = 'job.completed' limit 1`).get() as { payload: string }).payload);
    expect(payload.job).toMatchObject({ batchId: b.id, tool: 'test.noop', status: 'completed' });
  });

  it('pause, resume and cancel from another process reach the process that runs the batch', async () => {
    const { core, inv, fx } = await setup({ fixture: { delayMs: 60 } });
    // A second core on the same database: what `dossier batch cancel` is while the desktop runs the batch.
    const other = await createCore({ dataDir: core.dataDir, mode: 'test' });
    cleanups.push(() => other.close());
    const b = await core.call('batches.create', { investigationId: inv, tool: 'test.fetch', source: { kind: 'list', values: values(40) }, options: { maxParallel: 2 } });
    await until(() => fx.hits.length >= 2, 'the batch to start');
    await other.call('batches.pause', { id: b.id });
    await until(() => opRows(core, b.id).every((o) => o.status !== 'running'), 'the runner to stop claiming', 5000);
    const hits = fx.hits.length;
    await new Promise((r) => setTimeout(r, 1300));
    expect(fx.hits.length).toBe(hits);
    expect(core.executor.isRunning(b.id)).toBe(true); // still held, just paused
    await other.call('batches.resume', { id: b.id });
    await until(() => fx.hits.length > hits, 'the runner to continue', 5000);
    await other.call('batches.cancel', { id: b.id });
    const s = await core.executor.waitFor(b.id);
    expect(s.status).toBe('cancelled');
    expect(s.completed + s.cancelled).toBe(40);
    expect(s.completed).toBeLessThan(40);
  });
});
