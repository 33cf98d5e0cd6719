import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { TemplatesTable } from './tables.ts';
import { placeholdersOf, type FollowUpRule, type Template, type TemplateDocument, type TemplateStep } from '../../../preload/contract/templates.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { iso } from '../util/time.ts';
import { parseJson } from '../util/json.ts';

type Db = Kysely<Database> | Transaction<Database>;

export function templatePlaceholders(steps: TemplateStep[]): string[] {
  return [...new Set(steps.flatMap((s) => placeholdersOf(s.input)))];
}

export function toTemplate(r: TemplatesTable): Template {
  const steps = parseJson<TemplateStep[]>(r.steps, []);
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    version: r.version,
    steps,
    followUps: parseJson<FollowUpRule[]>(r.follow_ups, []),
    maxDepth: r.max_depth,
    placeholders: templatePlaceholders(steps),
    usageCount: r.usage_count,
    shared: Boolean(r.shared),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export function toDocument(t: Template): TemplateDocument {
  return { dossierTemplate: 1, name: t.name, description: t.description, steps: t.steps, followUps: t.followUps, maxDepth: t.maxDepth };
}

/** By id, or else by exact name. */
export async function findTemplate(db: Db, idOrName: string): Promise<TemplatesTable> {
  const row =
    (await db.selectFrom('templates').selectAll().where('id', '=', idOrName).executeTakeFirst()) ??
    (await db.selectFrom('templates').selectAll().where('name', '=', idOrName).executeTakeFirst());
  if (!row) throw new DossierError('not_found', `template "${idOrName}" not found`);
  return row;
}
