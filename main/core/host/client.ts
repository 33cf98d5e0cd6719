import { DossierError, type SerializedError } from '../../../preload/contract/errors.ts';
import type { CoreEventEnvelope, CoreEventName, CoreEvents } from '../../../preload/contract/events.ts';
import type { CallOptions } from '../../../preload/contract/define.ts';
import type { PdfRenderer } from '../reports/pdf.ts';
import { systemClock, type Clock } from '../util/time.ts';
import { FromHost, type HostInit, type HostPort, type ToHost } from './protocol.ts';
import { serializeError } from './serialize-error.ts';

/** A call's answer as data (the shape the desktop's IPC returns to the renderer): it never throws. */
export type CallResult = { ok: true; result: unknown } | { ok: false; error: SerializedError };

export interface HostExit {
  code: number | null;
  signal: string | null;
}

/** A started host process as its face sees it: Electron's utility process, or a forked Node child (node-port.ts). */
export interface HostChild {
  port: HostPort;
  readonly pid?: number;
  onExit(listener: (exit: HostExit) => void): void;
  /** Ends it at once (a shutdown that took too long). */
  kill(): void;
}

export interface HostClientOptions {
  spawn: () => HostChild;
  init: Omit<HostInit, 't'>;
  /** What only the face can do for the host: print a PDF (the desktop's printToPDF). */
  pdf?: PdfRenderer;
  log?: { warn(o: object, msg: string): void; error(o: object, msg: string): void };
  clock?: Clock;
  /** A host that crashes more than `maxRestarts` times within `restartWindowMs` is not started again. */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** How long a shutdown may take before the host is killed. */
  shutdownTimeoutMs?: number;
}

type State = 'idle' | 'starting' | 'ready' | 'restarting' | 'stopping' | 'stopped' | 'failed';

interface Pending {
  id: number;
  method: unknown;
  input: unknown;
  resolve(r: CallResult): void;
  /** Sent to the current host; unsent calls wait for a host that is ready. */
  sent: boolean;
  detach(): void;
}

const fail = (code: SerializedError['code'], message: string): CallResult => ({ ok: false, error: { code, message } });

/**
 * The face's side of the core host (the desktop's main process; tests): starts the host, sends calls
 * with ids and matches the answers, cancels, hands events to subscribers, restarts a crashed host
 * (its unanswered calls fail with `unavailable`, subscribers get `core.crashed` then `core.ready`)
 * and shuts it down cleanly.
 */
export class CoreHostClient {
  private state: State = 'idle';
  private child: HostChild | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: CoreEventEnvelope) => void>();
  private nextId = 1;
  private crashes: number[] = [];
  private restarts = 0;
  private failure: SerializedError | null = null;
  private stopped: Promise<HostExit> | null = null;
  private onStopped: ((exit: HostExit) => void) | null = null;
  private readonly clock: Clock;

  constructor(private readonly opts: HostClientOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  /** Starts the host; rejects with the core's own error when it cannot open (the desktop shows it and quits). */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw new DossierError('conflict', 'the core host was already started');
    this.state = 'starting';
    await this.launch();
  }

  /** The current host process (tests kill it to play a crash). */
  get process(): HostChild | null {
    return this.child;
  }

  call(method: unknown, input: unknown, opts: CallOptions = {}): Promise<CallResult> {
    if (this.state === 'stopping' || this.state === 'stopped') return Promise.resolve(fail('unavailable', 'the core is shutting down'));
    if (this.state === 'failed') return Promise.resolve({ ok: false, error: this.failure! });
    if (opts.signal?.aborted) return Promise.resolve(fail('unavailable', 'the call was cancelled'));
    const id = this.nextId++;
    return new Promise<CallResult>((resolve) => {
      const onAbort = () => this.cancel(id);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const p: Pending = { id, method, input, resolve, sent: false, detach: () => opts.signal?.removeEventListener('abort', onAbort) };
      this.pending.set(id, p);
      if (this.state === 'ready') this.sendCall(p);
    });
  }

  /** Every core event, and the client's own `core.crashed` / `core.ready`. Returns the unsubscribe function. */
  subscribe(listener: (e: CoreEventEnvelope) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  on<K extends CoreEventName>(name: K, listener: (payload: CoreEvents[K]) => void): () => void {
    return this.subscribe((e) => {
      if (e.name === name) listener(e.payload as CoreEvents[K]);
    });
  }

  /**
   * Asks the host to finish its calls, stop its workers and close the database, and resolves with
   * how it exited (code 0: clean). A host that does not exit within the timeout is killed.
   */
  shutdown(): Promise<HostExit> {
    if (this.stopped) return this.stopped;
    const child = this.child;
    this.state = 'stopping';
    this.stopped = new Promise<HostExit>((resolve) => (this.onStopped = resolve));
    if (!child) this.finishStop({ code: null, signal: null });
    else {
      this.send(child, { t: 'shutdown' });
      const timer = setTimeout(() => child.kill(), this.opts.shutdownTimeoutMs ?? 15_000);
      timer.unref?.();
      void this.stopped.finally(() => clearTimeout(timer));
    }
    return this.stopped;
  }

  // ------------------------------------------------------------------ internals

  private launch(): Promise<void> {
    const child = this.opts.spawn();
    this.child = child;
    return new Promise<void>((resolve, reject) => {
      const off = child.port.onMessage((raw) => this.receive(child, raw, resolve, reject));
      child.onExit((exit) => {
        off();
        this.exited(child, exit, reject);
      });
      this.send(child, { t: 'init', ...this.opts.init });
    });
  }

  private receive(child: HostChild, raw: unknown, ready: () => void, failed: (e: Error) => void): void {
    if (child !== this.child) return;
    const parsed = FromHost.safeParse(raw);
    if (!parsed.success) {
      this.opts.log?.warn({ issues: parsed.error.issues.slice(0, 3) }, 'ignored a malformed message from the core host');
      return;
    }
    const m = parsed.data;
    switch (m.t) {
      case 'ready': {
        const restarted = this.state === 'restarting';
        if (this.state === 'starting' || restarted) this.state = 'ready';
        for (const p of this.pending.values()) if (!p.sent) this.sendCall(p);
        ready();
        if (restarted) this.emit('core.ready', { restarts: this.restarts });
        return;
      }
      case 'fatal':
        // The core cannot open (a bad data directory, a newer database): no restart would help.
        this.failure = m.error;
        this.state = 'failed';
        failed(DossierError.fromSerialized(m.error));
        return;
      case 'result':
      case 'error': {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.settle(p, m.t === 'result' ? { ok: true, result: m.result } : { ok: false, error: m.error });
        return;
      }
      case 'event':
        this.emit(m.name as CoreEventName, m.payload as CoreEvents[CoreEventName]);
        return;
      case 'request':
        void this.serve(child, m.id, m.input);
        return;
    }
  }

  private async serve(child: HostChild, id: number, input: { htmlPath: string; pdfPath: string }): Promise<void> {
    try {
      if (!this.opts.pdf) throw new DossierError('unavailable', 'this face does not print PDFs');
      await this.opts.pdf(input.htmlPath, input.pdfPath);
      this.send(child, { t: 'reply', id });
    } catch (e) {
      this.send(child, { t: 'reply', id, error: serializeError(e, this.opts.log) });
    }
  }

  private exited(child: HostChild, exit: HostExit, failedToStart: (e: Error) => void): void {
    if (child !== this.child) return;
    this.child = null;
    if (this.state === 'stopping') return this.finishStop(exit);
    if (this.state === 'failed') return this.failAll(this.failure!);
    const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
    if (this.state === 'starting') {
      // Dying before it was ever ready is a start failure, not a crash to restart from.
      this.failure = { code: 'unavailable', message: `the core process stopped while starting (${how})` };
      this.state = 'failed';
      this.failAll(this.failure);
      failedToStart(DossierError.fromSerialized(this.failure));
      return;
    }
    // Calls the dead host had were maybe done, maybe not: they fail; calls not yet sent wait for the new host.
    for (const p of [...this.pending.values()]) {
      if (p.sent) this.settle(p, fail('unavailable', `the core process stopped (${how}) before answering; it may or may not have been done`));
    }
    const now = this.clock.now();
    const window = this.opts.restartWindowMs ?? 60_000;
    this.crashes = [...this.crashes.filter((t) => now - t < window), now];
    const restarting = this.crashes.length <= (this.opts.maxRestarts ?? 3);
    this.opts.log?.error({ exitCode: exit.code, signal: exit.signal, restarting }, 'the core process crashed');
    this.emit('core.crashed', { exitCode: exit.code, signal: exit.signal, restarting });
    if (!restarting) {
      this.failure = {
        code: 'unavailable',
        message: `the core process crashed ${this.crashes.length} times within ${Math.round(window / 1000)} s; restart Dossier`,
      };
      this.state = 'failed';
      this.failAll(this.failure);
      return;
    }
    this.state = 'restarting';
    this.restarts++;
    // A restart that fails to open is reported through failAll above on its own exit.
    this.launch().catch((e: unknown) => this.opts.log?.error({ err: e }, 'the core process did not come back'));
  }

  private finishStop(exit: HostExit): void {
    this.state = 'stopped';
    this.failAll({ code: 'unavailable', message: 'the core is shutting down' });
    this.onStopped?.(exit);
  }

  private cancel(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    // Not sent yet: nothing ran. Sent: the host aborts the call's signal and answers as the handler ends.
    if (!p.sent) this.settle(p, fail('unavailable', 'the call was cancelled'));
    else if (this.child) this.send(this.child, { t: 'cancel', id });
  }

  private sendCall(p: Pending): void {
    try {
      this.send(this.child!, { t: 'call', id: p.id, method: p.method, input: p.input });
      p.sent = true;
    } catch (e) {
      // A value structured clone cannot carry (a function, a socket): nothing was sent.
      this.settle(p, fail('invalid_input', `the call cannot be sent to the core process: ${e instanceof Error ? e.message : String(e)}`));
    }
  }

  private send(child: HostChild, m: ToHost): void {
    child.port.send(m);
  }

  private settle(p: Pending, r: CallResult): void {
    this.pending.delete(p.id);
    p.detach();
    p.resolve(r);
  }

  private failAll(error: SerializedError): void {
    for (const p of [...this.pending.values()]) this.settle(p, { ok: false, error });
  }

  private emit<K extends CoreEventName>(name: K, payload: CoreEvents[K]): void {
    const e = { name, payload } as CoreEventEnvelope;
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.opts.log?.error({ err, event: name }, 'a core event listener failed');
      }
    }
  }
}
