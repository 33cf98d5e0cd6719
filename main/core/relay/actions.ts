import type SQLite from 'better-sqlite3';
import type { CoreContext } from '../context.ts';
import type { BackgroundWorker } from '../workers.ts';
import { newId } from '../util/ids.ts';
import { tryWriteNow } from '../db/write.ts';
import { backoffDelay, type Backoff } from '../util/retry.ts';
import { forwardOnce, isTransient, type StoredRequest } from './forward.ts';
import { evaluateRule, toRule } from './rules.ts';
import type { RelayJobsTable, RelayRulesTable } from './tables.ts';

/** What a routing rule needs from the batch executor (core.executor, when present). */
export interface TemplateStarter {
  createBatchFromTemplate(input: {
    investigationId: string;
    template: string;
    inputs: Record<string, string>;
    options?: { untrusted?: boolean };
  }): Promise<{ id: string } | string>;
}

export const FORWARD_MAX_ATTEMPTS = 8;
const POLL_MS = 500;
const CONCURRENCY = 16;

/** Forwarding retries: 1 s, 2 s, 4 s ... capped at 5 min, ±20 % jitter. */
const FORWARD_BACKOFF: Backoff = { firstMs: 1000, capMs: 300_000, jitter: 0.2 };

type Job = Pick<RelayJobsTable, 'request_id' | 'kind' | 'attempts'> & { id: number; claim_id: string };

/**
 * How long a claim holds a job: past the forward's own deadline (and a rule's batch start), so a live worker never
 * loses its job, while one that died (kill -9, a closed laptop) lets it go to the other process after this.
 */
export const RELAY_JOB_LEASE_MS = 60_000;

/**
 * Works the durable relay_jobs queue: forwarding and routing rules happen
 * here, after the request was committed and answered. Pending jobs survive
 * restarts; a job interrupted mid-flight simply runs again.
 */
export class RelayActionWorker implements BackgroundWorker {
  readonly name = 'relay.actions';
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly inFlight = new Map<number, Promise<void>>();
  private readonly due: SQLite.Statement;
  private wake: (() => void) | null = null;
  /** Set by the service: the executor when the core has one. */
  starter: () => TemplateStarter | undefined = () => undefined;
  onUpdated: (requestId: number) => void = () => {};

  constructor(private readonly ctx: CoreContext) {
    // Claimed in one statement inside an immediate transaction: two processes on one data directory never take the
    // same job (the second sees the lease), and a job whose holder's lease ran out is taken over.
    this.due = ctx.sqlite.prepare(
      `update relay_jobs set claim_id = @claim, lease_until = @until
       where id in (select id from relay_jobs where status = 'pending' and next_at <= @now and (lease_until is null or lease_until <= @now)
                    order by next_at limit @n)
       returning id, request_id, kind, attempts, claim_id`,
    );
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** New jobs were committed: look now instead of at the next poll. */
  kick(): void {
    this.wake?.();
  }

  pendingCount(): number {
    return Number(this.ctx.sqlite.prepare(`select count(*) from relay_jobs where status = 'pending'`).pluck().get());
  }

  /** Run every due job once and wait for them (tests, replays). */
  async drain(): Promise<void> {
    for (;;) {
      this.claimDue();
      if (this.inFlight.size === 0) return;
      await Promise.allSettled([...this.inFlight.values()]);
    }
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        this.claimDue();
      } catch (e) {
        this.ctx.log.error({ err: (e as Error).message }, 'relay action queue poll failed');
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, POLL_MS);
      });
      this.wake = null;
    }
  }

  private claimDue(): void {
    const free = CONCURRENCY - this.inFlight.size;
    if (free <= 0) return;
    const now = this.ctx.clock.now();
    // Jobs in flight here are held by this worker's unexpired claims, so they are not claimed again.
    const taken = tryWriteNow(this.ctx, () => this.due.all({ claim: newId('clm'), until: now + RELAY_JOB_LEASE_MS, now, n: free }) as Job[]);
    // Another transaction is open on the connection: the next poll (or kick) claims.
    if (!taken) return;
    for (const job of taken.value) {
      // Still running here past its lease (longer than any deadline allows): the old run's outcome will be refused
      // (fenced); the job runs again once this claim's lease ends too.
      if (this.inFlight.has(job.id)) continue;
      const p = this.run(job)
        .catch((e) => this.ctx.log.error({ err: (e as Error).message, job: job.id }, 'relay action failed'))
        .finally(() => {
          this.inFlight.delete(job.id);
          this.kick();
        });
      this.inFlight.set(job.id, p);
    }
  }

  private async run(job: Job): Promise<void> {
    if (job.kind === 'forward') await this.forward(job);
    else await this.rules(job);
    this.onUpdated(job.request_id);
  }

  /** Record a job's outcome and let go of it; refused (false) when its claim was taken over meanwhile. */
  private async finish(
    job: Job,
    status: 'pending' | 'done' | 'failed',
    attempts: number,
    error: string | null,
    nextAt = this.ctx.clock.now(),
  ): Promise<boolean> {
    const r = await this.ctx.db
      .updateTable('relay_jobs')
      .set({ status, attempts, last_error: error, next_at: nextAt, updated_at: this.ctx.clock.now(), claim_id: null, lease_until: null })
      .where('id', '=', job.id)
      .where('claim_id', '=', job.claim_id)
      .executeTakeFirst();
    const held = Number(r.numUpdatedRows) === 1;
    if (!held) this.ctx.log.warn({ job: job.id }, 'relay job taken over by another worker before it finished; its outcome is not recorded');
    return held;
  }

  private async forward(job: Job): Promise<void> {
    const { db } = this.ctx;
    const req = await db
      .selectFrom('relay_requests as r')
      .leftJoin('relay_endpoints as e', 'e.id', 'r.endpoint_id')
      .select(['r.id', 'r.method', 'r.headers', 'r.sealed_headers', 'r.body', 'e.forward_to'])
      .where('r.id', '=', job.request_id)
      .executeTakeFirst();
    if (!req) return void (await this.finish(job, 'failed', job.attempts, 'request no longer in the log'));
    if (!req.forward_to) {
      if (await this.finish(job, 'failed', job.attempts, 'endpoint has no forward-to URL any more')) {
        await db.updateTable('relay_requests').set({ forward_state: 'failed' }).where('id', '=', req.id).execute();
      }
      return;
    }
    const attempt = job.attempts + 1;
    const result = await forwardOnce(this.ctx, req as StoredRequest, req.forward_to, attempt);
    const ok = result.status !== null && result.status < 300;
    if (ok) {
      if (await this.finish(job, 'done', attempt, null))
        await db.updateTable('relay_requests').set({ forward_state: 'delivered' }).where('id', '=', req.id).execute();
    } else if (isTransient(result.status) && attempt < FORWARD_MAX_ATTEMPTS) {
      await this.finish(job, 'pending', attempt, result.error, this.ctx.clock.now() + backoffDelay(FORWARD_BACKOFF, attempt));
    } else if (await this.finish(job, 'failed', attempt, result.error)) {
      await db.updateTable('relay_requests').set({ forward_state: 'failed' }).where('id', '=', req.id).execute();
    }
  }

  private async rules(job: Job): Promise<void> {
    const { db } = this.ctx;
    const req = await db.selectFrom('relay_requests').select(['id', 'endpoint_id', 'event_type', 'body']).where('id', '=', job.request_id).executeTakeFirst();
    if (!req || !req.endpoint_id) return void (await this.finish(job, 'failed', job.attempts, 'request no longer in the log'));
    // A job re-run after a crash must not record (or start) the same rule twice.
    const already = new Set((await db.selectFrom('relay_rule_matches').select('rule_id').where('request_id', '=', req.id).execute()).map((r) => r.rule_id));
    const rules = (
      (await db
        .selectFrom('relay_rules')
        .selectAll()
        .where('endpoint_id', '=', req.endpoint_id)
        .where('active', '=', 1)
        .orderBy('created_at')
        .execute()) as RelayRulesTable[]
    ).map(toRule);
    let json: unknown = null;
    try {
      json = req.body && req.body.length ? JSON.parse(req.body.toString('utf8')) : null;
    } catch {
      json = null;
    }
    for (const rule of rules) {
      if (already.has(rule.id)) continue;
      const ev = evaluateRule(rule, req.event_type, json);
      if (!ev.matched) continue;
      let outcome: 'started' | 'executor_unavailable' | 'failed';
      let batchId: string | null = null;
      let error: string | null = null;
      const starter = this.starter();
      if (ev.missing.length) {
        outcome = 'failed';
        error = `inputs not found in the body: ${ev.missing.join(', ')}`;
      } else if (!starter) {
        outcome = 'executor_unavailable';
        error = 'the batch executor is not available in this build; the match is recorded';
      } else {
        try {
          // The inputs are whatever the sender put in the body: the batch runs untrusted unless the rule trusts it.
          const b = await starter.createBatchFromTemplate({
            investigationId: rule.investigationId,
            template: rule.template,
            inputs: ev.inputs,
            options: { untrusted: !rule.trusted },
          });
          batchId = typeof b === 'string' ? b : b.id;
          outcome = 'started';
        } catch (e) {
          outcome = 'failed';
          error = (e as Error).message;
        }
      }
      await db
        .insertInto('relay_rule_matches')
        .values({
          id: newId('rrm'),
          request_id: req.id,
          rule_id: rule.id,
          rule_name: rule.name,
          outcome,
          batch_id: batchId,
          inputs: JSON.stringify(ev.inputs),
          error,
          created_at: this.ctx.clock.now(),
        })
        .execute();
    }
    await this.finish(job, 'done', job.attempts + 1, null);
  }
}
