import { sql } from 'kysely';
import type { CoreContext } from '../context.ts';
import type { HandlersOf } from '../../../preload/contract/define.ts';
import { commandStepsOf, templateMethods, type Template, type TemplateDocument } from '../../../preload/contract/templates.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import type { TemplatesTable } from './tables.ts';
import type { Executor } from '../batch/executor.ts';
import { getBatch } from '../batch/service.ts';
import { newId } from '../util/ids.ts';
import { findTemplate, toDocument, toTemplate } from './rows.ts';
import { validatePlan } from './validate.ts';
import { containsPattern } from '../util/sql.ts';
import { enqueueTemplateChange } from '../sync/outbox.ts';

function isUniqueViolation(e: unknown): boolean {
  return String((e as Error)?.message ?? '').includes('UNIQUE constraint failed: templates.name');
}

/** The clash names its field (`details.issues`, as for invalid input) so the editor shows it under Name. */
function nameTaken(name: string): DossierError {
  return new DossierError('conflict', `a template named "${name}" already exists`, {
    issues: [{ path: ['name'], message: `a template named "${name}" already exists`, code: 'custom' }],
  });
}

export function createTemplateHandlers(ctx: CoreContext, executor: Executor): HandlersOf<typeof templateMethods> {
  const { db, bus } = ctx;

  async function insert(doc: Omit<TemplateDocument, 'dossierTemplate'>): Promise<Template> {
    validatePlan(ctx.tools, doc.steps, doc.followUps);
    const now = ctx.clock.now();
    const row: TemplatesTable = {
      id: newId('tpl'),
      name: doc.name,
      description: doc.description,
      version: 1,
      steps: JSON.stringify(doc.steps),
      follow_ups: JSON.stringify(doc.followUps),
      max_depth: doc.maxDepth,
      usage_count: 0,
      created_at: now,
      updated_at: now,
    };
    try {
      await db.insertInto('templates').values(row).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw nameTaken(doc.name);
      throw e;
    }
    bus.emit('templates.changed', { id: row.id, kind: 'created' });
    return toTemplate(row);
  }

  /** Replace fields and bump the version, only if the version is still the one the caller saw. */
  async function update(id: string, expectedVersion: number | undefined, changes: Partial<Omit<TemplateDocument, 'dossierTemplate'>>): Promise<Template> {
    const current = toTemplate(await findTemplate(db, id));
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new DossierError('conflict', `template "${current.name}" is at version ${current.version}, not ${expectedVersion}`, {
        currentVersion: current.version,
      });
    }
    const steps = changes.steps ?? current.steps;
    const followUps = changes.followUps ?? current.followUps;
    validatePlan(ctx.tools, steps, followUps);
    const now = ctx.clock.now();
    let res;
    try {
      // A shared template's change is queued for the team server in the same transaction.
      res = await db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('templates')
          .set({
            name: changes.name ?? current.name,
            description: changes.description ?? current.description,
            steps: JSON.stringify(steps),
            follow_ups: JSON.stringify(followUps),
            max_depth: changes.maxDepth ?? current.maxDepth,
            version: sql<number>`version + 1`,
            updated_at: now,
          })
          .where('id', '=', current.id)
          .where('version', '=', current.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 1) await enqueueTemplateChange(trx, await findTemplate(trx, current.id), 'upsert', now);
        return r;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw nameTaken(changes.name ?? '');
      throw e;
    }
    if (Number(res.numUpdatedRows) === 0) {
      // Someone else saved in between: same answer as a stale expectedVersion.
      const now2 = toTemplate(await findTemplate(db, current.id));
      throw new DossierError('conflict', `template "${now2.name}" changed meanwhile (now version ${now2.version})`, { currentVersion: now2.version });
    }
    bus.emit('templates.changed', { id: current.id, kind: 'updated' });
    return toTemplate(await findTemplate(db, current.id));
  }

  return {
    async 'templates.list'({ search, limit, offset }) {
      let q = db.selectFrom('templates');
      if (search) {
        const like = containsPattern(search);
        q = q.where(sql<boolean>`(name like ${like} escape '\\' or description like ${like} escape '\\')`);
      }
      const [rows, count] = await Promise.all([
        q.selectAll().orderBy('name').limit(limit).offset(offset).execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toTemplate), total: Number(count.n), limit, offset };
    },

    async 'templates.get'({ id }) {
      return toTemplate(await findTemplate(db, id));
    },

    async 'templates.create'(input) {
      return insert(input);
    },

    async 'templates.update'({ id, expectedVersion, ...changes }) {
      return update(id, expectedVersion, changes);
    },

    async 'templates.delete'({ id, expectedVersion }) {
      const current = await findTemplate(db, id);
      if (expectedVersion !== undefined && expectedVersion !== current.version) {
        throw new DossierError('conflict', `template "${current.name}" is at version ${current.version}, not ${expectedVersion}`, {
          currentVersion: current.version,
        });
      }
      // Batches keep their copy of the plan and the template's name; their template_id is cleared.
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('templates').where('id', '=', current.id).execute();
        await enqueueTemplateChange(trx, current, 'delete', ctx.clock.now());
      });
      bus.emit('templates.changed', { id: current.id, kind: 'deleted' });
      return { id: current.id, deleted: true as const };
    },

    async 'templates.run'({ id, investigationId, name, placeholder, source, options }) {
      const row = await executor.create({ investigationId, template: id, name, placeholder, source, options });
      return getBatch(ctx, row.id);
    },

    async 'templates.import'({ document, onConflict, confirmCommandSteps }) {
      const docs = Array.isArray(document) ? document : [document];
      const names = docs.map((d) => d.name);
      const dup = names.find((n, i) => names.indexOf(n) !== i);
      if (dup) throw new DossierError('invalid_input', `the document names template "${dup}" twice`);
      // Check everything first: a bad template anywhere imports nothing.
      for (const d of docs) {
        try {
          validatePlan(ctx.tools, d.steps, d.followUps);
        } catch (e) {
          throw new DossierError('invalid_input', `template "${d.name}": ${(e as Error).message}`);
        }
      }
      const existing = new Map<string, TemplatesTable>();
      for (const d of docs) {
        const r = await db.selectFrom('templates').selectAll().where('name', '=', d.name).executeTakeFirst();
        if (r) existing.set(d.name, r);
      }
      if (onConflict === 'error' && existing.size) {
        throw new DossierError('conflict', `templates already exist: ${[...existing.keys()].join(', ')} (import with replace or skip)`);
      }
      if (onConflict === 'replace' && !confirmCommandSteps) {
        const commandSteps = docs.filter((d) => existing.has(d.name)).flatMap(commandStepsOf);
        if (commandSteps.length) {
          const list = commandSteps.map((c) => `${c.template} ${c.where}: ${c.command} ${c.args}`.trim()).join('; ');
          throw new DossierError('conflict', `the import replaces templates that run local commands (${list}); confirm to import them`, {
            reason: 'command_steps',
            commandSteps,
          });
        }
      }
      const out = { created: [] as Template[], replaced: [] as Template[], skipped: [] as string[] };
      for (const d of docs) {
        const cur = existing.get(d.name);
        if (!cur) out.created.push(await insert(d));
        else if (onConflict === 'skip') out.skipped.push(d.name);
        else out.replaced.push(await update(cur.id, undefined, d));
      }
      return out;
    },

    async 'templates.export'({ id }) {
      return toDocument(toTemplate(await findTemplate(db, id)));
    },
  };
}
