import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testing/temp-core.ts';
import { JsonStreamError, readJsonParts, type JsonPart } from './json-stream.ts';

const dir = tempDir('dossier-json-stream-');
let n = 0;
function file(text: string): string {
  const p = join(dir, `doc-${n++}.json`);
  writeFileSync(p, text);
  return p;
}

async function parts(text: string, chunkBytes?: number): Promise<JsonPart[]> {
  const out: JsonPart[] = [];
  for await (const p of readJsonParts(file(text), ['items', 'more'], { chunkBytes })) out.push(p);
  return out;
}

/** The document rebuilt from its parts: what JSON.parse of the whole file gives. */
function rebuild(ps: JsonPart[]): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (const p of ps) {
    if (p.kind === 'field') doc[p.key] = p.value;
    else if (p.kind === 'list') doc[p.key] = [];
    else (doc[p.key] as unknown[])[p.index] = p.value;
  }
  return doc;
}

async function failure(text: string, chunkBytes?: number): Promise<JsonStreamError> {
  const e = await parts(text, chunkBytes).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(JsonStreamError);
  return e as JsonStreamError;
}

const DOC = {
  format: 'x',
  version: 1,
  flag: true,
  none: null,
  head: { name: 'Zoë "quoted" \\ back\\slash', nested: [1, { a: [] }], emoji: '🦉 \u2028' },
  items: [{ id: 'a', v: 'brace } and bracket ] in a string', n: -1.5e3 }, 42, 'str', null, [], {}, { deep: [[[{ x: '\\"' }]]] }],
  more: [],
  after: 'the end',
};

describe('readJsonParts', () => {
  it.each([1, 2, 3, 7, 64, 1 << 20])('gives the same document as JSON.parse, compact or pretty, in chunks of %i bytes', async (chunk) => {
    for (const text of [JSON.stringify(DOC), JSON.stringify(DOC, null, 2), `\uFEFF${JSON.stringify(DOC, null, '\t')}\n`]) {
      const ps = await parts(text, chunk);
      expect(rebuild(ps)).toEqual(DOC);
      expect(ps.filter((p) => p.kind === 'item' && p.key === 'items')).toHaveLength(DOC.items.length);
    }
  });

  it('a list key that is not an array comes as a field', async () => {
    expect(await parts('{"items": 5}')).toEqual([{ kind: 'field', key: 'items', value: 5 }]);
    expect(await parts('{}')).toEqual([]);
  });

  it.each([
    ['', '$', /ends early/],
    ['[1, 2]', '$', /not a JSON object/],
    ['{"format": "x", ', '$', /ends early/],
    ['{"items": [1, 2', '$.items[1]', /ends early/],
    ['{"items": [1, {"a": 1]}', '$.items[1]', /./],
    ['{"items": [1, tru]}', '$.items[1]', /./],
    ['{"items": [1,]}', '$.items[1]', /expected a value/],
    ['{"items": [1] "x": 2}', '$.items', /expected "," or "}"/],
    ['{"a": 1,}', '$', /expected a key/],
    ['{"a": 1, "a": 2}', '$', /appears twice/],
    ['{"a" 1}', '$', /expected ":"/],
    ['{"a": "line\nbreak"}', '$.a', /./],
    ['{"a": 1} {"b": 2}', '$', /more after the end/],
    ['{"a": 1}}', '$', /more after the end/],
  ])('refuses %j, naming %s', async (text, path, message) => {
    for (const chunk of [1, 5, 1 << 20]) {
      const e = await failure(text, chunk);
      expect(e.path).toBe(path);
      expect(e.message).toMatch(message);
    }
  });
});
