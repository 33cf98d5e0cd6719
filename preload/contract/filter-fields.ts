import { ENTITY_TYPES } from './entities.ts';
import { INVESTIGATION_STATUSES } from './investigations.ts';
import { OPERATION_STATUSES } from './batches.ts';
import { DELIVERY_STATUSES } from './webhooks.ts';
import { WEBHOOK_EVENT_TYPES } from './event-types.ts';
import { RELAY_FORWARD_STATES, RELAY_VERIFICATIONS } from './relay.ts';
import {
  FILTER_MAX_DEPTH,
  OPERATORS_BY_TYPE,
  groupChildren,
  isGroup,
  type FieldType,
  type Filter,
  type FilterCondition,
  type FilterGroup,
} from './filters.ts';

/** The lists a filter (and a saved filter) applies to. */
export const FILTER_LISTS = ['investigations', 'entities', 'operations', 'deliveries', 'relay_requests'] as const;
export type FilterList = (typeof FILTER_LISTS)[number];

export interface FilterField {
  readonly name: string;
  readonly label: string;
  readonly type: FieldType;
  /** The allowed values of a select field. */
  readonly options?: readonly string[];
}

const text = (name: string, label: string) => ({ name, label, type: 'text' }) as const;
const num = (name: string, label: string) => ({ name, label, type: 'number' }) as const;
const date = (name: string, label: string) => ({ name, label, type: 'date' }) as const;
const select = (name: string, label: string, options: readonly string[]) => ({ name, label, type: 'select', options }) as const;

/**
 * The whitelist of each list: the only field names a filter may use. The SQL column each maps
 * to is declared beside the compiler (main/core/search/columns.ts), checked against these names
 * by the compiler's types.
 */
export const FILTER_FIELDS = {
  investigations: [
    text('name', 'Name'),
    text('description', 'Description'),
    select('status', 'Status', INVESTIGATION_STATUSES),
    text('tags', 'Tags'),
    num('entityCount', 'Entities'),
    date('createdAt', 'Created'),
    date('updatedAt', 'Updated'),
  ],
  entities: [
    select('type', 'Type', ENTITY_TYPES),
    text('value', 'Value'),
    text('label', 'Label'),
    text('properties', 'Properties (JSON)'),
    date('firstSeen', 'First seen'),
    date('lastSeen', 'Last seen'),
    text('sourceRunId', 'Source run'),
    num('httpStatus', 'HTTP status'),
    text('finalUrl', 'Final URL'),
    text('excerpt', 'Evidence excerpt'),
  ],
  operations: [
    text('tool', 'Tool'),
    select('inputType', 'Input type', ENTITY_TYPES),
    text('inputValue', 'Input'),
    select('status', 'Status', OPERATION_STATUSES),
    num('attempts', 'Attempts'),
    num('depth', 'Depth'),
    num('durationMs', 'Duration (ms)'),
    date('startedAt', 'Started'),
    date('finishedAt', 'Finished'),
    text('error', 'Error'),
    select('errorKind', 'Error kind', ['transient', 'permanent', 'cancelled']),
  ],
  deliveries: [
    select('event', 'Event', WEBHOOK_EVENT_TYPES),
    select('status', 'Status', DELIVERY_STATUSES),
    text('webhookId', 'Webhook id'),
    num('attempts', 'Attempts'),
    num('statusCode', 'Last HTTP status'),
    num('latencyMs', 'Last latency (ms)'),
    text('error', 'Last error'),
    date('createdAt', 'Created'),
    date('updatedAt', 'Updated'),
  ],
  relay_requests: [
    text('slug', 'Endpoint slug'),
    text('method', 'Method'),
    text('path', 'Path'),
    num('status', 'Status'),
    select('verification', 'Verification', RELAY_VERIFICATIONS),
    text('eventType', 'Event type'),
    num('latencyMs', 'Latency (ms)'),
    num('size', 'Size (bytes)'),
    text('sourceIp', 'Source IP'),
    text('userAgent', 'User agent'),
    text('contentType', 'Content type'),
    select('forwardState', 'Forwarding', RELAY_FORWARD_STATES),
    text('error', 'Error'),
    date('receivedAt', 'Received'),
  ],
} as const satisfies Record<FilterList, readonly FilterField[]>;

export type FilterFieldName<L extends FilterList> = (typeof FILTER_FIELDS)[L][number]['name'];

export function filterField(list: FilterList, name: string): FilterField | undefined {
  return (FILTER_FIELDS[list] as readonly FilterField[]).find((f) => f.name === name);
}

export interface FilterIssue {
  path: (string | number)[];
  message: string;
  field?: string;
  op?: string;
}

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The instants a date value stands for, inclusive: a date-only string is its whole UTC day,
 * a timestamp or epoch ms one instant. Shared by the SQL compiler and the reference evaluator.
 */
export function dateBounds(v: string | number): { from: number; to: number } | null {
  if (typeof v === 'number') return Number.isFinite(v) ? { from: v, to: v } : null;
  const t = Date.parse(DATE_ONLY.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(t)) return null;
  return DATE_ONLY.test(v) ? { from: t, to: t + DAY_MS - 1 } : { from: t, to: t };
}

/** For `on`: the UTC day of the value. */
export function dayBounds(v: string | number): { from: number; to: number } | null {
  const b = dateBounds(v);
  if (!b) return null;
  const from = Math.floor(b.from / DAY_MS) * DAY_MS;
  return { from, to: from + DAY_MS - 1 };
}

function checkCondition(list: FilterList, c: FilterCondition, path: (string | number)[]): FilterIssue | null {
  const f = filterField(list, c.field);
  const bad = (message: string): FilterIssue => ({ path, message, field: c.field, op: c.op });
  if (!f) {
    const names = FILTER_FIELDS[list].map((x) => x.name).join(', ');
    return bad(`unknown field "${c.field}" for ${list} (fields: ${names})`);
  }
  const ops = OPERATORS_BY_TYPE[f.type] as readonly string[];
  if (!ops.includes(c.op)) return bad(`operator "${c.op}" does not fit ${f.type} field "${f.name}" (use ${ops.join(', ')})`);
  const v = c.value;
  switch (f.type) {
    case 'text':
      return typeof v === 'string' ? null : bad(`field "${f.name}" (${c.op}) takes a string`);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? null : bad(`field "${f.name}" (${c.op}) takes a number`);
    case 'date': {
      if (c.op === 'between') {
        if (!Array.isArray(v) || v.length !== 2) return bad(`field "${f.name}" (between) takes [from, to]`);
        const [a, b] = v.map((x) => dateBounds(x));
        if (!a || !b) return bad(`field "${f.name}" (between) takes two ISO dates, timestamps or epoch ms`);
        return a.from <= b.to ? null : bad(`field "${f.name}" (between): from is after to`);
      }
      if (Array.isArray(v) || !dateBounds(v)) return bad(`field "${f.name}" (${c.op}) takes an ISO date, timestamp or epoch ms`);
      return null;
    }
    case 'select': {
      const opts = f.options ?? [];
      const vals = c.op === 'is_any_of' ? v : [v];
      if (!Array.isArray(vals) || (c.op === 'is' && Array.isArray(v))) return bad(`field "${f.name}" (${c.op}) takes ${c.op === 'is' ? 'one value' : 'a list of values'}`);
      const wrong = vals.find((x) => typeof x !== 'string' || !opts.includes(x));
      return wrong === undefined ? null : bad(`field "${f.name}" has no value ${JSON.stringify(wrong)} (one of ${opts.join(', ')})`);
    }
  }
}

/** Every problem of a (shape-valid) filter against a list's whitelist; empty when it compiles. */
export function filterIssues(list: FilterList, filter: Filter): FilterIssue[] {
  const out: FilterIssue[] = [];
  const walk = (g: FilterGroup, depth: number, path: (string | number)[]) => {
    if (depth > FILTER_MAX_DEPTH) {
      out.push({ path, message: `groups nest at most ${FILTER_MAX_DEPTH} deep` });
      return;
    }
    const key = 'and' in g && g.and ? 'and' : 'or';
    groupChildren(g).forEach((c, i) => {
      const p = [...path, key, i];
      if (isGroup(c)) walk(c, depth + 1, p);
      else {
        const issue = checkCondition(list, c, p);
        if (issue) out.push(issue);
      }
    });
  };
  walk(filter, 1, []);
  return out;
}
