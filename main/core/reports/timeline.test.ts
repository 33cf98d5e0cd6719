import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempCore } from '../testing/temp-core.ts';
import { FIXTURE_START, seedInvestigation, type SeededInvestigation } from '../testing/report-fixture.ts';

let core: Awaited<ReturnType<typeof tempCore>>;
let seed: SeededInvestigation;
const DAY = 86_400_000;

beforeAll(async () => {
  core = await tempCore();
  seed = await seedInvestigation(core);
});
afterAll(() => core.dispose());

const sum = (o: Record<string, number | undefined>) => Object.values(o).reduce<number>((a, b) => a + (b ?? 0), 0);

describe('timeline', () => {
  it('counts every entity and run of the investigation over its whole span', async () => {
    const t = await core.call('reports.timeline', { investigationId: seed.investigationId, buckets: 24 });
    expect(t.span!.from).toBe(new Date(FIXTURE_START).toISOString());
    expect(t.buckets.reduce((n, b) => n + sum(b.entities), 0)).toBe(seed.entities);
    expect(t.buckets.reduce((n, b) => n + b.runs.succeeded + b.runs.failed + b.runs.other, 0)).toBe(seed.runs);
    expect(t.buckets.reduce((n, b) => n + b.runs.failed, 0)).toBe(1);
    expect(t.totals).toEqual({ entities: seed.entities, runs: seed.runs });
    expect(t.items).toHaveLength(seed.entities + seed.runs);
    expect(t.items.map((i) => i.at)).toEqual([...t.items.map((i) => i.at)].sort());
  });

  it('zooms: a narrower range holds only what happened in it, in finer buckets', async () => {
    const whole = await core.call('reports.timeline', { investigationId: seed.investigationId, buckets: 24 });
    const from = new Date(FIXTURE_START).toISOString();
    const to = new Date(FIXTURE_START + 0.5 * DAY).toISOString();
    const z = await core.call('reports.timeline', { investigationId: seed.investigationId, from, to, buckets: 24 });
    expect(z.bucketMs).toBeLessThan(whole.bucketMs);
    // username, then three accounts within the first half day; one run.
    expect(z.buckets.reduce((n, b) => n + sum(b.entities), 0)).toBe(4);
    expect(z.items.filter((i) => i.kind === 'run')).toHaveLength(1);
    expect(z.span).toEqual(whole.span);
  });

  it('honours the entity filter language like the entity table', async () => {
    const t = await core.call('reports.timeline', { investigationId: seed.investigationId, filter: { and: [{ field: 'value', op: 'contains', value: 'nightjar_42' }] } });
    // the username and its three account URLs
    expect(t.buckets.reduce((n, b) => n + sum(b.entities), 0)).toBe(4);
    expect(t.totals.entities).toBe(4);
    await expect(core.invoke('reports.timeline', { investigationId: seed.investigationId, filter: { and: [{ field: 'secret', op: 'equals', value: 'x' }] } })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('honours the entity type filter and refuses a backwards range', async () => {
    const t = await core.call('reports.timeline', { investigationId: seed.investigationId, types: ['account'] });
    expect(t.buckets.reduce((n, b) => n + sum(b.entities), 0)).toBe(3);
    expect(t.items.filter((i) => i.kind === 'entity').every((i) => i.kind === 'entity' && i.type === 'account')).toBe(true);
    await expect(core.invoke('reports.timeline', { investigationId: seed.investigationId, from: '2026-11-05T00:00:00Z', to: '2026-11-01T00:00:00Z' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(core.call('reports.timeline', { investigationId: 'inv_x' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
