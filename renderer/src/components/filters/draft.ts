import { OPERATORS_BY_TYPE, FILTER_MAX_DEPTH, groupChildren, isGroup, type Filter, type FilterCondition, type FilterNode } from '../../../../preload/contract/filters.ts';
import { FILTER_FIELDS, filterField, filterIssues, type FilterField, type FilterList } from '../../../../preload/contract/filter-fields.ts';

/** What the builder edits: every condition keeps its text as typed until it is complete. */
export interface DraftCondition {
  kind: 'condition';
  key: string;
  field: string;
  op: string;
  /** Text for text/number/date/select-is; two for between; a list for is_any_of. */
  value: string;
  value2: string;
  values: string[];
}
export interface DraftGroup {
  kind: 'group';
  key: string;
  mode: 'and' | 'or';
  children: DraftNode[];
}
export type DraftNode = DraftCondition | DraftGroup;

let seq = 0;
const key = () => `d${++seq}`;

export function fieldsOf(list: FilterList): readonly FilterField[] {
  return FILTER_FIELDS[list];
}

export function newCondition(list: FilterList, fieldName?: string): DraftCondition {
  const f = (fieldName ? filterField(list, fieldName) : undefined) ?? fieldsOf(list)[0]!;
  return { kind: 'condition', key: key(), field: f.name, op: OPERATORS_BY_TYPE[f.type][0], value: '', value2: '', values: [] };
}

export function newGroup(mode: 'and' | 'or' = 'and', children: DraftNode[] = []): DraftGroup {
  return { kind: 'group', key: key(), mode, children };
}

/** A filter as an editable draft (applied or saved filters opened in the builder). */
export function toDraft(f: Filter | null | undefined): DraftGroup {
  if (!f) return newGroup('and');
  const node = (n: FilterNode): DraftNode => {
    if (isGroup(n)) return newGroup('and' in n && n.and ? 'and' : 'or', groupChildren(n).map(node));
    const v = n.value;
    return {
      kind: 'condition',
      key: key(),
      field: n.field,
      op: n.op,
      value: Array.isArray(v) ? (n.op === 'between' ? String(v[0] ?? '') : '') : String(v),
      value2: Array.isArray(v) && n.op === 'between' ? String(v[1] ?? '') : '',
      values: Array.isArray(v) && n.op !== 'between' ? v.map(String) : [],
    };
  };
  return node(f) as DraftGroup;
}

function conditionOf(list: FilterList, c: DraftCondition): FilterCondition | null {
  const f = filterField(list, c.field);
  if (!f) return null;
  const op = c.op as FilterCondition['op'];
  if (f.type === 'number') {
    const n = Number(c.value);
    return c.value.trim() === '' || !Number.isFinite(n) ? null : { field: f.name, op, value: n };
  }
  if (op === 'between') return c.value && c.value2 ? { field: f.name, op, value: [c.value, c.value2] } : null;
  if (op === 'is_any_of') return c.values.length ? { field: f.name, op, value: c.values } : null;
  return c.value === '' ? null : { field: f.name, op, value: c.value };
}

/**
 * The draft as a filter: incomplete conditions and empty groups are left out, and null when
 * nothing is left. The result is checked against the list's whitelist like the core does.
 */
export function fromDraft(list: FilterList, d: DraftGroup): Filter | null {
  const node = (n: DraftNode): FilterNode | null => {
    if (n.kind === 'condition') return conditionOf(list, n);
    const kids = n.children.map(node).filter((x): x is FilterNode => x !== null);
    if (!kids.length) return null;
    return n.mode === 'and' ? { and: kids } : { or: kids };
  };
  const f = node(d) as Filter | null;
  if (!f || filterIssues(list, f).length) return null;
  return f;
}

/** Problems of the draft's complete conditions, for the builder to show (e.g. from > to). */
export function draftIssues(list: FilterList, d: DraftGroup): string[] {
  const node = (n: DraftNode): FilterNode | null => {
    if (n.kind === 'condition') return conditionOf(list, n);
    const kids = n.children.map(node).filter((x): x is FilterNode => x !== null);
    return kids.length ? (n.mode === 'and' ? { and: kids } : { or: kids }) : null;
  };
  const f = node(d) as Filter | null;
  return f ? filterIssues(list, f).map((i) => i.message) : [];
}

export const canNest = (depth: number) => depth < FILTER_MAX_DEPTH;

/** Immutable edits by key. */
export function updateNode(root: DraftGroup, k: string, fn: (n: DraftNode) => DraftNode | null): DraftGroup {
  const walk = (n: DraftNode): DraftNode | null => {
    if (n.key === k) return fn(n);
    if (n.kind === 'group') return { ...n, children: n.children.map(walk).filter((x): x is DraftNode => x !== null) };
    return n;
  };
  return (walk(root) as DraftGroup | null) ?? newGroup('and');
}

const OP_LABELS: Record<string, string> = {
  equals: 'is',
  contains: 'contains',
  starts_with: 'starts with',
  ends_with: 'ends with',
  eq: '=',
  gt: '>',
  lt: '<',
  gte: '≥',
  lte: '≤',
  on: 'on',
  after: 'after',
  before: 'before',
  between: 'between',
  is: 'is',
  is_any_of: 'is any of',
};
export const opLabel = (op: string) => OP_LABELS[op] ?? op;

/** One line for a badge: `Value ends with ".ru"`, `any of (2)`. */
export function describeNode(list: FilterList, n: FilterNode): string {
  if (isGroup(n)) {
    const kids = groupChildren(n);
    return `${'and' in n && n.and ? 'all' : 'any'} of (${kids.map((k) => describeNode(list, k)).join(kids.length > 1 && 'or' in n && n.or ? ' or ' : ' and ')})`;
  }
  const f = filterField(list, n.field);
  const v = Array.isArray(n.value) ? (n.op === 'between' ? `${n.value[0]} – ${n.value[1]}` : n.value.join(', ')) : typeof n.value === 'string' && f?.type === 'text' ? `“${n.value}”` : String(n.value);
  return `${f?.label ?? n.field} ${opLabel(n.op)} ${v}`;
}

/** The filter without its i-th top-level part (null when nothing is left). */
export function withoutPart(f: Filter, i: number): Filter | null {
  const kids = groupChildren(f).filter((_, j) => j !== i);
  if (!kids.length) return null;
  return 'and' in f && f.and ? { and: kids } : { or: kids };
}
