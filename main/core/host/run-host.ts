import { createCore, type CoreOptions, type DossierCore } from '../core.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import type { MethodName } from '../../../preload/contract/index.ts';
import { AesGcmSecretBox } from '../crypto/secret-box.ts';
import { createLogger, type Logger } from '../log.ts';
import type { PdfRenderer } from '../reports/pdf.ts';
import { PdfRequest, ToHost, type FromHost, type HostInitMessage, type HostPort } from './protocol.ts';
import { serializeError } from './serialize-error.ts';

export interface RunHostOptions {
  /** Tests open the core their own way (extra test tools); default `createCore`. */
  createCore?: (opts: CoreOptions) => Promise<DossierCore>;
  log?: Logger;
}

/** A host channel that can also tell when the other side went away (Node's IPC `disconnect`). */
export type ClosablePort = HostPort & { onClose?(listener: () => void): void };

/**
 * The core host: opens the core when `init` arrives and serves calls, cancellations and events over
 * `port` (protocol.ts) until `shutdown` (or the face's end closing). Resolves with the exit code the
 * process should end with: 0 after a clean close, 1 when the core could not open or close.
 */
export function runCoreHost(port: ClosablePort, opts: RunHostOptions = {}): Promise<number> {
  const log = opts.log ?? createLogger();
  const open = opts.createCore ?? createCore;
  let opening: Promise<DossierCore | null> | null = null;
  let stopping = false;
  const calls = new Map<number, AbortController>();
  const inflight = new Set<Promise<void>>();
  const requests = new Map<number, { resolve(): void; reject(e: Error): void }>();
  let nextRequest = 1;
  let finish!: (code: number) => void;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  const send = (m: FromHost) => port.send(m);

  /** The desktop prints PDFs in its main process (Electron's printToPDF): ask it, wait for its reply. */
  const pdfThroughFace: PdfRenderer = (htmlPath, pdfPath) =>
    new Promise<void>((resolve, reject) => {
      const id = nextRequest++;
      requests.set(id, { resolve, reject });
      send({ t: 'request', id, service: 'pdf', input: PdfRequest.parse({ htmlPath, pdfPath }) });
    });

  async function start(m: HostInitMessage): Promise<DossierCore | null> {
    try {
      const secrets = m.secretKey
        ? new AesGcmSecretBox(Buffer.from(m.secretKey, 'base64'), m.secretKind ?? 'wrapped-key', 'the key sealed by the OS keychain')
        : undefined;
      const core = await open({ dataDir: m.dataDir, mode: m.mode, secrets, log, pdf: m.facePdf ? pdfThroughFace : undefined });
      // Every live event goes to the face; it routes them on (the window, notifications).
      core.bus.subscribe((e) => send({ t: 'event', name: e.name, payload: e.payload }));
      if (m.workers) await core.startWorkers();
      send({ t: 'ready', version: core.ctx.version });
      return core;
    } catch (e) {
      send({ t: 'fatal', error: serializeError(e, log) });
      return null;
    }
  }

  function call(id: number, method: unknown, input: unknown): void {
    if (stopping || !opening) {
      send({ t: 'error', id, error: { code: 'unavailable', message: stopping ? 'the core is shutting down' : 'the core is not open yet' } });
      return;
    }
    const ctrl = new AbortController();
    calls.set(id, ctrl);
    const started = opening;
    const done = (async () => {
      try {
        const core = await started;
        if (!core) throw new DossierError('unavailable', 'the core did not open');
        // invoke checks the name against the contract (unknown → not_found), refuses local methods and validates the input.
        const result = await core.invoke(method as MethodName, input, { signal: ctrl.signal });
        send({ t: 'result', id, result: result ?? null });
      } catch (e) {
        send({ t: 'error', id, error: serializeError(e, log, method) });
      } finally {
        calls.delete(id);
      }
    })();
    inflight.add(done);
    void done.finally(() => inflight.delete(done));
  }

  async function shutdown(): Promise<void> {
    if (stopping) return;
    stopping = true;
    // Calls still running are told to stop (a tool run records itself cancelled) and answered before the core closes.
    // The default reason (an AbortError) is what tools and fetch recognise as a cancellation.
    for (const c of calls.values()) c.abort();
    await Promise.allSettled([...inflight]);
    for (const r of requests.values()) r.reject(new DossierError('unavailable', 'the core is shutting down'));
    requests.clear();
    const core = opening ? await opening : null;
    let code = core || !opening ? 0 : 1;
    try {
      await core?.close();
    } catch (e) {
      log.error({ err: e }, 'closing the core failed');
      code = 1;
    }
    off();
    finish(code);
  }

  const off = port.onMessage((raw) => {
    const parsed = ToHost.safeParse(raw);
    if (!parsed.success) {
      // Without a valid id there is no call to answer; a face that sends these has a bug worth seeing.
      log.warn({ issues: parsed.error.issues.slice(0, 3) }, 'core host ignored a malformed message');
      return;
    }
    const m = parsed.data;
    switch (m.t) {
      case 'init':
        if (opening) log.warn('core host ignored a second init');
        else
          opening = start(m).then((core) => {
            if (!core) void shutdown();
            return core;
          });
        return;
      case 'call':
        call(m.id, m.method, m.input);
        return;
      case 'cancel':
        calls.get(m.id)?.abort();
        return;
      case 'reply': {
        const r = requests.get(m.id);
        requests.delete(m.id);
        if (m.error) r?.reject(DossierError.fromSerialized(m.error));
        else r?.resolve();
        return;
      }
      case 'shutdown':
        void shutdown();
        return;
    }
  });
  port.onClose?.(() => void shutdown());
  return finished;
}
