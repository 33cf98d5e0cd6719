import type SQLite from 'better-sqlite3';
import type { CoreContext } from '../context.ts';
import type { BatchesTable } from './tables.ts';
import { BatchOptions, type BatchSource, type CreateBatchInput } from '../../../preload/contract/batches.ts';
import type { EntityType } from '../../../preload/contract/entities.ts';
import { PLACEHOLDER_RE, placeholdersOf, type TemplateRunInputs } from '../../../preload/contract/templates.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { newId } from '../util/ids.ts';
import { findTemplate, toTemplate } from '../templates/rows.ts';
import { checkAccepts, checkParams, requireTool, stepInputType, validatePlan } from '../templates/validate.ts';
import { csvHeader, readFileRecords, readFileValues } from './file-input.ts';
import { removeUpload, uploadPath } from './uploads.ts';
import { batchEventData, dedupeKey } from './commit.ts';
import { operationId } from './rows.ts';
import { JobEventPolicy } from './job-events.ts';
import { writeTx } from '../db/write.ts';
import { leaseOwnerId, ownerAlive } from '../util/process-owner.ts';
import type { BatchPlan } from './live.ts';

/** A source as the contract gives it, or rows of placeholder values (template runs started by the relay). */
export type CreateSource = BatchSource | { kind: 'rows'; rows: Record<string, string>[] };

export interface CreateBatchArgs extends Omit<CreateBatchInput, 'source'> {
  source: CreateSource;
}

/** One input as it comes from a source: a value (with its type and entity when it is one), or a row for a template. */
interface Item {
  value?: string;
  type?: EntityType;
  entityId?: string;
  row?: Record<string, string>;
}

interface StepPlan {
  tool: string;
  type: EntityType;
  params: string;
  input: string;
  placeholders: string[];
  /** The input is exactly one placeholder, so an entity input can be passed through as an entity. */
  bare: string | null;
}

const ROWS_PER_INSERT = 200;

/**
 * Turn the relay's `inputs` into rows: a string or list fills the template's
 * only placeholder; an object maps placeholders to a value or a list of values
 * (lists are zipped by position; a single value repeats on every row).
 */
export function rowsFromInputs(inputs: TemplateRunInputs, placeholders: string[]): Record<string, string>[] {
  if (typeof inputs === 'string' || Array.isArray(inputs)) {
    if (placeholders.length !== 1) {
      throw new DossierError('invalid_input', `the template uses ${placeholders.length} placeholders (${placeholders.join(', ')}); give inputs by name`);
    }
    const list = typeof inputs === 'string' ? [inputs] : inputs;
    return list.map((v) => ({ [placeholders[0]!]: v }));
  }
  const lists = Object.entries(inputs).map(([k, v]) => [k, typeof v === 'string' ? null : v, typeof v === 'string' ? v : null] as const);
  const n = Math.max(1, ...lists.map(([, l]) => (l ? l.length : 1)));
  const rows: Record<string, string>[] = [];
  for (let i = 0; i < n; i++) {
    const row: Record<string, string> = {};
    for (const [k, list, single] of lists) {
      const v = list ? list[i] : single;
      if (typeof v === 'string' && v.trim()) row[k] = v.trim();
    }
    rows.push(row);
  }
  return rows;
}

/**
 * Create a batch and all its operations, all or nothing: a bad file, an
 * unknown tool or an empty input list leaves nothing behind. Inputs are
 * streamed and inserted many rows per statement (memory stays flat for a
 * million-row CSV), one short transaction per chunk while the batch is staged
 * and invisible, then one that makes it visible; other writers go between.
 */
export async function createBatch(ctx: CoreContext, args: CreateBatchArgs, opts: { leaseOwner?: string | null; leaseMs?: number } = {}): Promise<BatchesTable> {
  const inv = await ctx.db.selectFrom('investigations').select('id').where('id', '=', args.investigationId).executeTakeFirst();
  if (!inv) throw new DossierError('not_found', `investigation ${args.investigationId} not found`);
  if (Boolean(args.tool) === Boolean(args.template)) throw new DossierError('invalid_input', 'give either tool or template, not both');

  const now = ctx.clock.now();
  const batchId = newId('bat');
  let plan: BatchPlan;
  let steps: StepPlan[] = [];
  let toolName: string | null = null;
  let toolType: EntityType | null = null;
  let toolParams = '{}';
  let templateRow: Awaited<ReturnType<typeof findTemplate>> | null = null;
  let placeholder: string | null = null;
  const columnsByPlaceholder = new Map<string, number>();

  if (args.tool) {
    const def = requireTool(ctx.tools, args.tool, 'batch');
    if (args.placeholder) throw new DossierError('invalid_input', 'placeholder applies to template batches only');
    checkParams(def, args.params ?? {}, 'batch');
    toolName = def.name;
    toolType = args.inputType ?? def.accepts[0]!;
    if (args.source.kind !== 'entities') checkAccepts(def, toolType, 'batch');
    toolParams = JSON.stringify(args.params ?? {});
    plan = { followUps: [] };
  } else {
    templateRow = await findTemplate(ctx.db, args.template!);
    const t = toTemplate(templateRow);
    if (args.params && Object.keys(args.params).length) throw new DossierError('invalid_input', 'params apply to tool batches; a template carries its own');
    validatePlan(ctx.tools, t.steps, t.followUps);
    steps = t.steps.map((s) => {
      const def = ctx.tools.get(s.tool);
      const ph = placeholdersOf(s.input);
      const bare = ph.length === 1 && s.input.trim().replace(/\s+/g, '') === `{{${ph[0]}}}` ? ph[0]! : null;
      return { tool: s.tool, type: stepInputType(def, s), params: JSON.stringify(s.params ?? {}), input: s.input, placeholders: ph, bare };
    });
    plan = { steps: t.steps, followUps: t.followUps };
    // A CSV whose header names the template's placeholders fills each from its column (unless told otherwise).
    if ((args.source.kind === 'file' || args.source.kind === 'upload') && !args.source.column && !args.placeholder) {
      const path = args.source.kind === 'file' ? args.source.path : uploadPath(ctx.dataDir, args.source.uploadId).path;
      const header = (await csvHeader(path, args.source.kind === 'file' ? path : 'uploaded file')).map((h) => h.toLowerCase());
      for (const p of t.placeholders) {
        const i = header.indexOf(p.toLowerCase());
        if (i >= 0) columnsByPlaceholder.set(p, i);
      }
    }
    if (columnsByPlaceholder.size === 0 && (args.source.kind === 'list' || args.source.kind === 'file' || args.source.kind === 'upload')) {
      placeholder = args.placeholder ?? (t.placeholders.length === 1 ? t.placeholders[0]! : null);
      if (!placeholder) {
        throw new DossierError(
          'invalid_input',
          `template "${t.name}" uses several placeholders (${t.placeholders.join(', ')}); choose the one the inputs fill, or give a CSV with columns of those names`,
        );
      }
      if (!t.placeholders.includes(placeholder)) {
        throw new DossierError('invalid_input', `template "${t.name}" has no placeholder {{${placeholder}}} (it has ${t.placeholders.join(', ')})`);
      }
    }
  }

  const options = BatchOptions.parse({ followUpDepth: templateRow ? templateRow.max_depth : 0, ...(args.options ?? {}) });
  const dedupe = plan.followUps.length > 0 && options.followUpDepth > 0;
  const name = args.name ?? `${toolName ?? templateRow!.name} · ${new Date(now).toISOString().slice(0, 16).replace('T', ' ')}`;

  let uploadId: string | null = null;
  let filePath: string | null = null;
  if (args.source.kind === 'upload') {
    uploadId = args.source.uploadId;
    filePath = uploadPath(ctx.dataDir, uploadId).path;
  } else if (args.source.kind === 'file') filePath = args.source.path;

  const row: BatchesTable = {
    id: batchId,
    investigation_id: args.investigationId,
    name,
    tool: toolName,
    template_id: templateRow?.id ?? null,
    template_name: templateRow?.name ?? null,
    plan: JSON.stringify(plan),
    status: 'pending',
    options: JSON.stringify(options),
    priority: options.priority,
    total: 0,
    completed: 0,
    failed: 0,
    cancelled: 0,
    error: null,
    lease_owner: opts.leaseOwner ?? null,
    lease_until: opts.leaseOwner ? now + (opts.leaseMs ?? 15_000) : null,
    staged_by: null,
    created_at: now,
    started_at: null,
    finished_at: null,
    updated_at: now,
  };

  // Staged (SPEC §1): the row and each chunk of operations commit on their own, so no transaction is open
  // while the file is read; the batch stays invisible until the last short transaction flips it.
  await writeTx(ctx, () => ctx.sqlite.prepare(INSERT_BATCH).run({ ...row, staged_by: STAGE_OWNER }));
  let created: BatchesTable;
  try {
    const sink = new OperationSink(ctx.sqlite, batchId);
    const emit = (item: Item) => {
      if (toolName) {
        const type = item.type ?? toolType!;
        if (item.type) checkAccepts(ctx.tools.get(toolName), item.type, `entity ${item.entityId}`);
        const value = item.value!;
        sink.add(toolName, type, value, item.entityId ?? null, toolParams, dedupe ? dedupeKey(toolName, type, value) : null);
        return;
      }
      const r = item.row ?? { [item.type ?? placeholder!]: item.value! };
      for (const s of steps) {
        if (!s.placeholders.every((p) => r[p] !== undefined)) continue;
        const value = s.input.replace(PLACEHOLDER_RE, (_m, p: string) => r[p]!).trim();
        if (!value) continue;
        const entityId = s.bare && item.entityId && item.type === s.type ? item.entityId : null;
        sink.add(s.tool, s.type, value, entityId, s.params, dedupe ? dedupeKey(s.tool, s.type, value) : null);
      }
    };
    for await (const chunk of items(ctx, args.source, args.investigationId, filePath, columnsByPlaceholder)) {
      await writeTx(ctx, () => {
        for (const item of chunk) emit(item);
        sink.flush();
      });
    }
    if (sink.inserted === 0) throw new DossierError('invalid_input', 'no inputs: nothing to run');
    created = await writeTx(ctx, () => {
      const flipped = ctx.sqlite
        .prepare(`update batches set total = ?, staged_by = null where id = ? and staged_by = ?`)
        .run(sink.inserted, batchId, STAGE_OWNER);
      if (flipped.changes !== 1) throw new DossierError('conflict', `batch ${batchId} was removed while it was imported`);
      if (templateRow) ctx.sqlite.prepare(`update templates set usage_count = usage_count + 1 where id = ?`).run(templateRow.id);
      // The queue depth chart counts a batch from the moment it is queued, not from its first commit.
      ctx.sqlite
        .prepare(`insert or replace into queue_samples (batch_id, bucket, investigation_id, at, pending, running) values (?, ?, ?, ?, ?, 0)`)
        .run(batchId, now - (now % 60_000), args.investigationId, now, sink.inserted);
      const final = { ...row, total: sink.inserted };
      const outbox = ctx.sqlite.prepare(`insert into outbox (id, type, payload, investigation_id, created_at, dispatched_at) values (?, ?, ?, ?, ?, null)`);
      outbox.run(
        newId('evt'),
        'batch.created',
        JSON.stringify({ batch: { ...batchEventData(batchId, final), tool: toolName, template: templateRow?.name ?? null } }),
        args.investigationId,
        now,
      );
      // job.created events only now: a webhook must never hear of operations of a batch that is then discarded.
      // Rare (a webhook has to ask for them) and then as long as the batch is big; written in pages of ops.
      if (new JobEventPolicy(ctx.sqlite).wanted(now)) {
        const page = ctx.sqlite.prepare(`select id, seq, tool, input_type, input_value from operations where batch_id = ? and seq > ? order by seq limit 5000`);
        for (let after = 0; ;) {
          const ops = page.all(batchId, after) as { id: string; seq: number; tool: string; input_type: string; input_value: string }[];
          if (ops.length === 0) break;
          for (const o of ops) {
            const job = { id: o.id, batchId, tool: o.tool, input: { type: o.input_type, value: o.input_value }, depth: 0, status: 'pending' };
            outbox.run(newId('evt'), 'job.created', JSON.stringify({ job }), args.investigationId, now);
          }
          after = ops[ops.length - 1]!.seq;
        }
      }
      return final;
    });
  } catch (e) {
    await discardStage(ctx, batchId);
    throw e;
  }
  if (uploadId) removeUpload(ctx.dataDir, uploadId);
  ctx.bus.emit('batches.changed', { batchId, investigationId: args.investigationId, kind: 'created', status: 'pending' });
  return created;
}

async function* items(
  ctx: CoreContext,
  source: CreateSource,
  investigationId: string,
  filePath: string | null,
  columnsByPlaceholder: Map<string, number>,
): AsyncGenerator<Item[]> {
  switch (source.kind) {
    case 'list': {
      const values = source.values.map((v) => v.trim()).filter(Boolean);
      for (let i = 0; i < values.length; i += 2000) yield values.slice(i, i + 2000).map((value) => ({ value }));
      return;
    }
    case 'rows':
      yield source.rows.map((row) => ({ row }));
      return;
    case 'file':
    case 'upload': {
      const label = source.kind === 'file' ? source.path : 'uploaded file';
      if (columnsByPlaceholder.size) {
        for await (const rows of readFileRecords(filePath!, columnsByPlaceholder, { label })) yield rows.map((row) => ({ row }));
        return;
      }
      for await (const chunk of readFileValues(filePath!, { column: source.column, label })) yield chunk.map((value) => ({ value }));
      return;
    }
    case 'entities': {
      const ids = [...new Set(source.entityIds)];
      for (let i = 0; i < ids.length; i += 500) {
        const part = ids.slice(i, i + 500);
        const rows = await ctx.db
          .selectFrom('entities')
          .select(['id', 'type', 'value'])
          .where('investigation_id', '=', investigationId)
          .where('id', 'in', part)
          .execute();
        if (rows.length !== part.length) {
          const found = new Set(rows.map((r) => r.id));
          const missing = part.filter((id) => !found.has(id));
          throw new DossierError(
            'invalid_input',
            `not entities of this investigation: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`,
          );
        }
        const byId = new Map(rows.map((r) => [r.id, r]));
        yield part.map((id) => {
          const r = byId.get(id)!;
          return { value: r.value, type: r.type as EntityType, entityId: r.id };
        });
      }
      return;
    }
  }
}

/** Multi-row inserts of operations, called inside a chunk's transaction. */
class OperationSink {
  inserted = 0;
  private seq = 0;
  private buf: unknown[] = [];
  private n = 0;
  private readonly stmts = new Map<number, SQLite.Statement>();

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly batchId: string,
  ) {}

  add(tool: string, type: EntityType, value: string, entityId: string | null, params: string, dedupe: string | null): void {
    const seq = ++this.seq;
    this.buf.push(operationId(this.batchId, seq), this.batchId, seq, tool, type, value, entityId, params, dedupe);
    if (++this.n === ROWS_PER_INSERT) this.flush();
  }

  flush(): void {
    if (this.n === 0) return;
    let stmt = this.stmts.get(this.n);
    if (!stmt) {
      const one = `(?, ?, ?, ?, ?, ?, ?, ?, 0, null, ?, 'pending', 0, 0)`;
      stmt = this.sqlite.prepare(
        `insert or ignore into operations (id, batch_id, seq, tool, input_type, input_value, input_entity_id, params, depth, parent_id, dedupe_key, status, attempts, next_attempt_at) values ${Array(this.n).fill(one).join(', ')}`,
      );
      this.stmts.set(this.n, stmt);
    }
    // With de-duplication some rows are ignored: only what was inserted counts.
    this.inserted += stmt.run(this.buf).changes;
    this.buf = [];
    this.n = 0;
  }
}

const INSERT_BATCH = `insert into batches (id, investigation_id, name, tool, template_id, template_name, plan, status, options, priority, total, completed,
  failed, cancelled, error, lease_owner, lease_until, staged_by, created_at, started_at, finished_at, updated_at)
  values (@id, @investigation_id, @name, @tool, @template_id, @template_name, @plan, @status, @options, @priority, @total, @completed,
  @failed, @cancelled, @error, @lease_owner, @lease_until, @staged_by, @created_at, @started_at, @finished_at, @updated_at)`;

/** This process as the importer of the batches it stages: a start after it died removes what it left. */
const STAGE_OWNER = leaseOwnerId();

/** Remove a staged batch, its operations in short transactions (a million rows must not block the others). */
async function discardStage(ctx: CoreContext, batchId: string): Promise<void> {
  const some = ctx.sqlite.prepare(`delete from operations where id in (select id from operations where batch_id = ? limit 5000)`);
  while ((await writeTx(ctx, () => some.run(batchId).changes)) > 0);
  await writeTx(ctx, () => ctx.sqlite.prepare(`delete from batches where id = ? and staged_by is not null`).run(batchId));
}

/**
 * Batches staged by a process that is gone (kill -9 mid-import) are removed at start; a live importer's
 * (the desktop and the CLI share a data directory) are left alone. Returns how many it removed.
 */
export async function discardOrphanedStages(ctx: CoreContext): Promise<number> {
  const staged = ctx.sqlite.prepare(`select id, staged_by from batches where staged_by is not null`).all() as { id: string; staged_by: string }[];
  let n = 0;
  for (const b of staged) {
    if (ownerAlive(b.staged_by)) continue;
    await discardStage(ctx, b.id);
    n++;
  }
  return n;
}
