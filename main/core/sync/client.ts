import type { z } from 'zod';
import { DossierError } from '../../../preload/contract/errors.ts';
import { ConflictBody, ErrorBody, MeBody, PublishEventAnswer, TemplateFeed, WireTemplate, type PublishEventBody } from './wire.ts';

export interface ClientOptions {
  server: string;
  token: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type ChangeResult = { ok: true; template: WireTemplate } | { ok: false; current: WireTemplate };

/**
 * The desktop's HTTP client of the sync server. Every answer is zod-checked; a
 * server that does not answer is `unavailable` (the caller keeps its outbox).
 */
export class SyncClient {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  constructor(private readonly opts: ClientOptions) {
    this.base = opts.server.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.fetchImpl = opts.fetch ?? fetch;
  }

  me() {
    return this.call('GET', '/api/v1/me', MeBody);
  }

  feed(since: string, limit = 500) {
    return this.call('GET', `/api/v1/templates?since=${encodeURIComponent(since)}&limit=${limit}`, TemplateFeed);
  }

  create(body: { id: string; name: string; definition: Record<string, unknown> }): Promise<ChangeResult> {
    return this.change('POST', '/api/v1/templates', body);
  }

  update(id: string, version: number, body: { name: string; definition: Record<string, unknown> }): Promise<ChangeResult> {
    return this.change('PUT', `/api/v1/templates/${encodeURIComponent(id)}`, body, version);
  }

  /** Publish one event for the team's webhooks; an id the server already has answers `duplicate` (and delivers nothing twice). */
  async publishEvent(body: PublishEventBody): Promise<{ duplicate: boolean }> {
    const res = await this.send('POST', '/api/v1/events', body);
    const json = await this.json(res);
    if (!res.ok) throw this.error(res, json);
    return { duplicate: 'duplicate' in this.check(PublishEventAnswer, json, '/api/v1/events') };
  }

  /** null when the server never had it (nothing to remove). */
  async remove(id: string, version: number): Promise<ChangeResult | null> {
    try {
      return await this.change('DELETE', `/api/v1/templates/${encodeURIComponent(id)}`, undefined, version);
    } catch (e) {
      if (DossierError.is(e) && e.code === 'not_found') return null;
      throw e;
    }
  }

  private async change(method: string, path: string, body: unknown, ifMatch?: number): Promise<ChangeResult> {
    const res = await this.send(method, path, body, ifMatch);
    const json = await this.json(res);
    if (res.status === 409) {
      const c = ConflictBody.safeParse(json);
      if (c.success) return { ok: false, current: c.data.current };
    }
    if (!res.ok) throw this.error(res, json);
    return { ok: true, template: this.check(WireTemplate, json, path) };
  }

  private async call<S extends z.ZodType>(method: string, path: string, schema: S): Promise<z.output<S>> {
    const res = await this.send(method, path);
    const json = await this.json(res);
    if (!res.ok) throw this.error(res, json);
    return this.check(schema, json, path);
  }

  private async send(method: string, path: string, body?: unknown, ifMatch?: number): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.opts.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (ifMatch !== undefined) headers['if-match'] = String(ifMatch);
    try {
      return await this.fetchImpl(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
      throw new DossierError('unavailable', `the team server at ${this.base} does not answer (${cause}); local changes stay queued`);
    }
  }

  private async json(res: Response): Promise<unknown> {
    const text = await res.text().catch(() => '');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }

  private check<S extends z.ZodType>(schema: S, json: unknown, path: string): z.output<S> {
    const r = schema.safeParse(json);
    if (!r.success) throw new DossierError('unavailable', `the team server answered ${path} with something that is not a Dossier sync server answer`);
    return r.data;
  }

  private error(res: Response, json: unknown): DossierError {
    const body = ErrorBody.safeParse(json);
    const msg = body.success ? body.data.error.message : `HTTP ${res.status}`;
    switch (res.status) {
      case 401:
        return new DossierError('unauthorized', `the team server refused the token: ${msg}`);
      case 403:
        return new DossierError('forbidden', msg);
      case 404:
        return new DossierError('not_found', msg);
      case 400:
        return new DossierError('invalid_input', `the team server refused the change: ${msg}`);
      case 413:
        return new DossierError('payload_too_large', msg);
      case 409:
        return new DossierError('conflict', msg);
      default:
        return new DossierError('unavailable', `the team server answered ${res.status}: ${msg}`);
    }
  }
}
