import { JSONPathEnvironment, FunctionExpressionType, type FilterFunction, type JSONValue } from 'json-p3';

/**
 * The one JSONPath evaluator for paths that come from templates, relay rules
 * and tool mappings (all of which can be shared or imported, so all are
 * untrusted). RFC 9535 (json-p3): a filter is a small expression language
 * with no way to reach JavaScript, unlike jsonpath-plus whose "safe"
 * evaluator still ran script.
 *
 * Cost is bounded three ways so a path cannot stall the event loop on a
 * 1 MiB body: few descendant (`..`) segments, a node budget per query, and
 * the regex functions (`match`, `search`) only run patterns with no nested
 * or stacked unbounded quantifiers, on strings of bounded length.
 */

export const JSONPATH_LIMITS = {
  maxPathLength: 500,
  /** Each `..` multiplies work by the document's size; two is plenty for real paths. */
  maxDescendantSegments: 2,
  /** Nodes one query may yield before it stops (a result list, not a stall). */
  maxNodes: 10_000,
  maxRegexLength: 100,
  /** Longer strings never match `match()`/`search()`: backtracking cost grows with length. */
  maxRegexSubject: 1_000,
  /** Unbounded quantifiers (`*`, `+`, `{n,}`, `{n,m}`) in one pattern; three would allow cubic backtracking. */
  maxRegexQuantifiers: 2,
} as const;

/**
 * Why a regex pattern could backtrack badly, or null. Refused: a quantified
 * group that contains a quantifier or an alternation (`(a+)+`, `(a|a)*`),
 * and more than two repeat quantifiers.
 */
export function regexProblem(pattern: string): string | null {
  if (pattern.length > JSONPATH_LIMITS.maxRegexLength) return `a pattern is limited to ${JSONPATH_LIMITS.maxRegexLength} characters`;
  // Per open group: did it contain a quantifier or `|`?
  const groups: boolean[] = [];
  let repeats = 0;
  let inClass = false;
  let lastClosedRisky = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      lastClosedRisky = false;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    const quantifier = c === '*' || c === '+' || c === '?' || c === '{';
    if (quantifier) {
      const repeating = c !== '?' && !(c === '{' && /^\{\d+\}/.test(pattern.slice(i)));
      if (repeating) repeats++;
      if (lastClosedRisky) return 'a quantified group may not contain a quantifier or alternation (catastrophic backtracking)';
      if (groups.length > 0) groups[groups.length - 1] = true;
      if (c === '{') {
        const end = pattern.indexOf('}', i);
        if (end > i) i = end;
      }
      lastClosedRisky = false;
      continue;
    }
    lastClosedRisky = false;
    if (c === '[') inClass = true;
    else if (c === '(') groups.push(false);
    else if (c === '|') {
      if (groups.length > 0) groups[groups.length - 1] = true;
    } else if (c === ')') {
      const risky = groups.pop() ?? false;
      if (risky && groups.length > 0) groups[groups.length - 1] = true;
      lastClosedRisky = risky;
    }
  }
  if (repeats > JSONPATH_LIMITS.maxRegexQuantifiers) return `a pattern may have at most ${JSONPATH_LIMITS.maxRegexQuantifiers} repeat quantifiers`;
  return null;
}

/** `match`/`search` that refuse risky patterns and over-long subjects (false, as RFC 9535 does for a bad pattern). */
class BoundedRegexFunction implements FilterFunction {
  readonly argTypes = [FunctionExpressionType.ValueType, FunctionExpressionType.ValueType];
  readonly returnType = FunctionExpressionType.LogicalType;
  constructor(private readonly inner: FilterFunction) {}
  call(s: unknown, pattern: unknown): unknown {
    if (typeof s !== 'string' || typeof pattern !== 'string') return false;
    if (s.length > JSONPATH_LIMITS.maxRegexSubject || regexProblem(pattern) !== null) return false;
    return this.inner.call(s, pattern);
  }
}

const env = new JSONPathEnvironment({ maxRecursionDepth: 64 });
for (const name of ['match', 'search']) {
  const inner = env.functionRegister.get(name);
  if (inner) env.functionRegister.set(name, new BoundedRegexFunction(inner));
}

/** Shapes only script-evaluating JSONPath dialects accept: named so the refusal says why. */
const SCRIPT_SHAPED = /=>|[;`]|\b(constructor|prototype|__proto__|eval|Function|globalThis|require|process|this)\b|@\.?\w*\s*\(|\[\s*\(/;

/** String literals given to match()/search() in a path, for checking at save time. */
const REGEX_LITERALS = /\b(?:match|search)\s*\(\s*[^,()]+,\s*(['"])((?:\\.|(?!\1).)*)\1/g;

/**
 * Why this path cannot be saved, or null when it is an RFC 9535 query within
 * the cost limits. Called wherever a path is saved or imported.
 */
export function jsonPathProblem(path: string): string | null {
  if (path.length > JSONPATH_LIMITS.maxPathLength) return `a JSONPath is limited to ${JSONPATH_LIMITS.maxPathLength} characters`;
  try {
    env.compile(path);
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    if (SCRIPT_SHAPED.test(path)) return `"${path}" looks like a script filter; only RFC 9535 JSONPath is accepted (filters such as [?@.type == 'a']), script is refused`;
    return `"${path}" is not an RFC 9535 JSONPath (${why})`;
  }
  const descendants = path.split('..').length - 1;
  if (descendants > JSONPATH_LIMITS.maxDescendantSegments) return `"${path}": at most ${JSONPATH_LIMITS.maxDescendantSegments} descendant (..) segments`;
  for (const m of path.matchAll(REGEX_LITERALS)) {
    const why = regexProblem(m[2]!);
    if (why) return `"${path}": ${why}`;
  }
  return null;
}

/**
 * Values the path finds in the document, at most `maxNodes`; an invalid path
 * or a path that hits the recursion limit finds nothing (paths are checked
 * when saved; this guards rows saved before that check existed).
 */
export function jsonPathQuery(path: string, doc: unknown, maxNodes: number = JSONPATH_LIMITS.maxNodes): unknown[] {
  if (doc === undefined || path.length > JSONPATH_LIMITS.maxPathLength) return [];
  if (path.split('..').length - 1 > JSONPATH_LIMITS.maxDescendantSegments) return [];
  const out: unknown[] = [];
  try {
    for (const node of env.lazyQuery(path, doc as JSONValue)) {
      out.push(node.value);
      if (out.length >= maxNodes) break;
    }
  } catch {
    return [];
  }
  return out;
}
