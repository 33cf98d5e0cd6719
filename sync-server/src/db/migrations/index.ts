import type { Migration } from 'kysely';
import * as m001 from './001_teams.ts';
import * as m002 from './002_templates.ts';
import * as m003 from './003_channels.ts';

/** Ordered, statically imported, valid on SQLite and PostgreSQL. Append only. */
export const migrations: Record<string, Migration> = {
  '001_teams': m001,
  '002_templates': m002,
  '003_channels': m003,
};
