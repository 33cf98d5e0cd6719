import type { Kysely } from 'kysely';
import type SQLite from 'better-sqlite3';
import type { Database } from './db/database.ts';
import type { EventBus } from './events/bus.ts';
import type { SecretBox } from './crypto/secret-box.ts';
import type { Logger } from './log.ts';
import type { Clock } from './util/time.ts';
import type { SettingsService } from './settings/service.ts';
import type { ToolRegistry } from './tools/registry.ts';

/** What every domain module of the core receives. Built once in createCore. */
export interface CoreContext {
  db: Kysely<Database>;
  sqlite: SQLite.Database;
  dataDir: string;
  bus: EventBus;
  secrets: SecretBox;
  log: Logger;
  clock: Clock;
  settings: SettingsService;
  version: string;
  mode: 'electron' | 'browser' | 'cli' | 'test';
  tools: ToolRegistry;
}
