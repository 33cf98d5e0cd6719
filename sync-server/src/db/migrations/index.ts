import type { Migration } from 'kysely';
import * as m001 from './001_teams.ts';
import * as m002 from './002_templates.ts';
import * as m003 from './003_channels.ts';
import * as m004 from './004_team_webhooks.ts';
import * as m005 from './005_team_events.ts';

/** Ordered, statically imported, valid on SQLite and PostgreSQL. Append only. */
export const migrations: Record<string, Migration> = {
  '001_teams': m001,
  '002_templates': m002,
  '003_channels': m003,
  '004_team_webhooks': m004,
  '005_team_events': m005,
};
