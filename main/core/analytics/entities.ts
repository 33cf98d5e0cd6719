import type { EntityAnalytics } from '../../../preload/contract/analytics.ts';
import type { EntityType } from '../../../preload/contract/entities.ts';
import { iso } from '../util/time.ts';
import { invFilter, type Statements } from './statements.ts';
import { bucketTimes, windowInfo, type Range } from './window.ts';

/** Entities: first seen in the window by type, and discoveries over time (from the (first_seen, type) index). */
export class EntityQueries {
  constructor(private readonly st: Statements) {}

  analytics(r: Range): EntityAnalytics {
    const rows = this.st
      .get(
        `select cast((first_seen - @from) / @bucket as integer) as i, type, count(*) as n from entities
         where first_seen >= @from and first_seen <= @to ${invFilter(r.investigationId)} group by i, type`,
      )
      .all({ from: r.from, to: r.to, bucket: r.bucket, inv: r.investigationId ?? undefined }) as { i: number; type: EntityType; n: number }[];
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
    };
  }
}
