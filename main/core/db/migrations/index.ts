import type { Migration } from 'kysely';
import * as m001 from './001_foundation.ts';
import * as m002 from './002_tools.ts';
import * as m003 from './003_batches.ts';
import * as m004 from './004_webhooks.ts';
import * as m005 from './005_relay.ts';
import * as m008 from './008_search.ts';
import * as m009 from './009_analytics.ts';
import * as m010 from './010_watches.ts';
import * as m011 from './011_sync.ts';
import * as m007 from './007_rule_trust.ts';
import * as m014 from './014_egress.ts';
import * as m015 from './015_analytics_rollups.ts';
import * as m021 from './021_tool_run_owner.ts';
import * as m023 from './023_sync_events.ts';
import * as m018 from './018_search_indexes.ts';
import * as m016 from './016_sync_shared_by.ts';
import * as m024 from './024_entity_finders.ts';
import * as m027 from './027_batch_staging.ts';
import * as m028 from './028_relay_job_claims.ts';
import * as m022 from './022_relay_channels.ts';

/**
 * Ordered, statically imported migrations: no folder scanning, so they
 * survive bundling and asar packing. Append only; never reorder.
 */
export const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_tools': m002,
  '003_batches': m003,
  '004_webhooks': m004,
  '005_relay': m005,
  '007_rule_trust': m007,
  '008_search': m008,
  '009_analytics': m009,
  '010_watches': m010,
  '011_sync': m011,
  '014_egress': m014,
  '015_analytics_rollups': m015,
  '016_sync_shared_by': m016,
  '018_search_indexes': m018,
  '021_tool_run_owner': m021,
  '022_relay_channels': m022,
  '023_sync_events': m023,
  '024_entity_finders': m024,
  '027_batch_staging': m027,
  '028_relay_job_claims': m028,
};
