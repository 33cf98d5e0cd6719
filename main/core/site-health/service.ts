import type { CoreContext } from '../context.ts';
import type { HandlersOf } from '../../../preload/contract/define.ts';
import {
  siteHealthMethods,
  type SiteCheckRecord,
  type SiteCheckSummary,
  type SiteHealth,
  type SiteHealthStatus,
} from '../../../preload/contract/site-health.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import type { SiteCatalog } from '../tools/sites/catalog.ts';
import type { SiteEntry } from '../tools/sites/manifest.ts';
import { checkSite } from '../tools/sites/check.ts';
import { isAbort } from '../tools/errors.ts';
import { OPEN_GATE } from '../tools/types.ts';
import { newId } from '../util/ids.ts';
import { iso } from '../util/time.ts';
import { writeTx } from '../db/write.ts';
import type { WatchScheduler } from '../watches/scheduler.ts';
import type { SiteChecksTable, SiteHealthTable } from '../watches/tables.ts';
import { judge } from './judge.ts';
import type { SiteHealthReader } from './reader.ts';
import { effectiveEgress, resolveEgress } from '../egress/resolve.ts';
import { Vault } from '../vault/vault.ts';

/** The built-in watch that checks every site once a day when enabled. */
export const SITE_HEALTH_WATCH = 'site-health';
const DAY_MS = 86_400_000;
/** Sites checked at once (each is two requests, one after the other). */
const CHECK_CONCURRENCY = 8;

export interface SiteHealthDeps {
  catalog: SiteCatalog;
  reader: Pick<SiteHealthReader, 'degraded' | 'invalidate'>;
}

function toRecord(r: SiteChecksTable & { id: number }): SiteCheckRecord {
  return {
    id: r.id,
    site: r.site,
    outcome: r.outcome,
    reason: r.reason,
    claimedStatus: r.claimed_status,
    freeStatus: r.free_status,
    checkedAt: iso(r.checked_at),
  };
}

/**
 * Try every selected site with its known claimed and free username and
 * record the outcome: a site that answers wrong becomes degraded (with a
 * `site.degraded` event in the same transaction), a degraded site that
 * answers right again is ok, an unreadable site keeps its status.
 */
export async function runSiteCheck(
  ctx: CoreContext,
  deps: SiteHealthDeps,
  names?: string[],
  signal: AbortSignal = new AbortController().signal,
): Promise<SiteCheckSummary> {
  const sites = deps.catalog.select(names?.length ? names : undefined);
  const timeoutMs = await ctx.settings.get('tools.http.timeoutMs');
  // Canary checks are lookups like any other: they leave through username.sites' egress.
  const egress = await resolveEgress(await effectiveEgress(ctx.settings, 'username.sites', {}), (name) => new Vault(ctx.db, ctx.secrets).reveal(name));
  const judged: { site: SiteEntry; claimedStatus: string; freeStatus: string; outcome: SiteCheckRecord['outcome']; reason: string }[] = new Array(sites.length);
  let next = 0;
  const worker = async () => {
    while (next < sites.length) {
      const i = next++;
      const site = sites[i]!;
      const opts = { signal, egress, gate: OPEN_GATE, timeoutMs };
      try {
        const claimed = await checkSite(site, site.claimed, opts);
        const free = await checkSite(site, site.unclaimed, opts);
        const j = judge(site.claimed, site.unclaimed, claimed, free);
        judged[i] = { site, claimedStatus: claimed.status, freeStatus: free.status, ...j };
      } catch (e) {
        if (isAbort(e)) throw e;
        judged[i] = { site, claimedStatus: 'unknown', freeStatus: 'unknown', outcome: 'inconclusive', reason: (e as Error).message };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CHECK_CONCURRENCY, sites.length) }, worker));

  const now = ctx.clock.now();
  const summary = await writeTx(ctx, () => {
    const db = ctx.sqlite;
    const read = db.prepare(`select * from site_health where site = ?`);
    const upsert = db.prepare(
      `insert into site_health (site, status, reason, since, last_checked_at, last_outcome) values (@site, @status, @reason, @since, @at, @outcome)
       on conflict(site) do update set status = @status, reason = @reason, since = @since, last_checked_at = @at, last_outcome = @outcome`,
    );
    const insertCheck = db.prepare(`insert into site_checks (site, outcome, reason, claimed_status, free_status, checked_at) values (?, ?, ?, ?, ?, ?)`);
    const out: SiteCheckSummary = { checked: judged.length, ok: 0, degraded: 0, inconclusive: 0, newlyDegraded: [], recovered: [], results: [] };
    for (const j of judged) {
      const before = read.get(j.site.name) as SiteHealthTable | undefined;
      const was: SiteHealthStatus = before?.status ?? 'unchecked';
      let status: SiteHealthStatus = was;
      let reason = before?.reason ?? null;
      let since = before?.since ?? now;
      if (j.outcome === 'degraded') {
        status = 'degraded';
        reason = j.reason;
        if (was !== 'degraded') since = now;
      } else if (j.outcome === 'ok') {
        status = 'ok';
        reason = null;
        if (was !== 'ok') since = now;
      }
      upsert.run({ site: j.site.name, status, reason, since, at: now, outcome: j.outcome });
      const id = Number(insertCheck.run(j.site.name, j.outcome, j.reason, j.claimedStatus, j.freeStatus, now).lastInsertRowid);
      out[j.outcome]++;
      if (status === 'degraded' && was !== 'degraded') {
        out.newlyDegraded.push(j.site.name);
        const data = {
          site: { name: j.site.name, url: j.site.url, urlMain: j.site.urlMain ?? null },
          reason: j.reason,
          since: iso(now),
          check: { claimed: { username: j.site.claimed, status: j.claimedStatus }, free: { username: j.site.unclaimed, status: j.freeStatus } },
        };
        db.prepare(`insert into outbox (id, type, payload, investigation_id, created_at, dispatched_at) values (?, 'site.degraded', ?, null, ?, null)`).run(
          newId('evt'),
          JSON.stringify(data),
          now,
        );
      }
      if (was === 'degraded' && status === 'ok') out.recovered.push(j.site.name);
      out.results.push({
        id,
        site: j.site.name,
        outcome: j.outcome,
        reason: j.reason,
        claimedStatus: j.claimedStatus,
        freeStatus: j.freeStatus,
        checkedAt: iso(now),
        status,
      });
    }
    return out;
  });
  deps.reader.invalidate();
  ctx.bus.emit('sites.health.changed', { degraded: summary.newlyDegraded, recovered: summary.recovered, checked: summary.checked });
  ctx.log.info({ checked: summary.checked, degraded: summary.degraded, inconclusive: summary.inconclusive }, 'site check done');
  return summary;
}

export function createSiteHealthHandlers(ctx: CoreContext, deps: SiteHealthDeps, scheduler: WatchScheduler): HandlersOf<typeof siteHealthMethods> {
  scheduler.registerBuiltin(SITE_HEALTH_WATCH, async () => {
    const s = await runSiteCheck(ctx, deps);
    return { changed: s.newlyDegraded.length + s.recovered.length };
  });

  return {
    async 'sites.check'({ sites }) {
      return runSiteCheck(ctx, deps, sites);
    },

    async 'sites.health'({ sites }) {
      const entries = deps.catalog.select(sites?.length ? sites : undefined, { includeDisabled: true });
      const rows = await ctx.db.selectFrom('site_health').selectAll().execute();
      const byName = new Map(rows.map((r) => [r.site.toLowerCase(), r]));
      return entries.map((e): SiteHealth => {
        const r = byName.get(e.name.toLowerCase());
        return {
          site: e.name,
          status: r?.status ?? 'unchecked',
          reason: r?.reason ?? null,
          since: r ? iso(r.since) : null,
          lastCheckedAt: r ? iso(r.last_checked_at) : null,
          lastOutcome: r?.last_outcome ?? null,
        };
      });
    },

    async 'sites.history'({ site, limit }) {
      const rows = await ctx.db
        .selectFrom('site_checks')
        .selectAll()
        .where('site', '=', site)
        .orderBy('checked_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      if (rows.length === 0) deps.catalog.select([site]); // an unknown name is invalid_input; a known one simply has no history yet
      return rows.map((r) => toRecord(r as SiteChecksTable & { id: number }));
    },

    async 'sites.dailyCheck'({ enabled }) {
      const existing = await ctx.db.selectFrom('watches').select(['id', 'status']).where('builtin', '=', SITE_HEALTH_WATCH).executeTakeFirst();
      const now = ctx.clock.now();
      if (!enabled) {
        if (existing) {
          await ctx.db.deleteFrom('watches').where('id', '=', existing.id).execute();
          ctx.bus.emit('watches.changed', { id: existing.id, kind: 'deleted', investigationId: null });
        }
        return { enabled: false, watchId: null };
      }
      if (existing) return { enabled: true, watchId: existing.id };
      const id = newId('wat');
      try {
        await ctx.db
          .insertInto('watches')
          .values({
            id,
            investigation_id: null,
            name: 'Daily site check',
            kind: 'tool',
            template: null,
            tool: null,
            inputs: '[]',
            input_type: null,
            params: '{}',
            every_ms: DAY_MS,
            cron: null,
            timezone: 'UTC',
            status: 'active',
            builtin: SITE_HEALTH_WATCH,
            // The first check runs at once: a fresh install learns which sites work before the first batch.
            next_due_at: now,
            last_run_at: null,
            last_change_at: null,
            last_change_counts: null,
            run_seq: 0,
            created_at: now,
            updated_at: now,
          })
          .execute();
      } catch (e) {
        if (!String((e as Error).message).includes('UNIQUE')) throw e;
        const w = await ctx.db.selectFrom('watches').select('id').where('builtin', '=', SITE_HEALTH_WATCH).executeTakeFirst();
        if (!w) throw new DossierError('conflict', 'the daily site check changed meanwhile; try again');
        return { enabled: true, watchId: w.id };
      }
      ctx.bus.emit('watches.changed', { id, kind: 'created', investigationId: null });
      return { enabled: true, watchId: id };
    },
  };
}
