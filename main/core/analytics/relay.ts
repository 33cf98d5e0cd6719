import type { RelayAnalyticsSummary } from '../../../preload/contract/analytics.ts';
import type { RelayVerification } from '../../../preload/contract/relay.ts';
import type { RelayAnalyticsQueries } from '../relay/analytics.ts';
import type { Statements } from './statements.ts';
import { windowInfo, type Range } from './window.ts';

/** The relay family: the relay's own analytics (one way of computing them), plus verification outcomes from their rollup. */
export class RelayQueries {
  constructor(
    private readonly st: Statements,
    private readonly relay: RelayAnalyticsQueries,
  ) {}

  verification(r: Range): { outcome: RelayVerification; count: number }[] {
    const table = this.relay.range(r.window, r.to).table;
    return this.st
      .get(`select verification as outcome, sum(count) as count from relay_verification_${table} where bucket >= @from and bucket <= @to group by verification order by count desc`)
      .all({ from: r.from, to: r.to }) as { outcome: RelayVerification; count: number }[];
  }

  analytics(r: Range): RelayAnalyticsSummary {
    return { ...windowInfo(r), investigationId: null, relay: this.relay.analytics(r.window, r.to), verification: this.verification(r) };
  }
}
