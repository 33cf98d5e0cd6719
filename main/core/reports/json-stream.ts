import { createReadStream } from 'node:fs';

/**
 * A JSON document read as a stream of its parts, for documents too big to
 * hold: the top level must be an object; the values of the keys named in
 * `lists` that are arrays are announced (`list`), and each of their elements
 * is parsed on its own (JSON.parse of just that element's text) and handed
 * on; every other top-level value (a "list" that is not an array too) is
 * parsed whole as a `field`. Memory stays at one element plus a read
 * chunk, however long the lists are.
 *
 * Syntax is checked as strictly as JSON.parse checks it: the structure here,
 * each value's inside by JSON.parse. A problem is a `JsonStreamError` naming
 * where it was found as a JSON path (`$`, `$.entities[3]`).
 */
export type JsonPart =
  { kind: 'field'; key: string; value: unknown } | { kind: 'list'; key: string } | { kind: 'item'; key: string; index: number; value: unknown };

export class JsonStreamError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const enum S {
  /** Before the top-level `{`. */
  Start,
  /** After `{` or `,`: a key (or `}` right after `{`). */
  Key,
  /** After a key: `:`. */
  Colon,
  /** After `:`: a value. */
  Value,
  /** After a top-level value: `,` or `}`. */
  AfterValue,
  /** Inside a list, after `[` or `,`: an element (or `]` right after `[`). */
  Item,
  /** After an element: `,` or `]`. */
  AfterItem,
  /** After the closing `}`: only whitespace. */
  End,
}

const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** One value's text being gathered: containers by depth, strings to their closing quote, scalars to a delimiter. */
class Capture {
  parts: string[] = [];
  depth = 0;
  inString = false;
  escaped = false;
  /** 'c' container, 's' string, 'l' literal (number, true, false, null). */
  constructor(readonly kind: 'c' | 's' | 'l') {}
}

export async function* readJsonParts(path: string, lists: readonly string[], opts: { chunkBytes?: number } = {}): AsyncGenerator<JsonPart> {
  const listKeys = new Set(lists);
  let state: S = S.Start;
  let key = '';
  let index = 0;
  let inList = false;
  let cap: Capture | null = null;
  /** The key string being read (keys are short; gathered whole). */
  let keyCap: Capture | null = null;
  let first = true;
  const seenKeys = new Set<string>();
  const where = () =>
    inList ? `$${pathKey(key)}[${index}]` : state === S.Value || state === S.AfterValue || state === S.Item || state === S.AfterItem ? `$${pathKey(key)}` : '$';
  const fail = (detail: string): never => {
    throw new JsonStreamError(where(), detail);
  };
  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (e) {
      return fail((e as Error).message);
    }
  };

  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: opts.chunkBytes ?? 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const out: JsonPart[] = [];
      let s = chunk;
      if (first && s.length > 0) {
        first = false;
        if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      }
      const n = s.length;
      let i = 0;
      while (i < n) {
        // A value or key being gathered: scan to its end (or the chunk's).
        const c0: Capture | null = cap ?? keyCap;
        if (c0) {
          const start = i;
          let done = false;
          if (c0.kind === 'l') {
            while (i < n) {
              const c = s.charCodeAt(i);
              if (c === 0x2c || c === 0x5d || c === 0x7d || isWs(c)) {
                done = true;
                break;
              }
              i++;
            }
          } else {
            while (i < n) {
              const c = s.charCodeAt(i++);
              if (c0.inString) {
                if (c0.escaped) c0.escaped = false;
                else if (c === 0x5c) c0.escaped = true;
                else if (c === 0x22) {
                  c0.inString = false;
                  if (c0.kind === 's') {
                    done = true;
                    break;
                  }
                }
              } else if (c === 0x22) c0.inString = true;
              else if (c === 0x7b || c === 0x5b) c0.depth++;
              else if (c === 0x7d || c === 0x5d) {
                if (--c0.depth === 0) {
                  done = true;
                  break;
                }
              }
            }
          }
          c0.parts.push(s.slice(start, i));
          if (!done) continue;
          const text = c0.parts.join('');
          if (c0 === keyCap) {
            keyCap = null;
            key = parse(text) as string;
            if (seenKeys.has(key)) fail(`the key ${JSON.stringify(key)} appears twice`);
            seenKeys.add(key);
            state = S.Colon;
          } else {
            cap = null;
            const value = parse(text);
            if (inList) {
              out.push({ kind: 'item', key, index, value });
              state = S.AfterItem;
            } else {
              out.push({ kind: 'field', key, value });
              state = S.AfterValue;
            }
          }
          continue;
        }
        const c = s.charCodeAt(i);
        if (isWs(c)) {
          i++;
          continue;
        }
        switch (state) {
          case S.Start:
            if (c !== 0x7b) fail('the document is not a JSON object');
            state = S.Key;
            i++;
            break;
          case S.Key:
            if (c === 0x7d && seenKeys.size === 0) {
              state = S.End;
              i++;
            } else if (c === 0x22) {
              keyCap = new Capture('s');
              keyCap.inString = true;
              keyCap.parts.push('"');
              i++;
            } else fail(`expected a key at ${JSON.stringify(s[i])}`);
            break;
          case S.Colon:
            if (c !== 0x3a) fail(`expected ":" after the key ${JSON.stringify(key)}`);
            state = S.Value;
            i++;
            break;
          case S.Value:
            if (listKeys.has(key) && c === 0x5b) {
              out.push({ kind: 'list', key });
              inList = true;
              index = 0;
              state = S.Item;
              i++;
            } else {
              cap = startCapture(c);
              state = S.Value;
            }
            break;
          case S.AfterValue:
            if (c === 0x2c) state = S.Key;
            else if (c === 0x7d) state = S.End;
            else fail(`expected "," or "}" at ${JSON.stringify(s[i])}`);
            i++;
            break;
          case S.Item:
            if (c === 0x5d && index === 0) {
              inList = false;
              state = S.AfterValue;
              i++;
            } else cap = startCapture(c);
            break;
          case S.AfterItem:
            if (c === 0x2c) {
              index++;
              state = S.Item;
            } else if (c === 0x5d) {
              inList = false;
              state = S.AfterValue;
            } else fail(`expected "," or "]" at ${JSON.stringify(s[i])}`);
            i++;
            break;
          case S.End:
            fail('there is more after the end of the document');
        }
      }
      for (const p of out) yield p;
    }
  } finally {
    stream.destroy();
  }
  // A literal at the very end of the file ends with it.
  if (cap?.kind === 'l') fail('the document ends early');
  if (state !== S.End || cap || keyCap) fail('the document ends early');

  function startCapture(c: number): Capture {
    if (c === 0x7b || c === 0x5b) return new Capture('c');
    if (c === 0x22) {
      const k = new Capture('s');
      return k;
    }
    if (c === 0x2c || c === 0x5d || c === 0x7d || c === 0x3a) return fail(`expected a value at ${JSON.stringify(String.fromCharCode(c))}`);
    return new Capture('l');
  }
}

function pathKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
