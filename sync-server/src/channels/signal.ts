import { EventEmitter } from 'node:events';
import { sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { SyncDatabase } from '../db/tables.ts';

const PG_CHANNEL = 'dossier_channel_requests';
const RELISTEN_MS = 1000;

/**
 * "Something changed on channel X": only a wake-up. A stream that hears it
 * re-reads the database from its last sent id, so a lost or doubled signal can
 * delay a request until the next heartbeat but never lose or repeat one.
 */
export interface ChannelSignal {
  subscribe(channelId: string, wake: () => void): () => void;
  /** Inside the storing transaction: PostgreSQL delivers NOTIFY at commit, to every instance. */
  notifyIn(trx: Transaction<SyncDatabase>, channelId: string): Promise<void>;
  /** After the commit: SQLite (one instance) wakes its own streams here. */
  committed(channelId: string): void;
  close(): Promise<void>;
}

class Subscribers {
  private readonly ee = new EventEmitter();
  constructor() {
    // One listener per open stream; hundreds are normal.
    this.ee.setMaxListeners(0);
  }
  subscribe(channelId: string, wake: () => void): () => void {
    this.ee.on(channelId, wake);
    return () => this.ee.off(channelId, wake);
  }
  wake(channelId: string): void {
    this.ee.emit(channelId);
  }
  wakeAll(): void {
    for (const name of this.ee.eventNames()) this.ee.emit(name);
  }
}

/** SQLite: the server is a single instance, so an in-process signal after commit is the whole story. */
export function memorySignal(): ChannelSignal {
  const subs = new Subscribers();
  return {
    subscribe: (id, wake) => subs.subscribe(id, wake),
    notifyIn: async () => undefined,
    committed: (id) => subs.wake(id),
    close: async () => undefined,
  };
}

/**
 * PostgreSQL: LISTEN on one held connection; NOTIFY from whichever instance stored
 * the request. While the listening connection is down (and once it is back) every
 * stream is woken, since notifications sent in the gap are gone.
 */
export async function pgSignal(pool: pg.Pool, log: Logger): Promise<ChannelSignal> {
  const subs = new Subscribers();
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  const listen = async (): Promise<void> => {
    // Its own connection, not one of the pool's: the pool can end (and be sized) without it.
    const c = new pg.Client(pool.options);
    c.on('notification', (n) => {
      if (n.channel === PG_CHANNEL && n.payload) subs.wake(n.payload);
    });
    c.on('error', (err) => {
      if (client !== c) return;
      log.warn({ err: err.message }, 'channel LISTEN connection lost; reconnecting');
      client = null;
      void c.end().catch(() => undefined);
      again();
    });
    try {
      await c.connect();
      await c.query(`listen ${PG_CHANNEL}`);
    } catch (e) {
      void c.end().catch(() => undefined);
      log.warn({ err: (e as Error).message }, 'channel LISTEN failed; retrying');
      again();
      return;
    }
    if (closed) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    subs.wakeAll();
  };
  const again = () => {
    if (closed || retry) return;
    subs.wakeAll();
    retry = setTimeout(() => {
      retry = null;
      void listen();
    }, RELISTEN_MS);
    retry.unref();
  };
  await listen();

  return {
    subscribe: (id, wake) => subs.subscribe(id, wake),
    async notifyIn(trx, id) {
      await sql`select pg_notify(${PG_CHANNEL}, ${id})`.execute(trx);
    },
    committed: () => undefined,
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      if (c) {
        await c.end().catch(() => undefined);
      }
    },
  };
}
