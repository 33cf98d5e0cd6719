import { sql } from 'kysely';
import type { CoreContext } from '../context.ts';
import type { HandlersOf } from '../../../preload/contract/define.ts';
import { verdictMethods, type EntityVerdict, type Verdict } from '../../../preload/contract/verdicts.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import type { EntitiesTable } from '../db/schema.ts';
import { newId } from '../util/ids.ts';
import { iso } from '../util/time.ts';
import { parseJson } from '../util/json.ts';
import type { VerdictsTable } from '../watches/tables.ts';
import { entityVerdictKey, siteUserKey } from './key.ts';

export function toVerdict(r: VerdictsTable): Verdict {
  return {
    id: r.id,
    verdict: r.verdict,
    site: r.site,
    username: r.username,
    entityType: r.entity_type,
    normalized: r.normalized,
    scope: r.key.startsWith('site:') ? 'site-username' : 'investigation',
    investigationId: r.investigation_id,
    entityId: r.entity_id,
    note: r.note,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** (site, username) of an account entity, from the properties username.sites gives it. */
export function accountOf(e: Pick<EntitiesTable, 'type' | 'properties'>): { site: string; username: string } | null {
  if (e.type !== 'account') return null;
  const p = parseJson<Record<string, unknown>>(e.properties, {});
  return typeof p.site === 'string' && typeof p.username === 'string' && p.site && p.username ? { site: p.site, username: p.username } : null;
}

export function verdictKeyOf(e: Pick<EntitiesTable, 'type' | 'properties' | 'investigation_id' | 'normalized'>): string {
  const a = accountOf(e);
  return a ? siteUserKey(a.site, a.username) : entityVerdictKey(e.investigation_id, e.type, e.normalized);
}

/**
 * The verdicts that apply to an investigation's entities: accounts by their
 * (site, username) key, whichever investigation the verdict was given in;
 * other entities by their own key. One query per investigation, used by the
 * entity table, the details panel, the graph, diffs and exports.
 */
export async function verdictsForInvestigation(ctx: Pick<CoreContext, 'db'>, investigationId: string): Promise<EntityVerdict[]> {
  // The key is computed in SQL (the same rule as siteUserKey) so this is one join on the unique verdict key.
  const { rows } = await sql<VerdictsTable & { applies_to: string }>`
    select v.*, e.id as applies_to from entities e join verdicts v on v.key = case
      when e.type = 'account' and json_extract(e.properties, '$.site') is not null and json_extract(e.properties, '$.username') is not null
        then 'site:' || lower(json_extract(e.properties, '$.site')) || '|' || lower(ltrim(trim(json_extract(e.properties, '$.username')), '@'))
      else 'inv:' || e.investigation_id || '|' || e.type || '|' || e.normalized end
    where e.investigation_id = ${investigationId}`.execute(ctx.db);
  return rows.map((r) => ({ ...toVerdict(r), appliesTo: r.applies_to, inherited: r.investigation_id !== investigationId }));
}

export function createVerdictHandlers(ctx: CoreContext): HandlersOf<typeof verdictMethods> {
  const { db, bus } = ctx;

  async function entity(id: string): Promise<EntitiesTable> {
    const e = await db.selectFrom('entities').selectAll().where('id', '=', id).executeTakeFirst();
    if (!e) throw new DossierError('not_found', `entity ${id} not found`);
    return e;
  }

  return {
    async 'verdicts.set'({ entityId, verdict, note }) {
      const e = await entity(entityId);
      const a = accountOf(e);
      const key = verdictKeyOf(e);
      const now = ctx.clock.now();
      const row: VerdictsTable = {
        id: newId('vrd'),
        key,
        verdict,
        site: a?.site ?? null,
        username: a ? a.username.trim().replace(/^@+/, '') : null,
        entity_type: a ? null : e.type,
        normalized: a ? null : e.normalized,
        investigation_id: e.investigation_id,
        entity_id: e.id,
        note,
        created_at: now,
        updated_at: now,
      };
      await db
        .insertInto('verdicts')
        .values(row)
        .onConflict((oc) => oc.column('key').doUpdateSet({ verdict, note, investigation_id: e.investigation_id, entity_id: e.id, updated_at: now }))
        .execute();
      const stored = await db.selectFrom('verdicts').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
      bus.emit('verdicts.changed', { entityId, investigationId: e.investigation_id });
      return { ...toVerdict(stored), appliesTo: e.id, inherited: false };
    },

    async 'verdicts.clear'({ entityId }) {
      const e = await entity(entityId);
      const res = await db.deleteFrom('verdicts').where('key', '=', verdictKeyOf(e)).executeTakeFirst();
      bus.emit('verdicts.changed', { entityId, investigationId: e.investigation_id });
      return { entityId, cleared: Number(res.numDeletedRows) > 0 };
    },

    async 'verdicts.forInvestigation'({ investigationId }) {
      return verdictsForInvestigation(ctx, investigationId);
    },

    async 'verdicts.list'({ verdict, limit, offset }) {
      let q = db.selectFrom('verdicts');
      if (verdict) q = q.where('verdict', '=', verdict);
      const [rows, total] = await Promise.all([
        q.selectAll().orderBy('updated_at', 'desc').limit(limit).offset(offset).execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toVerdict), total: Number(total.n), limit, offset };
    },
  };
}
