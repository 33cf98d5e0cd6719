import type SQLite from 'better-sqlite3';
import type { CoreContext } from '../context.ts';
import {
  RelayProviderOptions,
  type CreateRelayEndpoint,
  type RelayEndpoint,
  type RelayProviderId,
  type UpdateRelayEndpoint,
} from '../../../preload/contract/relay.ts';
import type { z } from 'zod';
import { DossierError } from '../../../preload/contract/errors.ts';
import { newId } from '../util/ids.ts';
import { iso } from '../util/time.ts';
import { parseJson } from '../util/json.ts';
import type { RelayEndpointsTable } from './tables.ts';
import { provider } from './providers/index.ts';

/** An endpoint as the receiver needs it: secret opened, options parsed. */
export interface LiveEndpoint {
  id: string;
  slug: string;
  provider: RelayProviderId;
  secret: string | null;
  options: RelayProviderOptions;
  forwardTo: string | null;
  active: boolean;
  bodyLimit: number;
  toleranceSeconds: number;
  hasRules: boolean;
  signatureHeaders: string[];
  channelId: string | null;
}

const CACHE_MS = 1000;

export class EndpointStore {
  private readonly bySlug: SQLite.Statement;
  private readonly ruleCount: SQLite.Statement;
  /** Slug -> endpoint (or null for unknown), refreshed after CACHE_MS so other processes' edits show up. */
  private readonly cache = new Map<string, { at: number; ep: LiveEndpoint | null }>();
  onChange: (id: string, kind: 'created' | 'updated' | 'deleted') => void = () => {};

  constructor(private readonly ctx: CoreContext) {
    this.bySlug = ctx.sqlite.prepare('select * from relay_endpoints where slug = ?');
    this.ruleCount = ctx.sqlite.prepare('select count(*) from relay_rules where endpoint_id = ? and active = 1').pluck();
  }

  /** Hot path: synchronous, cached. */
  resolve(slug: string): LiveEndpoint | null {
    const now = this.ctx.clock.now();
    const hit = this.cache.get(slug);
    if (hit && now - hit.at < CACHE_MS) return hit.ep;
    const row = this.bySlug.get(slug) as RelayEndpointsTable | undefined;
    const ep = row ? this.live(row) : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(slug, { at: now, ep });
    return ep;
  }

  invalidate(): void {
    this.cache.clear();
  }

  live(row: RelayEndpointsTable): LiveEndpoint {
    const options = parseJson<RelayProviderOptions>(row.options, {});
    return {
      id: row.id,
      slug: row.slug,
      provider: row.provider as RelayProviderId,
      secret: row.secret_sealed ? this.ctx.secrets.decrypt(row.secret_sealed) : null,
      options,
      forwardTo: row.forward_to,
      active: row.active === 1,
      bodyLimit: row.body_limit,
      toleranceSeconds: row.tolerance_s,
      hasRules: Number(this.ruleCount.get(row.id)) > 0,
      signatureHeaders: provider(row.provider).signatureHeaders(options),
      channelId: row.channel_id,
    };
  }

  async row(id: string): Promise<RelayEndpointsTable> {
    const row = await this.ctx.db.selectFrom('relay_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new DossierError('not_found', `relay endpoint ${id} not found`);
    return row;
  }

  async rowBySlug(slug: string): Promise<RelayEndpointsTable> {
    const row = await this.ctx.db.selectFrom('relay_endpoints').selectAll().where('slug', '=', slug).executeTakeFirst();
    if (!row) throw new DossierError('not_found', `relay endpoint "${slug}" not found`);
    return row;
  }

  async list(): Promise<RelayEndpointsTable[]> {
    return this.ctx.db.selectFrom('relay_endpoints').selectAll().orderBy('slug').execute();
  }

  async create(input: z.output<typeof CreateRelayEndpoint>): Promise<{ row: RelayEndpointsTable; secret: string | null }> {
    const p = provider(input.provider);
    const secret = input.provider === 'none' ? null : (input.secret ?? p.generateSecret());
    const now = this.ctx.clock.now();
    const row: RelayEndpointsTable = {
      id: newId('rep'),
      slug: input.slug,
      provider: input.provider,
      secret_sealed: secret ? this.ctx.secrets.encrypt(secret) : null,
      options: JSON.stringify(RelayProviderOptions.parse(input.options)),
      forward_to: input.forwardTo ?? null,
      active: input.active ? 1 : 0,
      body_limit: input.bodyLimit,
      tolerance_s: input.toleranceSeconds,
      created_at: now,
      updated_at: now,
      channel_id: input.channelId ?? null,
    };
    if (row.channel_id) await this.needsLink();
    const taken = await this.ctx.db.selectFrom('relay_endpoints').select('id').where('slug', '=', input.slug).executeTakeFirst();
    if (taken) throw new DossierError('conflict', `relay endpoint slug "${input.slug}" is taken`);
    await this.ctx.db.insertInto('relay_endpoints').values(row).execute();
    this.invalidate();
    this.onChange(row.id, 'created');
    return { row, secret };
  }

  async update(input: z.output<typeof UpdateRelayEndpoint>): Promise<RelayEndpointsTable> {
    const current = await this.row(input.id);
    const changes: Partial<RelayEndpointsTable> = { updated_at: this.ctx.clock.now() };
    if (input.slug !== undefined && input.slug !== current.slug) {
      const taken = await this.ctx.db.selectFrom('relay_endpoints').select('id').where('slug', '=', input.slug).executeTakeFirst();
      if (taken) throw new DossierError('conflict', `relay endpoint slug "${input.slug}" is taken`);
      changes.slug = input.slug;
    }
    if (input.provider !== undefined) changes.provider = input.provider;
    if (input.secret !== undefined) changes.secret_sealed = this.ctx.secrets.encrypt(input.secret);
    if (input.forwardTo !== undefined) changes.forward_to = input.forwardTo;
    if (input.active !== undefined) changes.active = input.active ? 1 : 0;
    if (input.bodyLimit !== undefined) changes.body_limit = input.bodyLimit;
    if (input.toleranceSeconds !== undefined) changes.tolerance_s = input.toleranceSeconds;
    if (input.options !== undefined) changes.options = JSON.stringify(input.options);
    if (input.channelId !== undefined) {
      if (input.channelId) await this.needsLink();
      changes.channel_id = input.channelId;
    }
    const provId = changes.provider ?? current.provider;
    if (provId !== 'none' && !(changes.secret_sealed ?? current.secret_sealed)) {
      changes.secret_sealed = this.ctx.secrets.encrypt(provider(provId).generateSecret()!);
    }
    await this.ctx.db.updateTable('relay_endpoints').set(changes).where('id', '=', input.id).execute();
    this.invalidate();
    this.onChange(input.id, 'updated');
    return this.row(input.id);
  }

  async delete(id: string): Promise<void> {
    await this.row(id);
    await this.ctx.db.deleteFrom('relay_endpoints').where('id', '=', id).execute();
    this.invalidate();
    this.onChange(id, 'deleted');
  }

  /** A channel is streamed through the team server link; without one the endpoint could never receive from it. */
  private async needsLink(): Promise<void> {
    const link = await this.ctx.db.selectFrom('sync_link').select('id').executeTakeFirst();
    if (!link) throw new DossierError('invalid_input', 'a channel is read through the team server: connect first (dossier sync connect --server URL --token-stdin)');
  }

  /** Active endpoints bound to a channel (the channel consumer streams each). */
  async channelBound(): Promise<RelayEndpointsTable[]> {
    return this.ctx.db.selectFrom('relay_endpoints').selectAll().where('channel_id', 'is not', null).where('active', '=', 1).orderBy('slug').execute();
  }

  secret(row: RelayEndpointsTable): string | null {
    return row.secret_sealed ? this.ctx.secrets.decrypt(row.secret_sealed) : null;
  }
}

export function toEndpoint(row: RelayEndpointsTable, baseUrl: string, stats?: { n: number; last: number | null; rules: number }): RelayEndpoint {
  return {
    id: row.id,
    slug: row.slug,
    provider: row.provider as RelayProviderId,
    hasSecret: row.secret_sealed !== null,
    forwardTo: row.forward_to,
    active: row.active === 1,
    bodyLimit: row.body_limit,
    toleranceSeconds: row.tolerance_s,
    options: parseJson<RelayProviderOptions>(row.options, {}),
    channelId: row.channel_id,
    url: `${baseUrl}/hooks/${row.slug}`,
    requestCount: stats?.n ?? 0,
    ruleCount: stats?.rules ?? 0,
    lastRequestAt: stats?.last != null ? iso(stats.last) : null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
