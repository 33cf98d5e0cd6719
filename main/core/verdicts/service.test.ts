import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempCore } from '../testing/temp-core.ts';

let core: Awaited<ReturnType<typeof tempCore>>;
beforeAll(async () => {
  core = await tempCore();
});
afterAll(() => core.dispose());

const account = async (investigationId: string, site: string, username: string) =>
  (await core.call('entities.add', { investigationId, type: 'account', value: `https://${site.toLowerCase()}.example/${username}`, properties: { site, username } })).entity;

describe('verdicts', () => {
  it('a false positive on (site, username) given in investigation A shows in B; a verdict on another entity stays in its investigation', async () => {
    const a = (await core.call('investigations.create', { name: 'A' })).id;
    const b = (await core.call('investigations.create', { name: 'B' })).id;
    const inA = await account(a, 'GitHub', 'alice');
    const domainA = (await core.call('entities.add', { investigationId: a, type: 'domain', value: 'alice.example' })).entity;
    const fp = await core.call('verdicts.set', { entityId: inA.id, verdict: 'false_positive', note: 'a different alice' });
    expect(fp).toMatchObject({ verdict: 'false_positive', scope: 'site-username', site: 'GitHub', username: 'alice', inherited: false, note: 'a different alice' });
    await core.call('verdicts.set', { entityId: domainA.id, verdict: 'confirmed' });

    // B finds the same account later (another spelling of the name) and another on a different site.
    const inB = await account(b, 'GitHub', '@Alice');
    const other = await account(b, 'GitLab', 'alice');
    const domainB = (await core.call('entities.add', { investigationId: b, type: 'domain', value: 'alice.example' })).entity;
    const forB = await core.call('verdicts.forInvestigation', { investigationId: b });
    expect(forB.map((v) => [v.appliesTo, v.verdict, v.inherited, v.investigationId])).toEqual([[inB.id, 'false_positive', true, a]]);
    expect(forB.some((v) => v.appliesTo === other.id || v.appliesTo === domainB.id)).toBe(false);
    const forA = await core.call('verdicts.forInvestigation', { investigationId: a });
    expect(new Map(forA.map((v) => [v.appliesTo, v.verdict]))).toEqual(new Map([[inA.id, 'false_positive'], [domainA.id, 'confirmed']]));

    // Changing it from B changes it everywhere: there is one verdict for the pair.
    await core.call('verdicts.set', { entityId: inB.id, verdict: 'confirmed' });
    expect((await core.call('verdicts.forInvestigation', { investigationId: a })).find((v) => v.appliesTo === inA.id)).toMatchObject({ verdict: 'confirmed', inherited: true });
    expect((await core.call('verdicts.list', { verdict: 'confirmed' })).total).toBe(2);
    expect(await core.call('verdicts.clear', { entityId: inA.id })).toEqual({ entityId: inA.id, cleared: true });
    expect(await core.call('verdicts.forInvestigation', { investigationId: b })).toEqual([]);
  });

  it('refuses unknown entities and bad verdicts, changing nothing', async () => {
    await expect(core.call('verdicts.set', { entityId: 'ent_missing', verdict: 'confirmed' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(core.invoke('verdicts.set', { entityId: 'ent_x', verdict: 'maybe' })).rejects.toMatchObject({ code: 'invalid_input' });
    const before = (await core.call('verdicts.list', {})).total;
    expect((await core.call('verdicts.list', {})).total).toBe(before);
  });
});
