import type SQLite from 'better-sqlite3';
import type { RelayForwardState, RelayRequestSummary, RelayVerification } from '../../../preload/contract/relay.ts';
import { newId } from '../util/ids.ts';
import { writeTx, type WriteTarget } from '../db/write.ts';
import { iso } from '../util/time.ts';
import { latencyBin } from './latency.ts';
import { RollupBatch, prepareRollups, type RollupStatements } from './rollups.ts';
import { SubscribedEvents } from '../events/subscriptions.ts';

/** One request about to be logged. `accepted` rows may become duplicates at commit time. */
export interface PendingRow {
  endpointId: string | null;
  slug: string | null;
  provider: string | null;
  receivedAt: number;
  /** performance.now() at arrival; latency is measured up to the commit that logs it. */
  t0: number;
  method: string;
  path: string;
  query: string;
  headers: string;
  sealedHeaders: string | null;
  body: Buffer | null;
  sourceIp: string | null;
  userAgent: string | null;
  contentType: string | null;
  size: number;
  status: number;
  verification: RelayVerification;
  error: string | null;
  deliveryId: string | null;
  eventType: string | null;
  replayOf: number | null;
  /** Accepted rows: check the delivery id for duplicates and enqueue these jobs. */
  accepted: boolean;
  jobs: ('forward' | 'rules')[];
  /** Write relay.received to the outbox (accepted, non-duplicate, not a handshake). */
  event: boolean;
  /**
   * From a team channel: its event id is committed as the endpoint's cursor in the same
   * transaction, and an event at or below the cursor is not logged again (a resumed or
   * second consumer of the same channel cannot double it).
   */
  channel?: { channelId: string; seq: number };
}

export interface Logged {
  id: number;
  status: number;
  duplicateOf: number | null;
  summary: RelayRequestSummary;
  jobs: number;
}

/** `logged` is null (with no error) only for a channel event that was already processed. */
type Done = (err: Error | null, logged: Logged | null) => void;

/**
 * Group commit for the receiver's hot path: rows that arrive in the same
 * event-loop turn share one transaction, and each caller hears back only after
 * that transaction committed (so a 2xx is never sent for an unlogged request).
 */
export class LogWriter {
  private queue: { row: PendingRow; done: Done }[] = [];
  private scheduled = false;
  private readonly insert: SQLite.Statement;
  private readonly findDelivery: SQLite.Statement;
  private readonly insertJob: SQLite.Statement;
  private readonly insertEvent: SQLite.Statement;
  private readonly cursorGet: SQLite.Statement;
  private readonly cursorSet: SQLite.Statement;
  private readonly subscriptions: SubscribedEvents;
  private readonly sqlite: SQLite.Database;
  private readonly rollupStmts: RollupStatements;
  private rollups = new RollupBatch();
  private chain: Promise<void> = Promise.resolve();
  /** Called after each commit with what it logged (bus events, waking the action worker). */
  onCommitted: (logged: Logged[]) => void = () => {};

  constructor(
    private readonly target: WriteTarget,
    private readonly now: () => number,
  ) {
    const sqlite = target.sqlite;
    this.sqlite = sqlite;
    this.insert = sqlite.prepare(`insert into relay_requests
      (endpoint_id, slug, received_at, method, path, query, headers, sealed_headers, body, source_ip, user_agent, content_type,
       size, status, latency_ms, latency_bin, verification, error, delivery_id, event_type, duplicate_of, replay_of, forward_state)
      values (@endpointId, @slug, @receivedAt, @method, @path, @query, @headers, @sealedHeaders, @body, @sourceIp, @userAgent, @contentType,
       @size, @status, @latencyMs, @latencyBin, @verification, @error, @deliveryId, @eventType, @duplicateOf, @replayOf, @forwardState)`);
    this.findDelivery = sqlite
      .prepare(
        `select id from relay_requests indexed by relay_requests_delivery
        where endpoint_id = ? and delivery_id = ? and duplicate_of is null and status between 200 and 299 order by id limit 1`,
      )
      .pluck();
    this.insertJob = sqlite.prepare(
      `insert into relay_jobs (request_id, kind, status, attempts, next_at, created_at, updated_at) values (?, ?, 'pending', 0, ?, ?, ?)`,
    );
    // Same columns as events/outbox.ts writeEvent, as a prepared statement: the hot path is synchronous.
    this.subscriptions = SubscribedEvents.for(sqlite);
    this.insertEvent = sqlite.prepare(
      `insert into outbox (id, type, payload, investigation_id, created_at, dispatched_at) values (?, 'relay.received', ?, null, ?, null)`,
    );
    this.rollupStmts = prepareRollups(sqlite);
    this.cursorGet = sqlite.prepare('select channel_id, last_seq from relay_channel_cursors where endpoint_id = ?');
    this.cursorSet = sqlite.prepare(`insert into relay_channel_cursors (endpoint_id, channel_id, last_seq, updated_at) values (?, ?, ?, ?)
      on conflict (endpoint_id) do update set channel_id = excluded.channel_id, last_seq = excluded.last_seq, updated_at = excluded.updated_at`);
  }

  add(row: PendingRow, done: Done): void {
    this.queue.push({ row, done });
    if (!this.scheduled) {
      this.scheduled = true;
      // In order: a flush that waits for another transaction must not be overtaken by the next one.
      setImmediate(() => (this.chain = this.chain.then(() => this.flush())));
    }
  }

  /** Log one row now (replays, tests); same rules as the receiver's path. */
  addAsync(row: PendingRow): Promise<Logged> {
    return new Promise((resolve, reject) => this.add(row, (err, logged) => (err ? reject(err) : resolve(logged!))));
  }

  /** A channel event: resolves after the commit that logged it with its cursor, or with null when it was processed before. */
  addChannel(row: PendingRow & { channel: NonNullable<PendingRow['channel']> }): Promise<Logged | null> {
    return new Promise((resolve, reject) => this.add(row, (err, logged) => (err ? reject(err) : resolve(logged))));
  }

  /** The last channel event an endpoint processed (0 when none, or when it was bound to another channel). */
  channelCursor(endpointId: string, channelId: string): number {
    const c = this.cursorGet.get(endpointId) as { channel_id: string; last_seq: number } | undefined;
    return c && c.channel_id === channelId ? c.last_seq : 0;
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    let logged: (Logged | null)[];
    try {
      // Through the one write path: a request answered 2xx must never sit in someone else's transaction.
      logged = await writeTx(this.target, () => {
        // A fresh accumulator per transaction: nothing of a rolled-back batch is counted later.
        this.rollups = new RollupBatch();
        const out = batch.map(({ row }) => this.write(row));
        // The rollups of the batch are written in its transaction: counted if and only if logged.
        this.rollups.apply(this.rollupStmts);
        return out;
      });
    } catch (e) {
      for (const b of batch) b.done(e as Error, null);
      return;
    }
    for (let i = 0; i < batch.length; i++) batch[i]!.done(null, logged[i]!);
    this.onCommitted(logged.filter((l): l is Logged => l !== null));
  }

  private write(row: PendingRow): Logged | null {
    const now = this.now();
    if (row.channel && row.endpointId) {
      if (this.channelCursor(row.endpointId, row.channel.channelId) >= row.channel.seq) return null;
      this.cursorSet.run(row.endpointId, row.channel.channelId, row.channel.seq, now);
    }
    const latencyMs = Math.round((performance.now() - row.t0) * 1000) / 1000;
    let duplicateOf: number | null = null;
    let status = row.status;
    if (row.accepted && row.deliveryId && row.endpointId && row.replayOf === null) {
      const prior = this.findDelivery.get(row.endpointId, row.deliveryId) as number | undefined;
      if (prior !== undefined) {
        duplicateOf = prior;
        status = 200;
      }
    }
    const doWork = row.accepted && duplicateOf === null;
    const forwardState: RelayForwardState | null = doWork && row.jobs.includes('forward') ? 'pending' : null;
    const bin = latencyBin(latencyMs);
    const info = this.insert.run({
      endpointId: row.endpointId,
      slug: row.slug,
      receivedAt: row.receivedAt,
      method: row.method,
      path: row.path,
      query: row.query,
      headers: row.headers,
      sealedHeaders: row.sealedHeaders,
      body: row.body,
      sourceIp: row.sourceIp,
      userAgent: row.userAgent,
      contentType: row.contentType,
      size: row.size,
      verification: row.verification,
      error: row.error,
      deliveryId: row.deliveryId,
      eventType: row.eventType,
      replayOf: row.replayOf,
      status,
      latencyMs,
      latencyBin: bin,
      duplicateOf,
      forwardState,
    });
    const id = Number(info.lastInsertRowid);
    this.rollups.add({
      receivedAt: row.receivedAt,
      endpointId: row.endpointId,
      status,
      error: row.error,
      latencyMs,
      latencyBin: bin,
      verification: row.verification,
    });
    let jobs = 0;
    if (doWork) {
      for (const kind of row.jobs) {
        this.insertJob.run(id, kind, now, now, now);
        jobs++;
      }
      // relay.received is written only while a webhook subscribes to it (events/subscriptions.ts).
      if (row.event && this.subscriptions.wants('relay.received', now)) {
        const payload = {
          request: {
            id,
            endpointId: row.endpointId,
            slug: row.slug,
            provider: row.provider,
            deliveryId: row.deliveryId,
            eventType: row.eventType,
            method: row.method,
            contentType: row.contentType,
            size: row.size,
            receivedAt: iso(row.receivedAt),
          },
        };
        this.insertEvent.run(newId('evt'), JSON.stringify(payload), now);
      }
    }
    const summary: RelayRequestSummary = {
      id,
      endpointId: row.endpointId,
      slug: row.slug,
      method: row.method,
      path: row.path,
      receivedAt: iso(row.receivedAt),
      status,
      latencyMs,
      size: row.size,
      verification: row.verification,
      error: row.error,
      deliveryId: row.deliveryId,
      eventType: row.eventType,
      duplicateOf,
      replayOf: row.replayOf,
      sourceIp: row.sourceIp,
      userAgent: row.userAgent,
      contentType: row.contentType,
      forwardState,
    };
    return { id, status, duplicateOf, summary, jobs };
  }
}
