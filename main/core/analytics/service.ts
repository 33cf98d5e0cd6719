import type { HandlersOf } from '../../../preload/contract/define.ts';
import type { AnalyticsScope, analyticsMethods } from '../../../preload/contract/analytics.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import type { CoreContext } from '../context.ts';
import type { RelayAnalyticsQueries } from '../relay/analytics.ts';
import { BatchQueries } from './batches.ts';
import { EntityQueries } from './entities.ts';
import { RelayQueries } from './relay.ts';
import { Statements } from './statements.ts';
import { ToolQueries } from './tools.ts';
import { WebhookQueries } from './webhooks.ts';
import { rangeOf } from './window.ts';

/** The analytics families over one statement cache; also what the benchmark times directly. */
export class AnalyticsQueries {
  readonly batches: BatchQueries;
  readonly tools: ToolQueries;
  readonly webhooks: WebhookQueries;
  readonly relay: RelayQueries;
  readonly entities: EntityQueries;
  constructor(sqlite: CoreContext['sqlite'], relay: RelayAnalyticsQueries) {
    const st = new Statements(sqlite);
    this.batches = new BatchQueries(st);
    this.tools = new ToolQueries(st);
    this.webhooks = new WebhookQueries(st);
    this.relay = new RelayQueries(st, relay);
    this.entities = new EntityQueries(st);
  }
}

export function createAnalyticsHandlers(ctx: CoreContext, q: AnalyticsQueries): HandlersOf<typeof analyticsMethods> {
  /** An unknown investigation is a typed error, not an empty chart that looks like "nothing happened". */
  const scoped = async (scope: AnalyticsScope) => {
    if (scope.investigationId !== undefined) {
      const found = await ctx.db.selectFrom('investigations').select('id').where('id', '=', scope.investigationId).executeTakeFirst();
      if (!found) throw new DossierError('not_found', `no investigation "${scope.investigationId}"`);
    }
    const now = ctx.clock.now();
    return { r: rangeOf(scope, now), now };
  };
  return {
    async 'analytics.batches'(scope) {
      const { r, now } = await scoped(scope);
      return q.batches.analytics(r, now);
    },
    async 'analytics.tools'(scope) {
      const { r } = await scoped(scope);
      return q.tools.analytics(r);
    },
    async 'analytics.webhooks'(scope) {
      const { r } = await scoped({ window: scope.window });
      return q.webhooks.analytics(r);
    },
    async 'analytics.relay'(scope) {
      const { r } = await scoped({ window: scope.window });
      return q.relay.analytics(r);
    },
    async 'analytics.entities'(scope) {
      const { r } = await scoped(scope);
      return q.entities.analytics(r);
    },
  };
}
