import SQLite from 'better-sqlite3';
import type { CoreContext } from '../context.ts';
import type { InvestigationsTable } from '../db/schema.ts';
import type { ToolRunsTable } from '../tools/tables.ts';
import type { EntityType, LinkType } from '../../../preload/contract/entities.ts';
import { DossierError } from '../../../preload/contract/errors.ts';

/** What an export reads. One selection for all six formats: a new rule (e.g. leaving out false positives) goes here once. */
export interface ExportSelection {
  investigationId: string;
}

export interface EntityRow {
  id: string;
  type: EntityType;
  value: string;
  label: string | null;
  properties: string;
  source_run_id: string | null;
  evidence: string | null;
  first_seen: number;
  last_seen: number;
  /** The tool of the run that found it. */
  source_tool: string | null;
}

export interface LinkRow {
  id: string;
  source_id: string;
  target_id: string;
  type: LinkType;
  properties: string;
  source_run_id: string | null;
  created_at: number;
  source_type: EntityType;
  source_value: string;
  target_type: EntityType;
  target_value: string;
}

/**
 * A consistent, read-only view of one investigation for the length of an
 * export: its own SQLite connection inside one read transaction (WAL keeps
 * the snapshot while the app goes on writing), so rows can be streamed across
 * awaits without holding the app's connection or its write lock, and links
 * never point at entities written after the entities were read.
 */
export class ExportSnapshot {
  private constructor(
    private readonly db: SQLite.Database,
    readonly selection: ExportSelection,
    readonly investigation: InvestigationsTable,
    readonly counts: { entities: number; links: number; runs: number },
  ) {}

  static open(ctx: CoreContext, selection: ExportSelection): ExportSnapshot {
    const db = new SQLite(ctx.sqlite.name, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      db.exec('begin');
      const inv = db.prepare('select * from investigations where id = ?').get(selection.investigationId) as InvestigationsTable | undefined;
      if (!inv) throw new DossierError('not_found', `investigation ${selection.investigationId} not found`);
      const [w, args] = entityFilter('e', selection);
      const count = (q: string, ...a: unknown[]) => Number((db.prepare(q).pluck().get(...a) as number) ?? 0);
      const counts = {
        entities: count(`select count(*) from entities e where ${w}`, ...args),
        links: count(`select count(*) from links l join entities s on s.id = l.source_id join entities t on t.id = l.target_id where l.investigation_id = ? and ${entityFilter('s', selection)[0]} and ${entityFilter('t', selection)[0]}`, selection.investigationId, ...args, ...args),
        runs: count('select count(*) from tool_runs where investigation_id = ?', selection.investigationId),
      };
      return new ExportSnapshot(db, selection, inv, counts);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** Oldest first (first seen, then insertion), the order an import restores. */
  entities(type?: EntityType): IterableIterator<EntityRow> {
    const [w, args] = entityFilter('e', this.selection);
    return this.db
      .prepare(
        `select e.id, e.type, e.value, e.label, e.properties, e.source_run_id, e.evidence, e.first_seen, e.last_seen, r.tool as source_tool
           from entities e left join tool_runs r on r.id = e.source_run_id
          where ${w}${type ? ' and e.type = ?' : ''} order by e.first_seen, e.rowid`,
      )
      .iterate(...args, ...(type ? [type] : [])) as IterableIterator<EntityRow>;
  }

  /** Entity counts per type, for HTML tables and summaries. */
  typeCounts(): { type: EntityType; n: number }[] {
    const [w, args] = entityFilter('e', this.selection);
    return this.db.prepare(`select e.type as type, count(*) as n from entities e where ${w} group by e.type order by n desc, e.type`).all(...args) as { type: EntityType; n: number }[];
  }

  links(): IterableIterator<LinkRow> {
    const [ws, a] = entityFilter('s', this.selection);
    const [wt] = entityFilter('t', this.selection);
    return this.db
      .prepare(
        `select l.id, l.source_id, l.target_id, l.type, l.properties, l.source_run_id, l.created_at,
                s.type as source_type, s.value as source_value, t.type as target_type, t.value as target_value
           from links l join entities s on s.id = l.source_id join entities t on t.id = l.target_id
          where l.investigation_id = ? and ${ws} and ${wt} order by l.rowid`,
      )
      .iterate(this.selection.investigationId, ...a, ...a) as IterableIterator<LinkRow>;
  }

  runs(): IterableIterator<ToolRunsTable> {
    return this.db.prepare('select * from tool_runs where investigation_id = ? order by started_at, rowid').iterate(this.selection.investigationId) as IterableIterator<ToolRunsTable>;
  }

  /** Entity first-seen times and run start times, for the report's timeline. */
  times(): { entities: { min: number | null; max: number | null }; runs: { min: number | null; max: number | null } } {
    const [w, args] = entityFilter('e', this.selection);
    const e = this.db.prepare(`select min(e.first_seen) as min, max(e.first_seen) as max from entities e where ${w}`).get(...args) as { min: number | null; max: number | null };
    const r = this.db.prepare('select min(started_at) as min, max(started_at) as max from tool_runs where investigation_id = ?').get(this.selection.investigationId) as { min: number | null; max: number | null };
    return { entities: e, runs: r };
  }

  histogram(from: number, bucketMs: number, buckets: number): { entities: number[]; runs: number[] } {
    const [w, args] = entityFilter('e', this.selection);
    const entities = new Array<number>(buckets).fill(0);
    const runs = new Array<number>(buckets).fill(0);
    const put = (arr: number[], rows: { b: number; n: number }[]) => {
      for (const r of rows) arr[Math.min(buckets - 1, Math.max(0, r.b))]! += r.n;
    };
    put(entities, this.db.prepare(`select cast((e.first_seen - ?) / ? as integer) as b, count(*) as n from entities e where ${w} group by b`).all(from, bucketMs, ...args) as { b: number; n: number }[]);
    put(runs, this.db.prepare('select cast((started_at - ?) / ? as integer) as b, count(*) as n from tool_runs where investigation_id = ? group by b').all(from, bucketMs, this.selection.investigationId) as { b: number; n: number }[]);
    return { entities, runs };
  }

  close(): void {
    if (this.db.open) {
      this.db.exec('rollback');
      this.db.close();
    }
  }
}

/** The entity predicate of a selection, for an `entities` alias; values bound, never spliced. */
export function entityFilter(alias: string, sel: ExportSelection): [string, unknown[]] {
  return [`${alias}.investigation_id = ?`, [sel.investigationId]];
}
