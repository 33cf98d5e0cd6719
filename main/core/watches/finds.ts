import { createHash } from 'node:crypto';
import type SQLite from 'better-sqlite3';
import type { EntityType } from '../../../preload/contract/entities.ts';
import { normalizeEntityValue } from '../entities/normalize.ts';
import type { ToolResult } from '../tools/types.ts';

/**
 * What one watch run found, recorded as its operations commit (in the same
 * transaction), so the diff compares what each run itself produced rather
 * than the merged entity rows of the investigation.
 */

export interface Find {
  key: string;
  kind: 'entity' | 'link';
  type: string;
  value: string;
  entityId: string | null;
  propsHash: string | null;
  evidenceHash: string | null;
  opKey: string;
  site: string | null;
  username: string | null;
}

export function opKey(tool: string, inputType: string, inputValue: string): string {
  return `${tool}|${inputType}|${normalizeEntityValue(inputType as EntityType, inputValue)}`;
}

export function entityKey(type: string, value: string): string {
  return `e|${type}|${normalizeEntityValue(type as EntityType, value)}`;
}

/** A link by its type and the keys of its ends; \u001e never occurs in a normalized value, so the ends can be read back. */
export function linkKey(type: string, sourceKey: string, targetKey: string): string {
  return `l\u001e${type}\u001e${sourceKey}\u001e${targetKey}`;
}

export function linkEnds(key: string): [string, string] | null {
  const parts = key.split('\u001e');
  return parts.length === 4 && parts[0] === 'l' ? [parts[2]!, parts[3]!] : null;
}

/** Same JSON for the same data whatever the key order, so a hash changes only when a value does. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function hashOf(v: unknown): string {
  return createHash('sha256').update(stableJson(v)).digest('hex');
}

/** The finds of one operation's result: its entities, and its links keyed by their ends. */
export function findsOf(op: { tool: string; inputType: string; inputValue: string }, result: ToolResult, entityIds: string[], inputEntityId: string | null): Find[] {
  const ok = opKey(op.tool, op.inputType, op.inputValue);
  const out: Find[] = [];
  const byRef = new Map<string, { type: string; value: string }>();
  byRef.set('input', { type: op.inputType, value: op.inputValue });
  result.entities.forEach((e, i) => {
    byRef.set(e.ref, { type: e.type, value: e.value });
    const props = e.properties ?? {};
    const site = typeof props.site === 'string' ? props.site : null;
    const username = typeof props.username === 'string' ? props.username : null;
    out.push({
      key: entityKey(e.type, e.value),
      kind: 'entity',
      type: e.type,
      value: e.value.trim(),
      entityId: entityIds[i] ?? null,
      propsHash: hashOf(props),
      evidenceHash: typeof e.evidence?.sha256 === 'string' ? e.evidence.sha256 : null,
      opKey: ok,
      site,
      username,
    });
  });
  for (const l of result.links) {
    const s = byRef.get(l.source);
    const t = byRef.get(l.target);
    if (!s || !t) continue;
    const sk = entityKey(s.type, s.value);
    const tk = entityKey(t.type, t.value);
    if (sk === tk) continue;
    out.push({
      key: linkKey(l.type, sk, tk),
      kind: 'link',
      type: l.type,
      value: `${s.value.trim()} → ${t.value.trim()}`,
      entityId: l.target === 'input' ? inputEntityId : null,
      propsHash: hashOf(l.properties ?? {}),
      evidenceHash: null,
      opKey: ok,
      site: null,
      username: null,
    });
  }
  return out;
}

/**
 * Called by the executor's group commit for every operation whose result was
 * stored. One indexed lookup tells whether the batch belongs to a watch run;
 * ordinary batches write nothing more.
 */
export class FindRecorder {
  private readonly runOf: SQLite.Statement;
  private readonly insert: SQLite.Statement;
  private readonly known = new Map<string, string>();

  constructor(sqlite: SQLite.Database) {
    this.runOf = sqlite.prepare(`select id from watch_runs where batch_id = ?`);
    this.insert = sqlite.prepare(
      `insert or replace into watch_finds (run_id, key, kind, type, value, entity_id, props_hash, evidence_hash, op_key, site, username)
       select @runId, @key, @kind, @type, @value, @entityId, @propsHash, @evidenceHash, @opKey, @site, @username
       where exists (select 1 from watch_runs where id = @runId)`,
    );
  }

  record(batchId: string, op: { tool: string; inputType: string; inputValue: string }, result: ToolResult, entityIds: string[], inputEntityId: string | null): void {
    let runId = this.known.get(batchId);
    if (!runId) {
      runId = (this.runOf.get(batchId) as { id: string } | undefined)?.id;
      if (!runId) return;
      if (this.known.size > 1000) this.known.clear();
      this.known.set(batchId, runId);
    }
    for (const f of findsOf(op, result, entityIds, inputEntityId)) this.insert.run({ runId, ...f });
  }
}
