import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Filter, FilterCondition, FilterNode } from '../../../preload/contract/filters.ts';
import { FILTER_FIELDS } from '../../../preload/contract/filter-fields.ts';
import type { EntitiesTable } from '../db/schema.ts';
import { tempCore } from '../testing/temp-core.ts';
import { compileFilter } from './compile.ts';
import { evaluateFilter } from './evaluate.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
let core: Core;
let inv: string;
beforeAll(async () => {
  core = await tempCore();
  inv = (await core.call('investigations.create', { name: 'filters' })).id;
});
afterAll(async () => {
  await core.dispose();
});

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 30); // a Monday
// A small alphabet with every character LIKE or SQL could misread, so that values collide often.
const CHARS = ['a', 'A', 'b', '.', '%', '_', '\\', "'", '"', ';', '-', ' ', 'é', 'É', 'ß', '🙂'];
const word = fc.array(fc.constantFrom(...CHARS), { minLength: 0, maxLength: 4 }).map((a) => a.join(''));
// Instants on and beside UTC day boundaries, so that off-by-one-ms mistakes show.
const stamp = fc.tuple(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0, 1, -1, DAY / 2, DAY - 1)).map(([d, off]) => T0 + d * DAY + off);
const TYPES = ['email', 'domain', 'username'] as const;

const row = fc.record({
  type: fc.constantFrom(...TYPES),
  value: word,
  label: fc.option(word, { nil: null }),
  props: fc.dictionary(fc.constantFrom('bio', 'x'), word, { maxKeys: 2 }),
  firstSeen: stamp,
  lastSeen: stamp,
  sourceRunId: fc.option(fc.constantFrom('op_1', 'op_2'), { nil: null }),
  evidence: fc.option(
    fc.record({ httpStatus: fc.option(fc.constantFrom(200, 404, 500), { nil: undefined }), finalUrl: fc.option(word, { nil: undefined }), excerpt: fc.option(word, { nil: undefined }) }),
    { nil: null },
  ),
});
type Row = typeof row extends fc.Arbitrary<infer R> ? R : never;

const dateValue = fc.oneof(
  stamp,
  stamp.map((t) => new Date(t).toISOString()),
  fc.integer({ min: -3, max: 3 }).map((d) => new Date(T0 + d * DAY).toISOString().slice(0, 10)),
);

const conditionArb: fc.Arbitrary<FilterCondition> = fc.oneof(
  fc.record({ field: fc.constantFrom('value', 'label', 'properties', 'sourceRunId', 'finalUrl', 'excerpt'), op: fc.constantFrom('equals', 'contains', 'starts_with', 'ends_with' as const), value: word }),
  fc.record({ field: fc.constant('httpStatus'), op: fc.constantFrom('eq', 'gt', 'lt', 'gte', 'lte' as const), value: fc.constantFrom(199, 200, 404, 500, 501) }),
  fc.record({ field: fc.constantFrom('firstSeen', 'lastSeen'), op: fc.constantFrom('on', 'after', 'before' as const), value: dateValue }),
  fc.record({ field: fc.constantFrom('firstSeen', 'lastSeen'), op: fc.constant('between' as const), value: fc.tuple(dateValue, dateValue) }).map((c) => {
    const [a, b] = c.value;
    const num = (x: string | number) => (typeof x === 'number' ? x : Date.parse(x.length === 10 ? `${x}T00:00:00Z` : x));
    return { ...c, value: num(a) <= num(b) ? [a, b] : [b, a] };
  }),
  fc.record({ field: fc.constant('type'), op: fc.constant('is' as const), value: fc.constantFrom(...TYPES) }),
  fc.record({ field: fc.constant('type'), op: fc.constant('is_any_of' as const), value: fc.uniqueArray(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 3 }) }),
) as fc.Arbitrary<FilterCondition>;

const { tree } = fc.letrec<{ tree: Filter; node: FilterNode }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', maxDepth: 2 },
    fc.record({ and: fc.array(tie('node'), { minLength: 1, maxLength: 4 }) }),
    fc.record({ or: fc.array(tie('node'), { minLength: 1, maxLength: 4 }) }),
  ) as fc.Arbitrary<Filter>,
  node: fc.oneof({ depthSize: 'small', maxDepth: 2, withCrossShrink: true }, conditionArb, tie('tree')),
}));

/** The stored value of each field of the whitelist, for the reference evaluator. */
function fieldOf(r: EntitiesTable, field: string): unknown {
  const ev = r.evidence ? (JSON.parse(r.evidence) as Record<string, unknown>) : null;
  const m: Record<string, unknown> = {
    type: r.type,
    value: r.value,
    label: r.label,
    properties: r.properties,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    sourceRunId: r.source_run_id,
    httpStatus: ev?.httpStatus,
    finalUrl: ev?.finalUrl,
    excerpt: ev?.excerpt,
  };
  return m[field];
}

async function load(rows: Row[]): Promise<EntitiesTable[]> {
  const db = core.ctx.db;
  await db.deleteFrom('entities').execute();
  const stored: EntitiesTable[] = rows.map((r, i) => ({
    id: `ent_${i}`,
    investigation_id: inv,
    type: r.type,
    value: r.value,
    normalized: `${i}`,
    label: r.label,
    notes: '',
    properties: JSON.stringify(r.props),
    source_run_id: r.sourceRunId,
    evidence: r.evidence ? JSON.stringify({ observedAt: 'x', ...r.evidence }) : null,
    first_seen: r.firstSeen,
    last_seen: r.lastSeen,
  }));
  if (stored.length) await db.insertInto('entities').values(stored).execute();
  return stored;
}

// Depth of a generated tree: the generator is bounded, but the contract's limit is checked too.
const depth = (n: FilterNode): number => ('and' in n || 'or' in n ? 1 + Math.max(0, ...(('and' in n ? n.and : n.or) ?? []).map(depth)) : 0);

describe('filter compiler', () => {
  it('property: compiled SQL selects exactly the rows the reference evaluator accepts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 25 }), tree.filter((t) => depth(t) <= 3), async (rows, filter) => {
        const stored = await load(rows);
        const got = await core.ctx.db
          .selectFrom('entities')
          .select('id')
          .where(compileFilter('entities', filter))
          .orderBy('id')
          .execute();
        const want = stored.filter((r) => evaluateFilter(filter, (f) => fieldOf(r, f))).map((r) => r.id).sort();
        expect(got.map((r) => r.id)).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('entities.list takes the filter and still honours type and search', async () => {
    await load([]);
    const add = (type: 'email' | 'domain', value: string, label?: string) => core.call('entities.add', { investigationId: inv, type, value, label });
    await add('email', 'ivan@mail.ru');
    await add('email', 'bob@example.com', 'joined 2019');
    await add('domain', 'mail.ru');
    const filter: Filter = { and: [{ field: 'type', op: 'is', value: 'email' }, { field: 'value', op: 'ends_with', value: '.ru' }] };
    const page = await core.call('entities.list', { investigationId: inv, filter });
    expect(page.items.map((e) => e.value)).toEqual(['ivan@mail.ru']);
    expect(page.total).toBe(1);
    const or = await core.call('entities.list', { investigationId: inv, filter: { or: [{ field: 'value', op: 'ends_with', value: '.ru' }, { field: 'label', op: 'contains', value: '2019' }] }, search: 'mail' });
    expect(or.items.map((e) => e.value).sort()).toEqual(['ivan@mail.ru', 'mail.ru']);
    expect((await core.call('entities.list', { investigationId: inv, type: 'domain', filter })).total).toBe(0);
  });

  it('an unknown field, an operator that does not fit, or a bad value is invalid_input naming it', async () => {
    const bad = async (filter: unknown) => core.invoke('entities.list', { investigationId: inv, filter }).catch((e: unknown) => e);
    expect(await bad({ and: [{ field: 'password', op: 'equals', value: 'x' }] })).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/unknown field "password"/) });
    expect(await bad({ and: [{ field: 'value', op: 'gt', value: 3 }] })).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/operator "gt" does not fit text field "value"/) });
    expect(await bad({ and: [{ field: 'firstSeen', op: 'after', value: 'monday' }] })).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/"firstSeen"/) });
    expect(await bad({ and: [{ field: 'type', op: 'is', value: 'spaceship' }] })).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/"type" has no value "spaceship"/) });
    expect(await bad({ and: [{ field: 'value', op: 'regex', value: '.*' }] })).toMatchObject({ code: 'invalid_input' });
    expect(await bad({ and: [] })).toMatchObject({ code: 'invalid_input' });
    const deep = { and: [{ or: [{ and: [{ or: [{ field: 'value', op: 'equals', value: 'x' }] }] }] }] };
    expect(await bad(deep)).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/at most 3 deep/) });
    expect(await bad({ and: [{ field: 'value', op: 'equals', value: 'x', extra: 1 }] })).toMatchObject({ code: 'invalid_input' });
  });

  it('every list takes a filter over its own whitelist', async () => {
    const first = (l: keyof typeof FILTER_FIELDS) => FILTER_FIELDS[l][0];
    expect((await core.call('investigations.list', { filter: { and: [{ field: 'name', op: 'starts_with', value: 'FIL' }] } })).total).toBe(1);
    expect((await core.call('investigations.list', { filter: { and: [{ field: 'entityCount', op: 'gte', value: 1_000 }] } })).total).toBe(0);
    expect((await core.call('webhooks.deliveries.list', { filter: { and: [{ field: 'status', op: 'is_any_of', value: ['failed', 'dead'] }] } })).total).toBe(0);
    expect((await core.call('relay.requests.list', { filter: { or: [{ field: 'status', op: 'gte', value: 500 }, { field: 'path', op: 'contains', value: '%' }] } })).total).toBe(0);
    await expect(core.invoke('relay.requests.list', { filter: { and: [{ field: first('entities').name, op: 'is', value: 'email' }] } })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/unknown field "type" for relay_requests/),
    });
  });
});

describe('injection', () => {
  const HOSTILE = ["'", "''", '"', '%', '_', '\\', '\\%', ';', "'; drop table entities; --", '/* x */', '--', 'a%b_c\\d', '\u0000x', 'é', '🙂', ')) or 1=1 --'];

  it('hostile values never change the SQL text and are matched literally', async () => {
    const rows: Row[] = HOSTILE.map((v) => ({ type: 'email', value: v, label: null, props: {}, firstSeen: T0, lastSeen: T0, sourceRunId: null, evidence: null }));
    rows.push({ type: 'email', value: 'plain', label: null, props: {}, firstSeen: T0, lastSeen: T0, sourceRunId: null, evidence: null });
    const stored = await load(rows);
    const shape = (v: string) => core.ctx.db.selectFrom('entities').select('id').where(compileFilter('entities', { and: [{ field: 'value', op: 'contains', value: v }] })).compile();
    const reference = shape('x');
    for (const v of HOSTILE) {
      const q = shape(v);
      expect(q.sql).toBe(reference.sql);
      expect(q.parameters).toHaveLength(1);
      const got = (await core.ctx.db.selectFrom('entities').select(['id', 'value']).where(compileFilter('entities', { and: [{ field: 'value', op: 'equals', value: v }] })).execute()).map((r) => r.value);
      // equals folds ASCII case only; none of these differ by case from another.
      expect(got).toEqual([v]);
    }
    expect(await core.ctx.db.selectFrom('entities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: stored.length });
  });

  it('hostile field names are refused before any SQL is built', async () => {
    for (const field of ['value; drop table entities', 'entities.value', 'value--', '"value"', '__proto__', 'constructor', 'toString']) {
      expect(() => compileFilter('entities', { and: [{ field, op: 'equals', value: 'x' }] })).toThrow(/unknown field/);
    }
  });
});
