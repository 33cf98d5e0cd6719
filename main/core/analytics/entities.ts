import type { EntityAnalytics } from '../../../preload/contract/analytics.ts';
import type { EntityType } from '../../../preload/contract/entities.ts';
import { iso } from '../util/time.ts';
import { invFilter, type Statements } from './statements.ts';
import { bucketTimes, windowInfo, type Range } from './window.ts';

/**
 * Entities: first seen in the window by type, and discoveries over time. Up to
 * 24 h from the (first_seen, type) index; beyond, from entity_stats_hour
 * (migration 015, kept by triggers on entities), whose hours fit the 1 h and
 * 6 h buckets of the long windows exactly. Plus the verdicts given in the window.
 */
export class EntityQueries {
  constructor(private readonly st: Statements) {}

  private rows(r: Range): { i: number; type: EntityType; n: number }[] {
    if (r.exact) {
      return this.st
        .get(
          `select cast((first_seen - @from) / @bucket as integer) as i, type, count(*) as n from entities
           where first_seen >= @from and first_seen <= @to ${invFilter(r.investigationId)} group by i, type`,
        )
        .all({ from: r.from, to: r.to, bucket: r.bucket, inv: r.investigationId ?? undefined }) as { i: number; type: EntityType; n: number }[];
    }
    return this.st
      .get(
        `select cast((bucket - @from) / @bucket as integer) as i, type, sum(count) as n from entity_stats_hour
         where investigation_id = @inv and bucket >= @from and bucket <= @to group by i, type having n > 0`,
      )
      .all({ from: r.from, to: r.to, bucket: r.bucket, inv: r.inv }) as { i: number; type: EntityType; n: number }[];
  }

  verdicts(r: Range): EntityAnalytics['verdicts'] {
    const rows = this.st
      .get(
        `select coalesce(site, '') as site, sum(verdict = 'confirmed') as confirmed, sum(verdict = 'false_positive') as fp from verdicts
         where updated_at >= @from and updated_at <= @to ${invFilter(r.investigationId)} group by 1`,
      )
      .all({ from: r.from, to: r.to, inv: r.investigationId ?? undefined }) as { site: string; confirmed: number; fp: number }[];
    let confirmed = 0;
    let falsePositive = 0;
    for (const x of rows) {
      confirmed += x.confirmed;
      falsePositive += x.fp;
    }
    const bySite = rows
      .filter((x) => x.site !== '')
      .map((x) => ({ site: x.site, confirmed: x.confirmed, falsePositive: x.fp }))
      .sort((a, b) => b.falsePositive - a.falsePositive || b.confirmed - a.confirmed || a.site.localeCompare(b.site));
    return { confirmed, falsePositive, bySite };
  }

  analytics(r: Range): EntityAnalytics {
    const rows = this.rows(r);
    const series = bucketTimes(r).map((at) => ({ at: iso(at), total: 0, byType: {} as Partial<Record<EntityType, number>> }));
    const byType = new Map<EntityType, number>();
    let total = 0;
    for (const row of rows) {
      const s = series[Math.min(r.buckets - 1, Math.floor(row.i))];
      if (!s) continue;
      s.total += row.n;
      s.byType[row.type] = (s.byType[row.type] ?? 0) + row.n;
      byType.set(row.type, (byType.get(row.type) ?? 0) + row.n);
      total += row.n;
    }
    return {
      ...windowInfo(r),
      byType: [...byType].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
      total,
      discoveries: series,
      verdicts: this.verdicts(r),
    };
  }
}
