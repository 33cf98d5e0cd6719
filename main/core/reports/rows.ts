import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { CoreContext } from '../context.ts';
import type { Database } from '../db/database.ts';
import { verdictsForInvestigation } from '../verdicts/service.ts';
import type { InvestigationsTable } from '../db/schema.ts';
import type { ToolRunsTable } from '../tools/tables.ts';
import type { EntityType, LinkType } from '../../../preload/contract/entities.ts';
import { DossierError } from '../../../preload/contract/errors.ts';

/** What an export reads. One selection for all six formats: a new rule goes here once. */
export interface ExportSelection {
  investigationId: string;
  /**
   * Entities a user marked false positive (SPEC §3.10 verdicts, including
   * those inherited from another investigation for the same site and
   * username) are left out with their links unless this is set.
   */
  includeFalsePositives: boolean;
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
  notes: string;
}

export interface LinkRow {
  id: string;
  source_id: string;
  target_id: string;
  type: LinkType;
  properties: string;
  source_run_id: string | null;
  created_at: number;
}

/** A link with its two ends' type and value (CSV and HTML show them). */
export interface LinkEndsRow extends LinkRow {
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
    /** Entities of the investigation the selection leaves out (false positives unless included). */
    readonly excluded: ReadonlySet<string>,
  ) {}

  static async open(ctx: CoreContext, selection: ExportSelection): Promise<ExportSnapshot> {
    const db = new SQLite(ctx.sqlite.name, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      db.exec('begin');
      const inv = db.prepare('select * from investigations where id = ?').get(selection.investigationId) as InvestigationsTable | undefined;
      if (!inv) throw new DossierError('not_found', `investigation ${selection.investigationId} not found`);
      const excluded = new Set<string>();
      if (!selection.includeFalsePositives) {
        // The verdicts' own rule, run on this connection so it sees the same snapshot as every row after it.
        const snapDb = new Kysely<Database>({ dialect: new SqliteDialect({ database: db }) });
        for (const v of await verdictsForInvestigation({ db: snapDb }, selection.investigationId)) if (v.verdict === 'false_positive') excluded.add(v.appliesTo);
      }
      // A temporary table lives in this connection only (allowed on a read-only one) and goes with the rollback in close().
      db.exec('create temp table export_excluded (id text primary key) without rowid');
      const put = db.prepare('insert into temp.export_excluded (id) values (?)');
      for (const id of excluded) put.run(id);
      const [w, args] = entityFilter('e', selection, excluded.size > 0);
      const [lw, largs] = linkFilter('l', selection, excluded.size > 0);
      const count = (q: string, ...a: unknown[]) => Number((db.prepare(q).pluck().get(...a) as number) ?? 0);
      const counts = {
        entities: count(`select count(*) from entities e where ${w}`, ...args),
        links: count(`select count(*) from links l where ${lw}`, ...largs),
        runs: count('select count(*) from tool_runs where investigation_id = ?', selection.investigationId),
      };
      return new ExportSnapshot(db, selection, inv, counts, excluded);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  private where(alias: string): [string, unknown[]] {
    return entityFilter(alias, this.selection, this.excluded.size > 0);
  }

  private linkWhere(alias: string): [string, unknown[]] {
    return linkFilter(alias, this.selection, this.excluded.size > 0);
  }

  /**
   * Oldest first (first seen, then insertion), the order an import restores.
   * Read as raw arrays and made into rows here: better-sqlite3 builds a plain
   * array far faster than an object with named keys, and this loop is most
   * of an export's time.
   */
  *entities(type?: EntityType): Generator<EntityRow, void, undefined> {
    const [w, args] = this.where('e');
    const st = this.db
      .prepare(
        `select e.id, e.type, e.value, e.label, e.properties, e.source_run_id, e.evidence, e.first_seen, e.last_seen, r.tool, e.notes
           from entities e left join tool_runs r on r.id = e.source_run_id
          where ${w}${type ? ' and e.type = ?' : ''} order by e.first_seen, e.rowid`,
      )
      .raw(true);
    for (const r of st.iterate(...args, ...(type ? [type] : [])) as IterableIterator<unknown[]>) {
      yield {
        id: r[0] as string,
        type: r[1] as EntityType,
        value: r[2] as string,
        label: r[3] as string | null,
        properties: r[4] as string,
        source_run_id: r[5] as string | null,
        evidence: r[6] as string | null,
        first_seen: r[7] as number,
        last_seen: r[8] as number,
        source_tool: r[9] as string | null,
        notes: r[10] as string,
      };
    }
  }

  /** Entity counts per type, for HTML tables and summaries. */
  typeCounts(): { type: EntityType; n: number }[] {
    const [w, args] = this.where('e');
    return this.db.prepare(`select e.type as type, count(*) as n from entities e where ${w} group by e.type order by n desc, e.type`).all(...args) as { type: EntityType; n: number }[];
  }

  /**
   * The links between entities of the selection, in insertion order. Both ends
   * of a link are always entities of its investigation (the store refuses
   * anything else), so only the selection's own exclusions are checked, not a
   * join per link; `ends()` adds the join for the formats that show the ends.
   */
  *links(): Generator<LinkRow, void, undefined> {
    const [w, args] = this.linkWhere('l');
    const st = this.db.prepare(`select l.id, l.source_id, l.target_id, l.type, l.properties, l.source_run_id, l.created_at from links l where ${w} order by l.rowid`).raw(true);
    for (const r of st.iterate(...args) as IterableIterator<unknown[]>) yield linkRow(r);
  }

  /** The links as `links()`, each with its two ends' type and value. */
  *linkEnds(): Generator<LinkEndsRow, void, undefined> {
    const [w, args] = this.linkWhere('l');
    const st = this.db
      .prepare(
        `select l.id, l.source_id, l.target_id, l.type, l.properties, l.source_run_id, l.created_at, s.type, s.value, t.type, t.value
           from links l join entities s on s.id = l.source_id join entities t on t.id = l.target_id
          where ${w} order by l.rowid`,
      )
      .raw(true);
    for (const r of st.iterate(...args) as IterableIterator<unknown[]>) {
      yield {
        ...linkRow(r),
        source_type: r[7] as EntityType,
        source_value: r[8] as string,
        target_type: r[9] as EntityType,
        target_value: r[10] as string,
      };
    }
  }

  runs(): IterableIterator<ToolRunsTable> {
    return this.db.prepare('select * from tool_runs where investigation_id = ? order by started_at, rowid').iterate(this.selection.investigationId) as IterableIterator<ToolRunsTable>;
  }

  /** Entity first-seen times and run start times, for the report's timeline. */
  times(): { entities: { min: number | null; max: number | null }; runs: { min: number | null; max: number | null } } {
    const [w, args] = this.where('e');
    const e = this.db.prepare(`select min(e.first_seen) as min, max(e.first_seen) as max from entities e where ${w}`).get(...args) as { min: number | null; max: number | null };
    const r = this.db.prepare('select min(started_at) as min, max(started_at) as max from tool_runs where investigation_id = ?').get(this.selection.investigationId) as { min: number | null; max: number | null };
    return { entities: e, runs: r };
  }

  histogram(from: number, bucketMs: number, buckets: number): { entities: number[]; runs: number[] } {
    const [w, args] = this.where('e');
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
export function entityFilter(alias: string, sel: ExportSelection, hasExclusions: boolean): [string, unknown[]] {
  const leaveOut = hasExclusions ? ` and ${alias}.id not in (select id from temp.export_excluded)` : '';
  return [`${alias}.investigation_id = ?${leaveOut}`, [sel.investigationId]];
}

/** The link predicate of a selection, for a `links` alias: links of the investigation whose ends are both in the selection. */
export function linkFilter(alias: string, sel: ExportSelection, hasExclusions: boolean): [string, unknown[]] {
  const leaveOut = hasExclusions ? ` and ${alias}.source_id not in (select id from temp.export_excluded) and ${alias}.target_id not in (select id from temp.export_excluded)` : '';
  return [`${alias}.investigation_id = ?${leaveOut}`, [sel.investigationId]];
}

/** The first seven columns of a raw links row (`links()` and `linkEnds()` select them in this order). */
function linkRow(r: unknown[]): LinkRow {
  return {
    id: r[0] as string,
    source_id: r[1] as string,
    target_id: r[2] as string,
    type: r[3] as LinkType,
    properties: r[4] as string,
    source_run_id: r[5] as string | null,
    created_at: r[6] as number,
  };
}
