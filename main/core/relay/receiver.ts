import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { CoreContext } from '../context.ts';
import type { BackgroundWorker } from '../workers.ts';
import { RELAY_DEFAULT_BODY_LIMIT } from '../../../preload/contract/relay.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import type { EndpointStore } from './endpoints.ts';
import type { LogWriter, PendingRow, Logged } from './log-writer.ts';
import { baseRow, decideRow, preCheck, rejectRow, type Arrival } from './ingest.ts';
import { BackgroundCheckpointer } from '../db/checkpointer.ts';
import { browserOrigin } from './browser-guard.ts';
import { SourceLimit } from './source-limit.ts';

const HOOK_PATH = /^\/hooks\/([a-z0-9-]{1,64})\/?$/;

export interface ReceiverConfig {
  host?: string;
  port?: number;
  /** Fail start() when the port cannot be bound (`relay start`); otherwise record the error and carry on (`serve`). */
  strict?: boolean;
}

/**
 * The inbound HTTP receiver (plain node:http for speed). Every request is
 * logged; a 2xx is written only after the commit that logged the request.
 */
export class RelayReceiver implements BackgroundWorker {
  readonly name = 'relay.receiver';
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private config: ReceiverConfig = {};
  private boundHost = '127.0.0.1';
  private boundPort: number | null = null;
  private lastError: string | null = null;
  private readonly checkpointer: BackgroundCheckpointer;
  private limit = new SourceLimit(0);
  private throttledSince = new Map<string, number>();

  constructor(
    private readonly ctx: CoreContext,
    private readonly endpoints: EndpointStore,
    private readonly writer: LogWriter,
  ) {
    this.checkpointer = new BackgroundCheckpointer(ctx.sqlite);
  }

  configure(c: ReceiverConfig): void {
    this.config = { ...this.config, ...c };
  }

  get url(): string | null {
    return this.server && this.boundPort !== null ? `http://${this.boundHost.includes(':') ? `[${this.boundHost}]` : this.boundHost}:${this.boundPort}` : null;
  }

  async configuredBase(): Promise<string> {
    if (this.url) return this.url;
    const host = this.config.host ?? (await this.ctx.settings.get('relay.host'));
    const port = this.config.port ?? (await this.defaultPort());
    return `http://${host}:${port}`;
  }

  status() {
    return { running: this.server !== null, url: this.url, host: this.boundHost, port: this.boundPort, error: this.lastError };
  }

  private async defaultPort(): Promise<number> {
    // DOSSIER_RELAY_PORT lets parallel test runs of `serve` keep off the shared default port.
    const env = process.env.DOSSIER_RELAY_PORT;
    if (env !== undefined && /^\d+$/.test(env)) return Number(env);
    if (this.ctx.mode === 'test') return 0;
    return this.ctx.settings.get('relay.port');
  }

  async start(): Promise<void> {
    if (this.server) return;
    const host = this.config.host ?? (await this.ctx.settings.get('relay.host'));
    const port = this.config.port ?? (await this.defaultPort());
    this.limit = new SourceLimit(await this.ctx.settings.get('relay.rateLimit.perSource'));
    const server = createServer({ keepAliveTimeout: 5_000, requestTimeout: 60_000 }, (req, res) => this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('clientError', (_e, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (e) {
      this.lastError = `cannot listen on ${host}:${port}: ${(e as Error).message}`;
      if (this.config.strict) throw new DossierError('unavailable', this.lastError);
      this.ctx.log.warn({ err: this.lastError }, 'relay receiver not started');
      return;
    }
    this.lastError = null;
    this.checkpointer.start();
    this.server = server;
    this.boundHost = host;
    this.boundPort = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = null;
    this.boundPort = null;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeIdleConnections();
      // In-flight requests get a moment to finish their commit and response.
      setTimeout(() => {
        for (const sock of this.sockets) sock.destroy();
      }, 500).unref();
    });
    await this.checkpointer.stop();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const t0 = performance.now();
    const receivedAt = this.ctx.clock.now();
    const source = req.socket.remoteAddress ?? 'unknown';
    this.limit.take(source).then(
      (wait) => (wait === null ? this.process(req, res, t0, receivedAt) : this.throttled(req, res, source, wait)),
      (e: unknown) => this.unavailable(res, e as Error),
    );
  }

  /** Over the per-source limit: 429 with Retry-After, the body discarded unread and nothing logged; one warning per source per minute. */
  private throttled(req: IncomingMessage, res: ServerResponse, source: string, waitS: number): void {
    // Drained, not left unread: closing on a client still sending its body resets the connection before it sees the 429.
    req.resume();
    const now = this.ctx.clock.now();
    if ((this.throttledSince.get(source) ?? 0) < now - 60_000) {
      this.throttledSince.set(source, now);
      this.ctx.log.warn({ source }, 'relay: source over its rate limit; requests answered 429 and not logged');
    }
    res.setHeader('retry-after', String(waitS));
    send(res, 429, JSON.stringify({ error: 'rate_limited', message: `too many requests from ${source}; retry in ${waitS} s` }));
  }

  private process(req: IncomingMessage, res: ServerResponse, t0: number, receivedAt: number): void {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const slug = HOOK_PATH.exec(path)?.[1] ?? null;
    const ep = slug ? this.endpoints.resolve(slug) : null;
    const h = req.headers;
    const a: Arrival = {
      endpoint: ep,
      slug,
      method: req.method ?? 'GET',
      path,
      query: q < 0 ? '' : rawUrl.slice(q + 1),
      rawHeaders: req.rawHeaders,
      headers: h,
      sourceIp: req.socket.remoteAddress ?? null,
      receivedAt,
      t0,
    };
    const row = baseRow(a, this.ctx.secrets);
    const limit = ep?.active ? ep.bodyLimit : RELAY_DEFAULT_BODY_LIMIT;

    const browser = browserOrigin(h);
    if (browser) {
      // The body is discarded unread: nothing a page sends reaches verification, rules, forwarding or the body column.
      req.resume();
      const p = preCheck(a, browser, 0, limit)!;
      this.reject(row, res, p.status, p.code, p.message, false);
      return;
    }

    const declared = h['content-length'] !== undefined ? Number(h['content-length']) : NaN;
    if (declared > limit) {
      // Refuse before reading a byte of an announced oversize body.
      row.size = declared;
      this.reject(row, res, 413, 'payload_too_large', `body of ${declared} bytes exceeds the limit of ${limit}`, true);
      return;
    }

    readBody(req, limit, (body, size, outcome) => {
      row.size = size;
      if (outcome === 'aborted') {
        row.body = body;
        this.reject(row, res, 400, 'aborted', 'client closed the connection before the body ended', true);
        return;
      }
      row.body = body;
      const p = preCheck(a, null, size, limit);
      if (p) {
        if (p.status === 405) res.setHeader('allow', 'POST');
        this.reject(row, res, p.status, p.code, p.message, p.status === 413);
        return;
      }
      const d = decideRow(row, ep!, h, body!, receivedAt);
      this.writer.add(row, (err, l) => {
        if (err || !l) return this.unavailable(res, err);
        if (!d.accepted) {
          const code = d.verification;
          return send(res, l.status, JSON.stringify({ error: code, message: d.error?.slice(code.length + 2) ?? code, id: l.id }));
        }
        if (d.challenge !== null) return send(res, 200, d.challenge, 'text/plain; charset=utf-8');
        send(res, l.status, accepted(l));
      });
    });
  }

  private reject(row: PendingRow, res: ServerResponse, status: number, code: string, message: string, close: boolean): void {
    rejectRow(row, status, code, message);
    this.writer.add(row, (err, l) => {
      if (err || !l) return this.unavailable(res, err);
      send(res, status, JSON.stringify({ error: code, message, id: l.id }), 'application/json', close);
    });
  }

  private unavailable(res: ServerResponse, err: Error | null): void {
    // Not logged means not accepted: the sender will retry.
    this.ctx.log.error({ err: err?.message }, 'relay request could not be logged');
    send(res, 503, JSON.stringify({ error: 'unavailable', message: 'the request could not be stored; retry later' }), 'application/json', true);
  }
}

function accepted(l: Logged): string {
  return l.duplicateOf !== null
    ? JSON.stringify({ received: true, duplicate: true, id: l.id, duplicateOf: l.duplicateOf })
    : JSON.stringify({ received: true, id: l.id });
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json', close = false): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = { 'content-type': type, 'content-length': Buffer.byteLength(body) };
  if (close) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(body);
}

type ReadOutcome = 'ok' | 'overflow' | 'aborted';

/** Read the raw body up to `limit` bytes; past it, stop reading and report overflow. */
function readBody(req: IncomingMessage, limit: number, cb: (body: Buffer | null, size: number, outcome: ReadOutcome) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  const finish = (outcome: ReadOutcome) => {
    if (done) return;
    done = true;
    if (outcome === 'overflow') {
      req.removeAllListeners('data');
      req.pause();
      cb(null, size, outcome);
      return;
    }
    cb(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, Math.min(size, limit)), size, outcome);
  };
  req.on('data', (c: Buffer) => {
    if (done) return;
    size += c.length;
    if (size > limit) return finish('overflow');
    chunks.push(c);
  });
  req.on('end', () => finish('ok'));
  req.on('aborted', () => finish('aborted'));
  req.on('error', () => finish('aborted'));
}
