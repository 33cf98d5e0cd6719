import type { EventSourceMessage } from 'eventsource-parser';
import type { CoreContext } from '../context.ts';
import type { BackgroundWorker } from '../workers.ts';
import type { RelayChannelState } from '../../../preload/contract/relay.ts';
import { RELAY_DEFAULT_BODY_LIMIT } from '../../../preload/contract/relay.ts';
import { iso } from '../util/time.ts';
import { readEventStream } from '../sync/sse.ts';
import { ChannelRequestEvent, STREAM_HEARTBEAT_MS } from '../sync/wire.ts';
import type { EndpointStore } from './endpoints.ts';
import type { LogWriter } from './log-writer.ts';
import { headerMap } from './headers.ts';
import { baseRow, decideRow, preCheck, rejectRow, type Arrival } from './ingest.ts';
import { browserOrigin } from './browser-guard.ts';

export interface ChannelConsumerOptions {
  fetch?: typeof fetch;
  /** 0 <= r < 1, for the backoff's jitter. */
  random?: () => number;
  /** Waits between attempts; resolves early when the signal aborts. Tests pass one that does not wait. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** A stream that sends nothing (not even a heartbeat) this long is dropped and reopened: two heartbeats. */
  silenceMs?: number;
  /** The silence watchdog's timer (tests fire it themselves). */
  setTimer?: (ms: number, fn: () => void) => () => void;
  backoff?: { baseMs: number; maxMs: number };
}

const realSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    t.unref();
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

const realTimer = (ms: number, fn: () => void) => {
  const t = setTimeout(fn, ms);
  t.unref();
  return () => clearTimeout(t);
};

/** "Full" backoff with equal jitter: between half and all of min(max, base·2^attempt). */
export function backoffDelay(attempt: number, random: () => number, base: number, max: number): number {
  const cap = Math.min(max, base * 2 ** Math.min(attempt, 30));
  return Math.round(cap / 2 + random() * (cap / 2));
}

interface Loop {
  endpointId: string;
  slug: string;
  channelId: string;
  ac: AbortController;
  done: Promise<void>;
  state: RelayChannelState;
}

/**
 * Streams each channel-fed endpoint's team channel (SPEC §3.9 desktop side) and
 * hands every request to that endpoint's ordinary pipeline. The stream resumes
 * from the cursor committed with the last logged request, so a disconnect, a
 * restart or a kill -9 neither loses nor repeats one.
 */
export class ChannelConsumer implements BackgroundWorker {
  readonly name = 'relay.channels';
  private readonly loops = new Map<string, Loop>();
  private readonly idle = new Map<string, RelayChannelState>();
  private unsubscribe: (() => void) | null = null;
  private reconciling: Promise<void> = Promise.resolve();
  private running = false;
  private readonly o: Required<Omit<ChannelConsumerOptions, 'fetch'>> & { fetch: typeof fetch };

  constructor(
    private readonly ctx: CoreContext,
    private readonly endpoints: EndpointStore,
    private readonly writer: LogWriter,
    opts: ChannelConsumerOptions = {},
  ) {
    this.o = {
      fetch: opts.fetch ?? fetch,
      random: opts.random ?? Math.random,
      sleep: opts.sleep ?? realSleep,
      silenceMs: opts.silenceMs ?? 2 * STREAM_HEARTBEAT_MS,
      setTimer: opts.setTimer ?? realTimer,
      backoff: opts.backoff ?? { baseMs: 500, maxMs: 60_000 },
    };
  }

  start(): void {
    this.running = true;
    const offEndpoints = this.ctx.bus.on('relay.endpoints.changed', () => this.reconcile());
    // Connected (maybe to another server or with another token) or disconnected: every stream starts over.
    const offLink = this.ctx.bus.on('sync.changed', (p) => (p.kind === 'connected' || p.kind === 'disconnected') && this.reconcile(true));
    this.unsubscribe = () => {
      offEndpoints();
      offLink();
    };
    this.reconcile();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.reconciling;
    await Promise.all([...this.loops.values()].map((l) => this.end(l)));
  }

  /** Each channel-fed endpoint's stream as this process sees it. */
  async states(): Promise<RelayChannelState[]> {
    const rows = await this.endpoints.channelBound();
    return rows.map((r) => {
      const live = this.loops.get(r.id)?.state ?? this.idle.get(r.id);
      return {
        endpointId: r.id,
        slug: r.slug,
        channelId: r.channel_id!,
        state: live?.state ?? 'stopped',
        lastEventId: this.writer.channelCursor(r.id, r.channel_id!),
        error: live?.error ?? null,
        since: live?.since ?? iso(this.ctx.clock.now()),
        nextAttemptAt: live?.nextAttemptAt ?? null,
      };
    });
  }

  /** Resolves once every loop matches the endpoints as stored (tests await it). */
  settled(): Promise<void> {
    return this.reconciling;
  }

  private reconcile(restartAll = false): void {
    this.reconciling = this.reconciling
      .then(() => this.sync(restartAll))
      .catch((e: unknown) => this.ctx.log.error({ err: (e as Error).message }, 'relay channels: reconcile failed'));
  }

  private async sync(restartAll: boolean): Promise<void> {
    if (!this.running) return;
    const rows = await this.endpoints.channelBound();
    const linked = Boolean(await this.ctx.db.selectFrom('sync_link').select('id').executeTakeFirst());
    const want = new Map(rows.map((r) => [r.id, r]));
    for (const l of [...this.loops.values()]) {
      const r = want.get(l.endpointId);
      if (restartAll || !linked || !r || r.channel_id !== l.channelId) await this.end(l);
      else l.slug = r.slug;
    }
    this.idle.clear();
    for (const r of rows) {
      if (this.loops.has(r.id)) continue;
      if (!linked) {
        this.idle.set(r.id, this.stateOf(r.id, r.slug, r.channel_id!, 'not_linked', 'not connected to a team server'));
        continue;
      }
      this.begin(r.id, r.slug, r.channel_id!);
    }
  }

  private stateOf(
    endpointId: string,
    slug: string,
    channelId: string,
    state: RelayChannelState['state'],
    error: string | null,
    nextAttemptAt: number | null = null,
  ): RelayChannelState {
    return {
      endpointId,
      slug,
      channelId,
      state,
      lastEventId: 0,
      error,
      since: iso(this.ctx.clock.now()),
      nextAttemptAt: nextAttemptAt === null ? null : iso(nextAttemptAt),
    };
  }

  private begin(endpointId: string, slug: string, channelId: string): void {
    const loop: Loop = {
      endpointId,
      slug,
      channelId,
      ac: new AbortController(),
      done: Promise.resolve(),
      state: this.stateOf(endpointId, slug, channelId, 'stopped', null),
    };
    this.loops.set(endpointId, loop);
    loop.done = this.run(loop).catch((e: unknown) => this.ctx.log.error({ err: (e as Error).message, endpoint: slug }, 'relay channel loop failed'));
  }

  private async end(l: Loop): Promise<void> {
    l.ac.abort();
    await l.done;
    this.loops.delete(l.endpointId);
  }

  private set(l: Loop, state: RelayChannelState['state'], error: string | null = null, nextAttemptAt: number | null = null): void {
    const changed = l.state.state !== state;
    l.state = this.stateOf(l.endpointId, l.slug, l.channelId, state, error, nextAttemptAt);
    if (changed) this.ctx.bus.emit('relay.channel', { endpointId: l.endpointId, state });
  }

  /** Connect, stream, and on any failure wait (backoff with jitter) and connect again from the committed cursor. */
  private async run(l: Loop): Promise<void> {
    let attempt = 0;
    while (!l.ac.signal.aborted) {
      const link = await this.ctx.db.selectFrom('sync_link').select(['server', 'token_sealed']).where('id', '=', 1).executeTakeFirst();
      if (!link) return this.set(l, 'not_linked', 'not connected to a team server');
      const after = this.writer.channelCursor(l.endpointId, l.channelId);
      this.set(l, 'connecting');
      const ac = new AbortController();
      const abortInner = () => ac.abort();
      l.ac.signal.addEventListener('abort', abortInner, { once: true });
      let reason: string | null = null;
      let clear = () => {};
      const arm = () => {
        clear();
        clear = this.o.setTimer(this.o.silenceMs, () => {
          reason = `nothing from the server for ${Math.round(this.o.silenceMs / 1000)} s (two heartbeats)`;
          ac.abort();
        });
      };
      try {
        const url = `${link.server.replace(/\/+$/, '')}/api/v1/channels/${encodeURIComponent(l.channelId)}/stream`;
        const res = await this.o.fetch(url, {
          headers: { authorization: `Bearer ${this.ctx.secrets.decrypt(link.token_sealed)}`, accept: 'text/event-stream', 'last-event-id': String(after) },
          redirect: 'error',
          signal: ac.signal,
        });
        if (res.status !== 200 || !res.body) {
          const text = await res.text().catch(() => '');
          const msg = /"message"\s*:\s*"([^"]*)"/.exec(text)?.[1];
          throw new Error(`the team server answered ${res.status}${msg ? `: ${msg}` : ''}`);
        }
        this.set(l, 'connected');
        arm();
        await readEventStream(
          res.body,
          {
            onComment: () => {
              arm();
              attempt = 0;
            },
            onEvent: async (e) => {
              arm();
              attempt = 0;
              if (e.event === 'request') await this.ingest(l, e);
            },
          },
          ac.signal,
        );
        reason ??= 'the server ended the stream';
      } catch (e) {
        const err = e as Error & { cause?: { code?: string; message?: string } };
        reason ??= err.name === 'AbortError' ? 'stopped' : `${err.message}${err.cause?.code ? ` (${err.cause.code})` : ''}`;
      } finally {
        clear();
        ac.abort();
        l.ac.signal.removeEventListener('abort', abortInner);
      }
      if (l.ac.signal.aborted) break;
      const delay = backoffDelay(attempt++, this.o.random, this.o.backoff.baseMs, this.o.backoff.maxMs);
      this.set(l, 'retrying', reason, this.ctx.clock.now() + delay);
      this.ctx.log.debug({ endpoint: l.slug, channel: l.channelId, err: reason, delayMs: delay }, 'relay channel: reconnecting');
      await this.o.sleep(delay, l.ac.signal);
    }
    this.set(l, 'stopped');
  }

  /** One channel event through the endpoint's pipeline, logged in the transaction that moves the cursor past it. */
  private async ingest(l: Loop, e: EventSourceMessage): Promise<void> {
    const seq = Number(e.id);
    if (!e.id || !Number.isSafeInteger(seq) || seq <= 0) throw new Error(`the server sent an event without a valid id (${e.id ?? 'none'})`);
    const t0 = performance.now();
    let parsed: ChannelRequestEvent | null = null;
    try {
      const r = ChannelRequestEvent.safeParse(JSON.parse(e.data));
      if (r.success) parsed = r.data;
    } catch {
      parsed = null;
    }
    const ep = this.endpoints.resolve(l.slug);
    if (!ep || ep.id !== l.endpointId) {
      // Deleted or renamed by another process: re-read the endpoints; this stream stops or restarts under the new slug.
      this.reconcile(true);
      throw new Error(`relay endpoint "${l.slug}" is no longer there`);
    }
    const pairs = parsed?.headers ?? [];
    const headers = headerMap(pairs);
    const receivedAt = parsed ? Date.parse(parsed.received_at) || this.ctx.clock.now() : this.ctx.clock.now();
    const a: Arrival = {
      endpoint: ep,
      slug: l.slug,
      method: parsed?.method ?? 'POST',
      // As if it had hit the local receiver at /hooks/<slug>.
      path: `/hooks/${l.slug}`,
      query: parsed?.query ?? '',
      rawHeaders: pairs.flat(),
      headers,
      sourceIp: null,
      receivedAt,
      t0,
    };
    const row = baseRow(a, this.ctx.secrets);
    row.channel = { channelId: l.channelId, seq };
    if (!parsed) {
      // Logged, not dropped: the cursor moves past it and the log says what came.
      row.body = Buffer.from(e.data.slice(0, 4096));
      row.size = Buffer.byteLength(e.data);
      rejectRow(row, 400, 'invalid_channel_event', 'the team server sent an event that is not a channel request');
    } else {
      const body = Buffer.from(parsed.body_base64, 'base64');
      row.body = body;
      row.size = body.length;
      const p = preCheck(a, browserOrigin(headers), body.length, ep.active ? ep.bodyLimit : RELAY_DEFAULT_BODY_LIMIT);
      if (p) rejectRow(row, p.status, p.code, p.message);
      // Verified against the time the server received it: a laptop that slept must not fail a timestamped signature.
      else decideRow(row, ep, headers, body, receivedAt);
    }
    await this.writer.addChannel(row as typeof row & { channel: { channelId: string; seq: number } });
  }
}
