import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempCore } from '../testing/temp-core.ts';
import { expandTool } from '../testing/batch-tools.ts';

/**
 * Deleting a batch with its finds (issue #18 item 2). test.expand turns input n into usernames n+1 and n+2,
 * linked input → each, so two batches over neighbouring numbers share finds.
 */
type Core = Awaited<ReturnType<typeof tempCore>>;
let core: Core;
let inv: string;

beforeEach(async () => {
  core = await tempCore();
  core.ctx.tools.register(expandTool);
  inv = (await core.call('investigations.create', { name: 'finds' })).id;
  await core.startWorkers(['executor']);
});
afterEach(async () => {
  await core.dispose();
});

/** Runs test.expand over the values and waits for the batch's last commit (the bus says when it finished). */
async function batch(values: string[]): Promise<string> {
  const finished = new Promise<string>((resolve) => {
    const off = core.bus.on('batches.changed', (p) => {
      if (p.kind === 'updated' && p.status === 'completed') {
        off();
        resolve(p.batchId);
      }
    });
  });
  const b = await core.call('batches.create', { investigationId: inv, tool: 'test.expand', source: { kind: 'list', values }, inputType: 'username' });
  expect(await finished).toBe(b.id);
  return b.id;
}

function values(): string[] {
  return (core.ctx.sqlite.prepare(`select value from entities where investigation_id = ?`).all(inv) as { value: string }[]).map((r) => r.value).sort(byNumber);
}

function links(): string[] {
  return (
    core.ctx.sqlite
      .prepare(`select s.value || '>' || t.value as l from links l join entities s on s.id = l.source_id join entities t on t.id = l.target_id order by l`)
      .all() as { l: string }[]
  )
    .map((r) => r.l)
    .sort(byNumber);
}

const byNumber = (x: string, y: string) => x.localeCompare(y, 'en', { numeric: true });

async function entityId(value: string): Promise<string> {
  const page = await core.call('entities.list', { investigationId: inv, search: value });
  const e = page.items.find((i) => i.value === value);
  if (!e) throw new Error(`no entity ${value}`);
  return e.id;
}

describe('batches.delete withFinds', () => {
  it('deletes only what that batch alone found: shared finds and their links stay, and the preview counted exactly that', async () => {
    const a = await batch(['10']); // 10, 11, 12; 10>11, 10>12
    await batch(['11']); // 11, 12, 13; 11>12, 11>13
    expect(values()).toEqual(['10', '11', '12', '13']);

    const preview = await core.call('batches.onlyFinds', { id: a });
    expect(preview).toEqual({ entities: 1, links: 2 });
    const changed: unknown[] = [];
    core.bus.on('entities.changed', (p) => changed.push(p));

    const res = await core.call('batches.delete', { id: a, withFinds: true });
    expect(res).toEqual({ id: a, deleted: true, entities: 1, links: 2 });
    expect(values()).toEqual(['11', '12', '13']);
    expect(links()).toEqual(['11>12', '11>13']);
    expect(changed).toEqual([{ investigationId: inv, added: 0, removed: 1 }]);
    await expect(core.call('batches.get', { id: a })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps what was added, edited or linked by hand, and what a single tool run also found', async () => {
    await core.call('entities.add', { investigationId: inv, type: 'username', value: '40' }); // by hand, before the batch
    const run = await core.call('tools.run', { investigationId: inv, tool: 'test.expand', input: { type: 'username', value: '50' } }); // 50, 51, 52
    expect(run.status).toBe('succeeded');
    const a = await batch(['40', '51', '60']); // 40 > 41, 42; 51 > 52, 53; 60 > 61, 62
    const other = (await core.call('entities.add', { investigationId: inv, type: 'email', value: 'tip@example.com' })).entity.id;
    await core.call('links.add', { investigationId: inv, sourceId: await entityId('61'), targetId: other, type: 'related' });
    await core.call('entities.update', { id: await entityId('62'), notes: 'checked by phone' });

    // Only-A: 41, 42 (from the hand-added 40), 53, 60. 61 has a hand link, 62 a hand edit, 52 the single run, 51 both.
    expect(await core.call('batches.onlyFinds', { id: a })).toEqual({ entities: 4, links: 6 });
    await core.call('batches.delete', { id: a, withFinds: true });
    expect(values()).toEqual(['40', '50', '51', '52', '61', '62', 'tip@example.com']);
    expect(links()).toEqual(['50>51', '50>52', '61>tip@example.com']);
  });

  it('without withFinds deletes the batch only; its finds stay', async () => {
    const a = await batch(['10']);
    expect(await core.call('batches.delete', { id: a })).toEqual({ id: a, deleted: true, entities: 0, links: 0 });
    expect(values()).toEqual(['10', '11', '12']);
  });

  it('is one transaction: when the batch row cannot be deleted, every entity and link is still there', async () => {
    const a = await batch(['10']);
    // The failure comes after the finds were deleted in the same transaction.
    core.ctx.sqlite.exec(`create temp trigger refuse_batch_delete before delete on main.batches begin select raise(abort, 'disk said no'); end`);
    await expect(core.call('batches.delete', { id: a, withFinds: true })).rejects.toThrow(/disk said no/);
    expect(values()).toEqual(['10', '11', '12']);
    expect(links()).toEqual(['10>11', '10>12']);
    core.ctx.sqlite.exec(`drop trigger temp.refuse_batch_delete`);
    expect(await core.call('batches.onlyFinds', { id: a })).toEqual({ entities: 3, links: 2 });
  });

  it('an unknown batch is not_found for the preview and the delete', async () => {
    await expect(core.call('batches.onlyFinds', { id: 'bat_nope' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(core.call('batches.delete', { id: 'bat_nope', withFinds: true })).rejects.toMatchObject({ code: 'not_found' });
  });
});
