import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { relayCore, post, type TestCore } from '../testing/relay.ts';
import { startReceiver, type TestReceiver } from '../testing/webhook-receiver.ts';
import { tempCore, tempDir } from '../testing/temp-core.ts';
import { noopTool } from '../testing/batch-tools.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { until } from '../testing/until.ts';

/**
 * SPEC §1, one write path: a batch import never holds a transaction while it reads its file, so what other
 * writers commit meanwhile (relay requests already answered 2xx, webhook claims and attempts) cannot be rolled
 * back with an import that fails.
 */

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const count = (core: TestCore, sql: string, ...args: unknown[]) =>
  Number(
    core.ctx.sqlite
      .prepare(sql)
      .pluck()
      .get(...args),
  );

describe('staged batch import', () => {
  it('a big file batch failing near its end leaves every answered relay request and every webhook claim in place', async () => {
    const { core, base } = await relayCore();
    cleanup.push(() => core.dispose());
    const rx: TestReceiver = await startReceiver();
    cleanup.push(() => rx.close());
    core.ctx.tools.register(noopTool);
    const inv = (await core.call('investigations.create', { name: 'staging' })).id;
    await core.call('relay.endpoints.create', { slug: 'in', provider: 'none' });
    // Every relay request writes a relay.received event: the dispatcher and the delivery worker claim and record
    // deliveries for them while the import runs.
    await core.call('webhooks.create', { url: rx.url, events: ['relay.received'], allowPrivateNetwork: true });
    await core.startWorkers(['webhooks.dispatcher', 'webhooks.delivery']);

    // 300,000 usernames; a line past the limit near the end makes the whole import fail there.
    const lines = Array.from({ length: 300_000 }, (_, i) => `user${i}`);
    lines[299_990] = 'x'.repeat(5000);
    const path = join(core.dataDir, 'big.txt');
    writeFileSync(path, lines.join('\n'));

    let finished = false;
    const creating = core
      .call('batches.create', { investigationId: inv, tool: 'test.noop', source: { kind: 'file', path } })
      .then(
        () => null,
        (e: unknown) => e,
      )
      .finally(() => (finished = true));
    const answered: number[] = [];
    const posting = (async () => {
      while (!finished) {
        const r = await post(`${base}/hooks/in`, JSON.stringify({ n: answered.length }), { 'content-type': 'application/json' });
        expect(r.status).toBe(202);
        answered.push(r.json!.id as number);
      }
    })();
    let visible = 0;
    while (!finished) {
      visible += (await core.call('batches.list', { investigationId: inv, limit: 10 })).total;
      // The core answers from a synchronous driver (microtasks only): yield so I/O and timers run between looks.
      await new Promise((r) => setImmediate(r));
    }
    const err = await creating;
    await posting;
    expect(DossierError.is(err) && err.code).toBe('invalid_input');
    expect((err as Error).message).toContain('line 299991');

    // The relay kept taking requests during the import (so they interleaved with its chunks)...
    expect(answered.length).toBeGreaterThan(5);
    // ...and never saw the half-imported batch.
    expect(visible).toBe(0);
    // Nothing of the batch is left.
    expect(count(core, `select count(*) from batches`)).toBe(0);
    expect(count(core, `select count(*) from operations`)).toBe(0);
    // Every request answered 2xx is logged.
    expect(count(core, `select count(*) from relay_requests where id in (${answered.join(',')})`)).toBe(answered.length);

    // Every request's event reaches the receiver once, and each delivery the worker claimed and sent is recorded.
    await until(() => count(core, `select count(*) from deliveries where status = 'succeeded'`) >= answered.length);
    const ids = rx.received.map((r) => r.headers['webhook-id'] as string);
    expect(new Set(ids).size).toBe(ids.length);
    const recorded = core.ctx.sqlite.prepare(`select event_id from deliveries where status = 'succeeded'`).pluck().all() as string[];
    expect(new Set(recorded)).toEqual(new Set(ids));
    expect(recorded).toHaveLength(answered.length);
  }, 120_000);

  it('a batch a dead process was still staging is removed at the next start; a live importer’s is left alone', async () => {
    const dataDir = tempDir();
    const first = await tempCore({ dataDir });
    const inv = (await first.call('investigations.create', { name: 'crash' })).id;
    // A pid that surely exited: a child that has run and been reaped.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const stage = (id: string, owner: string) => {
      first.ctx.sqlite
        .prepare(
          `insert into batches (id, investigation_id, name, tool, plan, status, options, priority, total, completed, failed, cancelled, staged_by, created_at, updated_at)
           values (?, ?, ?, 'test.noop', '{}', 'pending', '{}', 0, 0, 0, 0, 0, ?, 0, 0)`,
        )
        .run(id, inv, id, owner);
      for (let seq = 1; seq <= 3; seq++) {
        first.ctx.sqlite
          .prepare(
            `insert into operations (id, batch_id, seq, tool, input_type, input_value, params, depth, status, attempts, next_attempt_at) values (?, ?, ?, 'test.noop', 'username', ?, '{}', 0, 'pending', 0, 0)`,
          )
          .run(`${id}-${seq}`, id, seq, `u${seq}`);
      }
    };
    stage('bat_dead', `${hostname()}|${dead}|00000000`);
    stage('bat_live', `${hostname()}|${process.pid}|00000000`);
    await first.close();

    const second = await tempCore({ dataDir });
    cleanup.push(() => second.dispose());
    const left = second.ctx.sqlite.prepare(`select id from batches order by id`).pluck().all();
    expect(left).toEqual(['bat_live']);
    expect(count(second, `select count(*) from operations where batch_id = 'bat_dead'`)).toBe(0);
    expect(count(second, `select count(*) from operations where batch_id = 'bat_live'`)).toBe(3);
    // Still invisible: it is some other importer's business until it flips it.
    await expect(second.call('batches.get', { id: 'bat_live' })).rejects.toMatchObject({ code: 'not_found' });
    expect((await second.call('batches.list', { investigationId: inv, limit: 10 })).total).toBe(0);
  });
});
