import { sql } from 'kysely';
import type { CoreContext } from '../context.ts';
import { countOnlyFoundBy } from '../entities/finders.ts';
import type { HandlersOf } from '../../../preload/contract/define.ts';
import { batchMethods, type Batch } from '../../../preload/contract/batches.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import type { Executor } from './executor.ts';
import { toAttempt, toBatch, toOperation, type BatchRow } from './rows.ts';
import { previewFile } from './file-input.ts';
import { runInForeground } from './foreground.ts';
import { uploadPath } from './uploads.ts';
import { containsPattern } from '../util/sql.ts';
import { compileFilter } from '../search/compile.ts';

/** Batch rows with the number of operations running now (for the per-status counts). */
export async function getBatch(ctx: CoreContext, id: string): Promise<Batch> {
  const row = await ctx.db
    .selectFrom('batches as b')
    .selectAll('b')
    .select((eb) =>
      eb
        .selectFrom('operations as o')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('o.batch_id', '=', 'b.id')
        .where('o.status', '=', 'running')
        .as('running'),
    )
    .where('b.id', '=', id)
    .where('b.staged_by', 'is', null)
    .executeTakeFirst();
  if (!row) throw new DossierError('not_found', `batch ${id} not found`);
  return toBatch(row as BatchRow);
}

export function createBatchHandlers(ctx: CoreContext, executor: Executor): HandlersOf<typeof batchMethods> {
  const { db } = ctx;

  return {
    async 'batches.create'({ runHere, ...input }) {
      const row = await executor.create(input, { runHere });
      return getBatch(ctx, row.id);
    },

    async 'batches.list'({ investigationId, status, limit, offset }) {
      // A batch still being imported is not shown (migration 027).
      let q = db.selectFrom('batches as b').where('b.staged_by', 'is', null);
      if (investigationId) q = q.where('b.investigation_id', '=', investigationId);
      if (status) q = q.where('b.status', '=', status);
      const [rows, count] = await Promise.all([
        q
          .selectAll('b')
          .select((eb) =>
            eb
              .selectFrom('operations as o')
              .select(eb.fn.countAll<number>().as('n'))
              .whereRef('o.batch_id', '=', 'b.id')
              .where('o.status', '=', 'running')
              .as('running'),
          )
          .orderBy('b.created_at', 'desc')
          .orderBy('b.id', 'desc')
          .limit(limit)
          .offset(offset)
          .execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map((r) => toBatch(r as BatchRow)), total: Number(count.n), limit, offset };
    },

    async 'batches.get'({ id }) {
      return getBatch(ctx, id);
    },

    async 'batches.operations'({ batchId, status, search, filter, limit, offset }) {
      const where = filter ? compileFilter('operations', filter) : null;
      const exists = await db.selectFrom('batches').select('id').where('id', '=', batchId).where('staged_by', 'is', null).executeTakeFirst();
      if (!exists) throw new DossierError('not_found', `batch ${batchId} not found`);
      let q = db.selectFrom('operations').where('batch_id', '=', batchId);
      if (where) q = q.where(where);
      if (status) q = q.where('status', '=', status);
      if (search) {
        const like = containsPattern(search);
        q = q.where(sql<boolean>`input_value like ${like} escape '\\'`);
      }
      const [rows, count] = await Promise.all([
        q.selectAll().orderBy('seq').limit(limit).offset(offset).execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toOperation), total: Number(count.n), limit, offset };
    },

    async 'batches.operation'({ id }) {
      const row = await db.selectFrom('operations').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new DossierError('not_found', `operation ${id} not found`);
      return toOperation(row);
    },

    async 'batches.attempts'({ operationId }) {
      const op = await db.selectFrom('operations').select('id').where('id', '=', operationId).executeTakeFirst();
      if (!op) throw new DossierError('not_found', `operation ${operationId} not found`);
      const rows = await db.selectFrom('operation_attempts').selectAll().where('operation_id', '=', operationId).orderBy('id').execute();
      return rows.map(toAttempt);
    },

    async 'batches.pause'({ id }) {
      await executor.pause(id);
      return getBatch(ctx, id);
    },

    async 'batches.resume'({ id }) {
      await executor.resume(id);
      return getBatch(ctx, id);
    },

    async 'batches.runHere'({ id }, { signal }) {
      return runInForeground(executor, id, signal);
    },

    async 'batches.cancel'({ id }) {
      await executor.cancel(id);
      return getBatch(ctx, id);
    },

    async 'batches.retryFailed'({ id }) {
      const retried = await executor.retryFailed(id);
      return { ...(await getBatch(ctx, id)), retried };
    },

    async 'batches.onlyFinds'({ id }) {
      const row = await ctx.db.selectFrom('batches').select('id').where('id', '=', id).executeTakeFirst();
      if (!row) throw new DossierError('not_found', `batch ${id} not found`);
      return countOnlyFoundBy(ctx.sqlite, id);
    },

    async 'batches.delete'({ id, withFinds }) {
      const gone = await executor.remove(id, { withFinds });
      return { id, deleted: true as const, ...gone };
    },

    async 'batches.hostStates'() {
      return executor.hostStates();
    },

    async 'batches.previewFile'(input) {
      if ('uploadId' in input) return previewFile(uploadPath(ctx.dataDir, input.uploadId).path, 'uploaded file');
      return previewFile(input.path);
    },
  };
}
