import type SQLite from 'better-sqlite3';
import type { EntitiesTable } from '../db/schema.ts';
import type { SearchHit, SearchResult, SnippetPart } from '../../../preload/contract/search.ts';
import { toEntity } from '../entities/store.ts';
import { containsPattern } from '../util/sql.ts';

/** The trigram tokenizer indexes 3-character sequences; shorter terms fall back to LIKE. */
export const TRIGRAM_MIN = 3;
const MAX_TERMS = 16;
// Snippet markers the indexed text is very unlikely to hold; split on them into parts.
const OPEN = '\u0001';
const CLOSE = '\u0002';

/** The user's text as terms: split on whitespace, duplicates dropped. */
export function searchTerms(text: string): string[] {
  return [...new Set(text.split(/\s+/).filter(Boolean))].slice(0, MAX_TERMS);
}

/**
 * An FTS5 MATCH expression that means "all these terms, as text": each term becomes a quoted
 * string (inner quotes doubled), so `AND`, `NEAR(`, `*`, `"`, `-` or `:` are never query syntax.
 * Terms are ANDed by juxtaposition.
 */
export function ftsMatch(terms: string[]): string {
  return terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' ');
}

export function snippetParts(s: string | null): SnippetPart[] {
  if (!s) return [];
  const out: SnippetPart[] = [];
  for (const chunk of s.split(OPEN)) {
    const close = chunk.indexOf(CLOSE);
    if (close < 0) {
      if (chunk) out.push({ text: chunk, hit: false });
      continue;
    }
    if (close > 0) out.push({ text: chunk.slice(0, close), hit: true });
    const rest = chunk.slice(close + 1);
    if (rest) out.push({ text: rest, hit: false });
  }
  return out;
}

/** A snippet for LIKE matches (no FTS snippet() there): a window around the first term found. */
function likeSnippet(texts: (string | null)[], terms: string[]): SnippetPart[] {
  const lowerTerms = terms.map((t) => t.toLowerCase());
  for (const text of texts) {
    if (!text) continue;
    const low = text.toLowerCase();
    const at = lowerTerms.map((t) => low.indexOf(t)).filter((i) => i >= 0);
    if (!at.length) continue;
    const start = Math.max(0, Math.min(...at) - 40);
    const window = text.slice(start, start + 160);
    const parts: SnippetPart[] = start > 0 ? [{ text: '…', hit: false }] : [];
    const wl = window.toLowerCase();
    let i = 0;
    while (i < window.length) {
      let best = -1;
      let len = 0;
      for (const t of lowerTerms) {
        const j = wl.indexOf(t, i);
        if (j >= 0 && (best < 0 || j < best)) [best, len] = [j, t.length];
      }
      if (best < 0 || len === 0) {
        parts.push({ text: window.slice(i), hit: false });
        break;
      }
      if (best > i) parts.push({ text: window.slice(i, best), hit: false });
      parts.push({ text: window.slice(best, best + len), hit: true });
      i = best + len;
    }
    if (start + 160 < text.length) parts.push({ text: '…', hit: false });
    return parts;
  }
  return [];
}

type HitRow = EntitiesTable & { investigation_name: string; fts_rowid?: number; score?: number | null; excerpt_text?: string | null };

/**
 * bm25 is ranked over at most this many matches of each index, the newest (highest rowid) first.
 * bm25 costs ~2 µs a match: a word in 10% of 1,000,000 entities took 50 ms to rank and 220 ms
 * with the join (P10); over the newest 5,000 it is ~10 ms, whatever the term's frequency.
 * A term with fewer matches is ranked exactly.
 */
export const RANK_WINDOW = 5000;
/** Substrings under 3 characters are looked for in this many of the newest entities. */
export const LIKE_WINDOW = 5000;

/**
 * Full-text search over entities: whole-word hits first (unicode61, diacritics folded, bm25 with
 * the value weighted highest), then substring hits (trigrams; LIKE when a term is shorter than
 * a trigram). Prepared statements on the raw connection: this is the P10 hot path.
 */
export class EntitySearch {
  private readonly stmts = new Map<string, SQLite.Statement>();
  private readonly rankWindow: number;
  private readonly likeWindow: number;
  constructor(
    private readonly sqlite: SQLite.Database,
    opts: { rankWindow?: number; likeWindow?: number } = {},
  ) {
    this.rankWindow = opts.rankWindow ?? RANK_WINDOW;
    this.likeWindow = opts.likeWindow ?? LIKE_WINDOW;
  }

  private stmt(key: string, make: () => string): SQLite.Statement {
    let s = this.stmts.get(key);
    if (!s) {
      s = this.sqlite.prepare(make());
      this.stmts.set(key, s);
    }
    return s;
  }

  /**
   * The window: FTS5 yields matches in rowid order (no sort), the investigation is checked per
   * match (cross join keeps the FTS table outer), and bm25 runs only on the rows the LIMIT lets
   * through. Then the best `limit` of the window, and only those are joined to their entity.
   */
  private fts(table: 'entities_fts' | 'entities_fts_tri', scoped: boolean): SQLite.Statement {
    return this.stmt(
      `${table}:${scoped}`,
      () => `
      with w as (
        select f.rowid as rid, bm25(${table}, 4.0, 3.0, 1.0, 1.5) as score
        from ${table} as f ${scoped ? 'cross join entities as s on s.rowid = f.rowid' : ''}
        where ${table} match ? ${scoped ? 'and s.investigation_id = ?' : ''}
        order by f.rowid desc limit ?
      ), top as (select rid, score from w order by score limit ?)
      select e.*, e.rowid as fts_rowid, i.name as investigation_name, top.score as score
      from top cross join entities as e on e.rowid = top.rid join investigations as i on i.id = e.investigation_id
      order by top.score`,
    );
  }

  /** How many matches (up to `limit`) the index holds, in scope: the cheap rowid walk, no bm25. */
  private matches(table: 'entities_fts' | 'entities_fts_tri', scoped: boolean): SQLite.Statement {
    return this.stmt(
      `count:${table}:${scoped}`,
      () => `
      select count(*) as n from (
        select f.rowid from ${table} as f ${scoped ? 'cross join entities as s on s.rowid = f.rowid' : ''}
        where ${table} match ? ${scoped ? 'and s.investigation_id = ?' : ''}
        order by f.rowid desc limit ?)`,
    );
  }

  /** The newest matches, unranked (score null). */
  private newest(table: 'entities_fts' | 'entities_fts_tri', scoped: boolean): SQLite.Statement {
    return this.stmt(
      `newest:${table}:${scoped}`,
      () => `
      select e.*, e.rowid as fts_rowid, i.name as investigation_name, null as score
      from (
        select f.rowid as rid from ${table} as f ${scoped ? 'cross join entities as s on s.rowid = f.rowid' : ''}
        where ${table} match ? ${scoped ? 'and s.investigation_id = ?' : ''}
        order by f.rowid desc limit ?
      ) as w cross join entities as e on e.rowid = w.rid join investigations as i on i.id = e.investigation_id
      order by w.rid desc`,
    );
  }

  /**
   * Terms under 3 characters have no index: LIKE over the newest LIKE_WINDOW entities (of the
   * investigation: entities_inv_seen in order), not all of them. A 2-character query over
   * 1,000,000 entities scanned 1-5 s, and better-sqlite3 holds the core's event loop meanwhile.
   */
  private like(n: number, scoped: boolean): SQLite.Statement {
    const one = `(e.value like ? escape '\\' or e.label like ? escape '\\' or e.properties like ? escape '\\' or json_extract(e.evidence, '$.excerpt') like ? escape '\\')`;
    return this.stmt(
      `like:${n}:${scoped}`,
      () => `
      select e.*, i.name as investigation_name, json_extract(e.evidence, '$.excerpt') as excerpt_text
      from (select rowid as rid from entities ${scoped ? 'where investigation_id = ? order by first_seen desc' : 'order by rowid desc'} limit ?) as w
      cross join entities as e on e.rowid = w.rid join investigations as i on i.id = e.investigation_id
      where ${Array.from({ length: n }, () => one).join(' and ')}
      limit ?`,
    );
  }

  /** snippet() costs as much as the whole ranking when run on every match: run it only on the hits shown. */
  private snippet(table: 'entities_fts' | 'entities_fts_tri', match: string, rowid: number): string | null {
    const st = this.stmt(
      `snippet:${table}`,
      () => `select snippet(${table}, -1, char(1), char(2), '…', 12) as snip from ${table} where ${table} match ? and rowid = ?`,
    );
    return (st.get(match, rowid) as { snip: string | null } | undefined)?.snip ?? null;
  }

  search(text: string, opts: { investigationId?: string; limit: number }): SearchResult {
    const terms = searchTerms(text);
    const { investigationId, limit } = opts;
    const scoped = investigationId !== undefined;
    const scope = scoped ? [investigationId] : [];
    const want = limit + 1;
    const hits: SearchHit[] = [];
    const seen = new Set<string>();
    const push = (rows: HitRow[], match: SearchHit['match'], table: 'entities_fts' | 'entities_fts_tri' | null) => {
      for (const r of rows) {
        if (seen.has(r.id) || hits.length >= want) continue;
        seen.add(r.id);
        const { investigation_name, fts_rowid, score, excerpt_text, ...row } = r;
        const like = table === null;
        hits.push({
          entity: toEntity(row as EntitiesTable),
          investigationName: investigation_name,
          snippet: like
            ? likeSnippet([row.value, row.label, excerpt_text ?? null, row.properties], terms)
            : snippetParts(this.snippet(table, ftsQ, fts_rowid!)),
          match,
          score: like ? null : (score ?? null),
        });
      }
    };
    if (terms.length === 0) return { hits: [], more: false };
    const ftsQ = ftsMatch(terms);
    push(this.fts('entities_fts', scoped).all(ftsQ, ...scope, this.rankWindow, want) as HitRow[], 'word', 'entities_fts');
    if (hits.length < want) {
      if (terms.every((t) => [...t].length >= TRIGRAM_MIN)) {
        // bm25 first counts every match of each trigram phrase (its IDF): 50-110 ms for a substring
        // of every entity at 1M. Past the window, substring hits are the newest, unranked.
        const n = (this.matches('entities_fts_tri', scoped).get(ftsQ, ...scope, this.rankWindow + 1) as { n: number }).n;
        const st = n > this.rankWindow ? this.newest('entities_fts_tri', scoped) : this.fts('entities_fts_tri', scoped);
        const args = n > this.rankWindow ? [want + hits.length] : [this.rankWindow, want + hits.length];
        push(st.all(ftsQ, ...scope, ...args) as HitRow[], 'substring', 'entities_fts_tri');
      } else {
        const params = terms.flatMap((t) => Array(4).fill(containsPattern(t)) as string[]);
        push(this.like(terms.length, scoped).all(...scope, this.likeWindow, ...params, want + hits.length) as HitRow[], 'substring', null);
      }
    }
    return { hits: hits.slice(0, limit), more: hits.length > limit };
  }
}
