import type { Request, Response } from 'express';
import type { ServerContext } from '../context.ts';
import type { ChannelsTable } from '../db/tables.ts';
import { ApiError } from '../http/errors.ts';
import { channelExists, requestsAfter, toRequestEvent } from './store.ts';
import { STREAM_HEARTBEAT_MS, STREAM_RETRY_MS } from '../../../main/core/sync/wire.ts';

/** Rows read per query while catching up; a reconnect mid-page resumes from its Last-Event-ID all the same. */
export const STREAM_PAGE = 500;

/** `Last-Event-ID` (or `?since=` for clients that cannot set headers): a sequence number; absent = from the start. */
export function lastEventId(req: Request): number {
  const raw = req.get('last-event-id') ?? (typeof req.query.since === 'string' ? req.query.since : undefined);
  if (raw === undefined || raw === '') return 0;
  if (!/^\d{1,15}$/.test(raw.trim())) throw new ApiError('invalid_input', 'Last-Event-ID must be an id this stream sent');
  return Number(raw.trim());
}

/**
 * The server-sent event stream of one channel (SPEC §3.9). Ids are the team
 * sequence, so after any reconnect the client names the last id it processed and
 * gets exactly what follows, from the database. Live requests arrive through the
 * channel signal, which only wakes this loop: it always re-reads the database.
 */
export function openStream(ctx: ServerContext, ch: ChannelsTable, req: Request, res: Response, after: number): void {
  const page = ctx.config.streamPage ?? STREAM_PAGE;
  let last = after;
  let reading = false;
  let again = false;
  let closed = false;

  // A stream is one long response: no idle timeout on its socket. (Node's requestTimeout and
  // headersTimeout end once the request is in, so they never cut a response that is still being written.)
  req.socket.setTimeout(0);
  req.socket.setNoDelay(true);
  req.socket.setKeepAlive(true, 30_000);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    // nginx and friends must pass each event through at once, not buffer the response; no-transform keeps compression off.
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  res.write(`retry: ${STREAM_RETRY_MS}\n\n`);
  ctx.metrics.sseClients.inc();

  // A slow reader holds the catch-up loop (backpressure) instead of the whole backlog piling up in memory.
  const write = async (chunk: string): Promise<void> => {
    if (res.write(chunk) || closed) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  };

  const stop = (how: 'end' | 'destroy' | 'gone') => {
    if (closed) return;
    closed = true;
    ctx.streams.delete(endNow);
    unsubscribe();
    stopBeat();
    ctx.metrics.sseClients.dec();
    if (how === 'end') res.end();
    if (how === 'destroy') res.destroy();
  };

  const pump = async (): Promise<void> => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        let sent = 0;
        for (;;) {
          const rows = await requestsAfter(ctx.store.db, ch.id, last, page);
          if (closed) return;
          for (const r of rows) {
            const seq = Number(r.seq);
            await write(`id: ${seq}\nevent: request\ndata: ${JSON.stringify(toRequestEvent(r))}\n\n`);
            if (closed) return;
            last = seq;
            sent++;
            ctx.metrics.channelLag.observe(Math.max(0, ctx.now() - Number(r.received_at)) / 1000);
          }
          if (rows.length < page) break;
        }
        // Woken with nothing new: maybe the channel was deleted under this stream.
        if (sent === 0 && !(await channelExists(ctx.store.db, ch.id))) return stop('end');
      } while (again && !closed);
    } catch (e) {
      ctx.log.warn({ err: (e as Error).message, channel: ch.id }, 'channel stream read failed; closing it (the client resumes from its last id)');
      stop('destroy');
    } finally {
      reading = false;
    }
  };

  // Subscribed before the first read, so a request committed in between still wakes a read.
  const unsubscribe = ctx.channelSignal.subscribe(ch.id, () => void pump());
  // The heartbeat also re-reads: a safety net under the wake-up signal.
  const stopBeat = ctx.every(ctx.config.heartbeatMs ?? STREAM_HEARTBEAT_MS, () => {
    if (closed) return;
    res.write(':\n\n');
    void pump();
  });
  const endNow = () => stop('end');
  ctx.streams.add(endNow);
  res.on('close', () => stop('gone'));
  void pump();
}
