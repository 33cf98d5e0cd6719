import { z } from 'zod';
import { jsonPathProblem, jsonPathQuery } from '../../util/json-path.ts';
import { ENTITY_TYPES, LINK_TYPES } from '../../../../preload/contract/entities.ts';
import type { ProducedEntity, ProducedLink } from '../types.ts';

/**
 * How records a user-defined tool returns become entities: for JSON, a
 * JSONPath evaluated on each record; for CSV a column name; for lines+regex a
 * named or numbered group.
 */
export const Mapping = z.object({
  type: z.enum(ENTITY_TYPES),
  /** JSONPath (json, jsonl, http.api), column name (csv), or regex group name/number (lines). */
  from: z.string().min(1).max(500),
  /** Optional label source, same syntax as `from`. */
  label: z.string().max(500).optional(),
  link: z.enum(LINK_TYPES).default('related'),
});
export type Mapping = z.output<typeof Mapping>;

export const Mappings = z.array(Mapping).min(1, 'at least one mapping is needed').max(50);

/** Adds an issue for each mapping path that is not a safe RFC 9535 JSONPath, so a template holding one is refused when saved or imported. */
export function checkMappingPaths(mappings: readonly Mapping[] | undefined, ctx: z.RefinementCtx, at: string): void {
  (mappings ?? []).forEach((m, i) => {
    for (const key of ['from', 'label'] as const) {
      const path = m[key];
      const problem = path === undefined ? null : jsonPathProblem(path);
      if (problem) ctx.addIssue({ code: 'custom', path: [at, i, key], message: problem });
    }
  });
}

/** Values a JSONPath finds in a document: strings and numbers only. */
export function jsonPathValues(doc: unknown, path: string): string[] {
  return jsonPathQuery(path, doc).flatMap((v) => (typeof v === 'string' && v.trim() ? [v.trim()] : typeof v === 'number' && Number.isFinite(v) ? [String(v)] : []));
}

/** Collects entities and links from records, de-duplicated by (type, value). */
export class EntityCollector {
  readonly entities: ProducedEntity[] = [];
  readonly links: ProducedLink[] = [];
  private readonly refs = new Map<string, string>();
  constructor(
    private readonly evidence: ProducedEntity['evidence'],
    private readonly limit = 10_000,
  ) {}

  add(m: Mapping, value: string, label?: string, properties?: Record<string, unknown>): void {
    const key = `${m.type}\u0000${value.toLowerCase()}`;
    let ref = this.refs.get(key);
    if (!ref) {
      if (this.entities.length >= this.limit) return;
      ref = `e${this.entities.length}`;
      this.refs.set(key, ref);
      this.entities.push({ ref, type: m.type, value, label, properties, evidence: this.evidence });
      this.links.push({ source: 'input', target: ref, type: m.link });
    }
  }
}
