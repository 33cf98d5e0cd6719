import { DossierError } from '../../../preload/contract/errors.ts';
import { z } from 'zod';
import type { CoreContext } from '../context.ts';
import type { HandlersOf } from '../../../preload/contract/define.ts';
import { toolMethods, type SiteInfo, type ToolInfo, type ToolParamsSchema } from '../../../preload/contract/tools.ts';
import { dataFiles } from '../paths.ts';
import type { ToolDefinition } from './types.ts';
import { SiteCatalog } from './sites/catalog.ts';
import { buildManifest, convertManifest } from './sites/import.ts';
import { resourceFile } from './resources.ts';
import { getToolRun, runTool, toToolRun } from './run.ts';
import { Vault } from '../vault/vault.ts';
import { registerBuiltinTools, type BuiltinDeps } from './builtin/index.ts';
import { cachedSettings } from './builtin/deps.ts';
import { existsSync, rmSync } from 'node:fs';
import { SiteHealthReader } from '../site-health/reader.ts';
import { parseOperationId } from '../batch/rows.ts';

/** The site manifest and bundled lists the built-in tools read, for this core's data directory. */
export function builtinToolDeps(ctx: Pick<CoreContext, 'dataDir' | 'settings'>): BuiltinDeps {
  return {
    sites: new SiteCatalog(dataFiles(ctx.dataDir).sites, resourceFile('sites.json')),
    settings: cachedSettings(ctx.settings),
    disposableDomainsFile: resourceFile('disposable-domains.txt'),
  };
}

/** Register the built-ins on ctx.tools and return the deps they share with the handlers. */
export function setupTools(ctx: CoreContext): BuiltinDeps {
  const deps: BuiltinDeps = { ...builtinToolDeps(ctx), siteHealth: new SiteHealthReader(ctx.sqlite) };
  registerBuiltinTools(ctx.tools, deps);
  return deps;
}

/** Shown for tools whose hosts depend on the input or on params without defaults. */
export const INPUT_HOST = '(from the input)';
export const PARAMS_HOST = '(from the params)';

const schemaCache = new WeakMap<ToolDefinition, ToolParamsSchema>();
export function paramsJsonSchema(def: ToolDefinition): ToolParamsSchema {
  let s = schemaCache.get(def);
  if (!s) {
    s = z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }) as ToolParamsSchema;
    schemaCache.set(def, s);
  }
  return s;
}

export function toolInfo(def: ToolDefinition): ToolInfo {
  // Hosts that change with the input (a probe's target) are shown as such; an offline tool lists none.
  let hosts: string[] = [];
  try {
    const defaults = def.params.safeParse({});
    if (defaults.success) {
      const at = (value: string) => JSON.stringify(def.hosts(defaults.data, { type: def.accepts[0]!, value }));
      const varies = at('a.example') !== at('b.example') || at('https://a.example/') !== at('https://b.example/');
      hosts = varies ? [INPUT_HOST] : def.hosts(defaults.data, { type: def.accepts[0]!, value: 'a.example' });
    } else {
      // Required params (a URL template, a command) decide; tools that ignore them still answer.
      hosts = def.hosts({} as never, { type: def.accepts[0]!, value: 'a.example' });
    }
  } catch {
    hosts = [PARAMS_HOST];
  }
  return {
    name: def.name,
    title: def.title,
    description: def.description,
    accepts: [...def.accepts],
    paramsSchema: paramsJsonSchema(def),
    hosts,
    rateLimit: { ...def.rateLimit },
  };
}

export function createToolHandlers(ctx: CoreContext, deps: BuiltinDeps): HandlersOf<typeof toolMethods> {
  const vault = new Vault(ctx.db, ctx.secrets, () => ctx.clock.now());
  const catalog = deps.sites;

  return {
    async 'tools.list'() {
      return ctx.tools.list().map(toolInfo);
    },

    async 'tools.run'({ investigationId, tool, input, params }, { signal }) {
      return runTool(ctx, { investigationId, tool, input, params, signal });
    },

    async 'toolRuns.list'({ investigationId, tool, limit, offset }) {
      let q = ctx.db.selectFrom('tool_runs').where('investigation_id', '=', investigationId);
      if (tool) q = q.where('tool', '=', tool);
      const [rows, total] = await Promise.all([
        q.selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toToolRun), total: Number(total.n), limit, offset };
    },

    async 'toolRuns.provenance'({ runId }) {
      // Batch operations carry their id as the run id of what they found; it names the batch and the sequence number.
      const op = parseOperationId(runId);
      if (!op) return { kind: 'run' as const, run: await getToolRun(ctx, runId) };
      const b = await ctx.db.selectFrom('batches').select(['name', 'tool']).where('id', '=', op.batchId).executeTakeFirst();
      return { kind: 'operation' as const, ...op, batch: b ? { name: b.name, tool: b.tool } : null };
    },

    async 'toolRuns.get'({ id }) {
      return getToolRun(ctx, id);
    },

    async 'sites.list'({ search, limit, offset }) {
      const { manifest, source } = catalog.active();
      const needle = search?.toLowerCase();
      const all = manifest.sites.filter((s) => !needle || s.name.toLowerCase().includes(needle) || s.tags.some((t) => t.toLowerCase().includes(needle)));
      const items: SiteInfo[] = all.slice(offset, offset + limit).map((s) => ({
        name: s.name,
        url: s.url,
        urlMain: s.urlMain ?? null,
        kinds: s.detect.kinds,
        tags: s.tags,
        claimed: s.claimed,
        unclaimed: s.unclaimed,
        disabled: s.disabled,
      }));
      return { items, total: all.length, limit, offset, source, written: manifest.written, enabled: manifest.sites.filter((s) => !s.disabled).length };
    },

    async 'sites.import'({ content, format, mode }) {
      const res = convertManifest(content, format);
      let current = null;
      if (mode === 'merge') {
        try {
          current = catalog.active().manifest;
        } catch {
          current = null;
        }
      }
      const manifest = buildManifest(res, mode, current, new Date(ctx.clock.now()).toISOString().slice(0, 10));
      catalog.write(manifest);
      ctx.log.info({ format: res.format, imported: res.sites.length, unsupported: res.unsupported.length }, 'site manifest imported');
      ctx.bus.emit('tools.config.changed', { what: 'sites' });
      return { format: res.format, total: res.total, imported: res.sites.length, unsupported: res.unsupported, mode, sites: manifest.sites.length };
    },

    async 'sites.setEnabled'({ names, enabled }) {
      const { manifest } = catalog.active();
      const wanted = new Set(names.map((n) => n.toLowerCase()));
      const known = new Set(manifest.sites.map((x) => x.name.toLowerCase()));
      const missing = names.filter((n) => !known.has(n.toLowerCase()));
      if (missing.length) throw new DossierError('invalid_input', `unknown site${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
      let changed = 0;
      const sites = manifest.sites.map((x) => {
        if (!wanted.has(x.name.toLowerCase()) || x.disabled === !enabled) return x;
        changed++;
        return { ...x, disabled: !enabled };
      });
      if (changed) {
        catalog.write({ ...manifest, sites });
        ctx.bus.emit('tools.config.changed', { what: 'sites' });
      }
      return { changed, enabled: sites.filter((x) => !x.disabled).length };
    },

    async 'sites.reset'() {
      if (existsSync(catalog.dataFile)) rmSync(catalog.dataFile);
      ctx.bus.emit('tools.config.changed', { what: 'sites' });
      const { manifest } = catalog.active();
      return { source: 'bundled' as const, sites: manifest.sites.length };
    },

    async 'credentials.list'() {
      return vault.list();
    },

    async 'credentials.set'({ name, secret, description }) {
      const info = await vault.set(name, secret, description ?? '');
      ctx.bus.emit('tools.config.changed', { what: 'credentials' });
      return info;
    },

    async 'credentials.delete'({ name }) {
      const res = await vault.delete(name);
      ctx.bus.emit('tools.config.changed', { what: 'credentials' });
      return res;
    },
  };
}

