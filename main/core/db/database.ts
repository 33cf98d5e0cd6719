import type { FoundationTables } from './schema.ts';
import type { ToolTables } from '../tools/tables.ts';
import type { WebhookTables } from '../webhooks/tables.ts';
import type { BatchTables } from '../batch/tables.ts';
import type { RelayTables } from '../relay/tables.ts';
import type { TemplateTables } from '../templates/tables.ts';
import type { SearchTables } from '../search/tables.ts';
import type { WatchTables } from '../watches/tables.ts';
import type { AnalyticsTables } from '../analytics/tables.ts';
import type { SyncTables } from '../sync/tables.ts';
import type { EntityFinderTables } from '../entities/tables.ts';

/**
 * The whole typed schema. Each domain adds its table interfaces here
 * (declared beside its own code) so Kysely checks every query.
 */
export interface Database extends FoundationTables, ToolTables, BatchTables, RelayTables, WebhookTables, TemplateTables, SearchTables, WatchTables, AnalyticsTables, SyncTables, EntityFinderTables {}
