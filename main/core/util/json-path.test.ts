import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jsonPathProblem, jsonPathQuery, regexProblem } from './json-path.ts';
import { tempCore } from '../testing/temp-core.ts';

/** The payload from the review (jsonpath-plus 10.4.0 ran it with eval: 'safe' and with no option) and variants. */
const RCE: string[] = [
  "$..[?(@.constructor[( @.getPrototypeOf(@).constructor('globalThis.PWN=1;0')() )])]",
  "$..[?(@.constructor.constructor('globalThis.PWN=1')())]",
  "$[?(@.x=(globalThis.PWN=1))]",
  '$[(globalThis.PWN=1)]',
  "$..[?(@property.constructor.constructor('globalThis.PWN=1')())]",
  '$[?(() => { globalThis.PWN = 1 })]',
];

const g = globalThis as { PWN?: unknown };
afterEach(() => {
  delete g.PWN;
});

describe('JSONPath (RFC 9535, no script)', () => {
  it('refuses the review payload and its variants, and evaluating them sets nothing', () => {
    const doc = { a: { b: 1 }, list: [{ x: 1 }, 'text'] };
    for (const path of RCE) {
      expect(jsonPathProblem(path), path).toMatch(/script|RFC 9535/);
      expect(jsonPathQuery(path, doc), path).toEqual([]);
      expect(g.PWN, path).toBeUndefined();
    }
  });

  it('evaluates ordinary paths and RFC 9535 filters', () => {
    const doc = { data: { email: 'a@example.org', tags: ['x', 'y'] }, items: [{ t: 'a', v: 1 }, { t: 'b', v: 2 }, { t: 'a', v: 3 }] };
    expect(jsonPathQuery('$.data.email', doc)).toEqual(['a@example.org']);
    expect(jsonPathQuery('$.data.tags[*]', doc)).toEqual(['x', 'y']);
    expect(jsonPathQuery("$.items[?@.t == 'a'].v", doc)).toEqual([1, 3]);
    expect(jsonPathQuery("$.items[?(@.t == 'b')].v", doc)).toEqual([2]);
    expect(jsonPathQuery('$..email', doc)).toEqual(['a@example.org']);
    expect(jsonPathQuery("$.items[?match(@.t, 'a')].v", doc)).toEqual([1, 3]);
    for (const p of ['$.data.email', "$.items[?@.t == 'a']", '$..email', "$[?search(@.t, 'ab?c')]"]) expect(jsonPathProblem(p), p).toBeNull();
    expect(jsonPathProblem('data.email')).toMatch(/RFC 9535/);
  });

  it('bounds the cost of a match: nested descendants, catastrophic regexes and huge result lists', () => {
    expect(jsonPathProblem('$..a..b..c')).toMatch(/descendant/);
    expect(jsonPathQuery('$..a..b..c', { a: { b: { c: 1 } } })).toEqual([]);
    expect(jsonPathProblem("$[?match(@.s, '(a+)+$')]")).toMatch(/backtracking/);
    expect(jsonPathProblem("$[?search(@.s, '(a|aa)*b')]")).toMatch(/backtracking/);
    expect(jsonPathProblem("$[?search(@.s, 'a*a*a*b')]")).toMatch(/quantifiers/);
    expect(regexProblem('[a-z]+@[a-z]+')).toBeNull();
    // A risky pattern that reaches evaluation anyway (a row saved before this check) matches nothing rather than stalling.
    const evil = { items: [{ s: `${'a'.repeat(40)}!` }] };
    expect(jsonPathQuery("$.items[?match(@.s, '(a+)+$')]", evil)).toEqual([]);
    const big = { list: Array.from({ length: 50_000 }, (_, i) => i) };
    expect(jsonPathQuery('$.list[*]', big)).toHaveLength(10_000);
  });
});

describe('script-shaped paths are refused where they are saved', () => {
  let core: Awaited<ReturnType<typeof tempCore>>;
  beforeAll(async () => {
    core = await tempCore();
  });
  afterAll(async () => {
    await core.dispose();
  });

  it('relay rules: refused with invalid_input, nothing stored, no code run', async () => {
    const inv = await core.call('investigations.create', { name: 'rce' });
    await core.call('templates.create', { name: 'mail', steps: [{ tool: 'email.inspect', input: '{{email}}', inputType: 'email' }] });
    const ep = await core.call('relay.endpoints.create', { slug: 'rce', provider: 'none' });
    for (const path of RCE) {
      await expect(core.call('relay.rules.create', { endpointId: ep.id, name: 'x', matchPath: path, template: 'mail', investigationId: inv.id, inputs: { email: '$.e' } })).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(core.call('relay.rules.create', { endpointId: ep.id, name: 'x', eventType: 'a', template: 'mail', investigationId: inv.id, inputs: { email: path } })).rejects.toMatchObject({ code: 'invalid_input' });
    }
    expect(await core.call('relay.rules.list', { endpointId: ep.id })).toEqual([]);
    expect(g.PWN).toBeUndefined();
  });

  it('templates: an http.api or command mapping with a script filter is refused on create and import', async () => {
    const params = { url: 'https://api.example.test/?q={input}', records: RCE[0], mappings: [{ type: 'email', from: '$.email' }] };
    await expect(core.call('templates.create', { name: 'shared', steps: [{ tool: 'http.api', input: '{{u}}', params }] })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/script/) });
    const doc = { dossierTemplate: 1 as const, name: 'shared', steps: [{ tool: 'http.api', input: '{{u}}', params: { ...params, records: '$', mappings: [{ type: 'email', from: RCE[1] }] } }], followUps: [], maxDepth: 1 };
    await expect(core.call('templates.import', { document: doc })).rejects.toMatchObject({ code: 'invalid_input' });
    const cmd = { tool: 'command', input: '{{u}}', params: { command: '/bin/echo', parser: 'json', mappings: [{ type: 'email', from: '$.e', label: RCE[2] }] } };
    await expect(core.call('templates.create', { name: 'cmd', steps: [cmd] })).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await core.call('templates.list', {})).items.map((t) => t.name)).toEqual(['mail']);
    expect(g.PWN).toBeUndefined();
  });
});
