import type { Contract, MethodName } from '../../../preload/contract/index.ts';
import { DossierError, isErrorCode, type SerializedError } from '../../../preload/contract/errors.ts';
import type { InputOf, OutputOf } from '../../../preload/contract/define.ts';
import type { CoreEventEnvelope } from '../../../preload/contract/events.ts';
import type { PreloadApi } from '../../../preload/index.ts';

declare global {
  interface Window {
    dossier?: PreloadApi;
  }
}

export interface Transport {
  kind: 'ipc' | 'http';
  call<K extends MethodName>(method: K, input: InputOf<Contract[K]>): Promise<OutputOf<Contract[K]>>;
  subscribe(listener: (e: CoreEventEnvelope) => void): () => void;
  /** Called whenever the event stream (re)connects: events sent while it was not connected are lost, so views must re-read. */
  onReconnect(listener: () => void): () => void;
  /** For HTTP-only extras (uploads, downloads); undefined under IPC. */
  token?: string;
  /** Whether the core can be reached right now (browser mode can lose its server; IPC cannot). */
  connection(): ConnectionState;
  onConnection(listener: () => void): () => void;
}

/**
 * `no_token`: a browser-mode page opened without the `?token=` of the URL `dossier serve` printed;
 * `bad_token`: the server refused the token (another run of `serve` made a new one);
 * `lost`: the event stream dropped (the server stopped), so what is on screen was read before `since`.
 */
export type ConnectionState = { kind: 'connected' } | { kind: 'no_token' } | { kind: 'bad_token' } | { kind: 'lost'; since: number };

function toError(e: SerializedError | undefined, fallback: string): DossierError {
  if (e && isErrorCode(e.code)) return new DossierError(e.code, e.message, e.details);
  return new DossierError('internal', e?.message ?? fallback);
}

const CONNECTED: ConnectionState = { kind: 'connected' };

function ipcTransport(api: PreloadApi): Transport {
  return {
    kind: 'ipc',
    async call(method, input) {
      const res = await api.call(method, input);
      if (res.ok) return res.result;
      throw toError(res.error as SerializedError, 'IPC call failed');
    },
    subscribe: (l) => api.subscribe(l),
    // IPC events cannot be dropped while the window lives.
    onReconnect: () => () => undefined,
    connection: () => CONNECTED,
    onConnection: () => () => undefined,
  };
}

/** The token arrives in the URL once; keep it for reloads, then drop it from the address bar. */
function readToken(): string {
  const params = new URLSearchParams(window.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem('dossier.token', fromUrl);
    // Out of the address bar and the history entry: a screenshot, a shared screen or the history list must not show it.
    params.delete('token');
    const rest = params.toString();
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${rest ? `?${rest}` : ''}${window.location.hash}`);
    return fromUrl;
  }
  return sessionStorage.getItem('dossier.token') ?? '';
}

const NO_TOKEN_MESSAGE = 'This page was opened without its access token: open the URL `dossier serve` printed.';

function httpTransport(): Transport {
  const token = readToken();
  const listeners = new Set<(e: CoreEventEnvelope) => void>();
  const reconnects = new Set<() => void>();
  const statusListeners = new Set<() => void>();
  let source: EventSource | null = null;
  let state: ConnectionState = token ? CONNECTED : { kind: 'no_token' };

  function setState(next: ConnectionState) {
    // A refused token is final for this page: a reconnecting stream must not hide it again.
    if (state.kind === 'bad_token' || state.kind === 'no_token') return;
    if (next.kind === state.kind) return;
    state = next;
    for (const l of statusListeners) l();
  }

  function ensureSource() {
    // Without a token the stream would only be refused; the page explains how to get one instead.
    if (source || !token) return;
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    // Every open re-reads, the first one too: what changed between a view's first fetch and the stream being
    // connected (a page just loaded, a create right after) was sent to nobody.
    source.onopen = () => {
      setState(CONNECTED);
      for (const l of reconnects) l();
    };
    // The browser retries on its own; until it is back, nothing on screen is live.
    source.onerror = () => setState({ kind: 'lost', since: Date.now() });
    source.onmessage = (ev: MessageEvent<string>) => {
      const envelope = JSON.parse(ev.data) as CoreEventEnvelope;
      // One view's failing handler must not starve the views subscribed after it.
      for (const l of listeners) {
        try {
          l(envelope);
        } catch (e) {
          console.error('core event handler failed', envelope.name, e);
        }
      }
    };
  }

  return {
    kind: 'http',
    token,
    async call(method, input) {
      if (!token) throw new DossierError('unauthorized', NO_TOKEN_MESSAGE);
      let res: Response;
      try {
        res = await fetch(`/api/call/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        setState({ kind: 'lost', since: Date.now() });
        throw new DossierError('unavailable', 'The Dossier server cannot be reached (it may have been stopped).');
      }
      const body = (await res.json().catch(() => ({}))) as { result?: unknown; error?: SerializedError };
      if (res.status === 401) setState({ kind: 'bad_token' });
      if (!res.ok || body.error) throw toError(body.error, `HTTP ${res.status}`);
      return body.result as never;
    },
    connection: () => state,
    onConnection(l) {
      statusListeners.add(l);
      return () => statusListeners.delete(l);
    },
    subscribe(l) {
      ensureSource();
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onReconnect(l) {
      reconnects.add(l);
      return () => reconnects.delete(l);
    },
  };
}

export const transport: Transport = window.dossier ? ipcTransport(window.dossier) : httpTransport();
