import { z } from 'zod';
import { method } from './define.ts';
import { Id, Page, type Paged } from './common.ts';
import { ENTITY_TYPES, type Entity, type EntityType } from './entities.ts';

/** A tool as the UI and the CLI see it: params as JSON Schema so forms can be generated. */
export interface ToolInfo {
  name: string;
  title: string;
  description: string;
  accepts: EntityType[];
  /** JSON Schema (draft 2020-12) of the params object. */
  paramsSchema: ToolParamsSchema;
  /** Hosts contacted with default params; "(from the input)" when they depend on it; empty for offline tools. */
  hosts: string[];
  rateLimit: { perSecond: number; burst: number };
}

export interface ToolParamsSchema {
  type?: string;
  properties?: Record<string, ToolParamSchema>;
  required?: string[];
  [k: string]: unknown;
}
export interface ToolParamSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  items?: ToolParamSchema;
  anyOf?: ToolParamSchema[];
  [k: string]: unknown;
}

export const TOOL_RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled'] as const;
export type ToolRunStatus = (typeof TOOL_RUN_STATUSES)[number];

export interface ToolRun {
  id: string;
  investigationId: string;
  tool: string;
  input: { type: EntityType; value: string; entityId: string | null };
  params: Record<string, unknown>;
  status: ToolRunStatus;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  errorKind: 'transient' | 'permanent' | 'aborted' | null;
  summary: string | null;
  entityCount: number;
  createdCount: number;
  /** How the run reached the network: "direct" or the proxy (SPEC §3.11). */
  egress: string;
}

export interface ToolRunDetail extends ToolRun {
  output: unknown;
  entities: Entity[];
}

export const ToolRunInput = z.object({
  /** Optional for `tools.run`: the core takes the tool's only type, or the one the value looks like. */
  type: z.enum(ENTITY_TYPES).optional(),
  value: z.string().trim().min(1, 'input value is required').max(4096),
  entityId: Id.optional(),
});

export type RunProvenance =
  | { kind: 'run'; run: ToolRunDetail }
  | { kind: 'operation'; batchId: string; seq: number; batch: { name: string; tool: string | null } | null };

export const RunTool = z.object({
  investigationId: Id,
  tool: z.string().min(1).max(100),
  input: ToolRunInput,
  params: z.record(z.string(), z.unknown()).default({}),
});

export interface SiteInfo {
  name: string;
  url: string;
  urlMain: string | null;
  kinds: string[];
  tags: string[];
  claimed: string;
  unclaimed: string;
  disabled: boolean;
}

export interface SiteList extends Paged<SiteInfo> {
  source: 'data' | 'bundled';
  written: string;
  enabled: number;
}

export const SITE_FORMATS = ['sherlock', 'maigret', 'dossier', 'whatsmyname'] as const;
export type SiteFormat = (typeof SITE_FORMATS)[number];

export interface SiteImportReport {
  format: SiteFormat;
  /** Entries in the file. */
  total: number;
  imported: number;
  /** Entries that could not be converted, each with why. */
  unsupported: { name: string; reason: string }[];
  mode: 'replace' | 'merge';
  /** Sites in the active manifest after the import. */
  sites: number;
}

export interface CredentialInfo {
  name: string;
  description: string;
  boxKind: string;
  createdAt: string;
  updatedAt: string;
}

/** Largest secret the vault stores. */
export const MAX_SECRET_BYTES = 16 * 1024;

/** Credential names are identifiers (they appear in tool params and the CLI), never secrets themselves. */
export const CredentialNameInput = z
  .string()
  .trim()
  .min(1, 'name is required')
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'name may contain letters, digits, ".", "_" and "-"');

export const toolMethods = {
  'tools.list': method(z.object({}).default({})).returns<ToolInfo[]>(),
  'tools.run': method(RunTool, { slow: true }).returns<ToolRunDetail>(),
  'toolRuns.list': method(Page.extend({ investigationId: Id, tool: z.string().max(100).optional() })).returns<Paged<ToolRun>>(),
  'toolRuns.get': method(z.object({ id: Id })).returns<ToolRunDetail>(),
  /** Where an entity's run id comes from: a single tool run, or an operation of a batch (`batch` null once deleted). */
  'toolRuns.provenance': method(z.object({ runId: Id })).returns<RunProvenance>(),
  'sites.list': method(
    Page.extend({ search: z.string().max(200).optional(), limit: z.number().int().min(1).max(5000).default(100) }),
  ).returns<SiteList>(),
  'sites.import': method(
    z.object({
      content: z.string().min(2).max(30 * 1024 * 1024),
      format: z.enum(SITE_FORMATS).optional(),
      mode: z.enum(['replace', 'merge']).default('replace'),
    }),
  ).returns<SiteImportReport>(),
  'sites.reset': method(z.object({}).default({})).returns<{ source: 'bundled'; sites: number }>(),
  /**
   * Turn sites on or off for username.sites (the manifest's `disabled` flag), by name, case-insensitive; an unknown
   * name refuses the whole change. A bundled manifest is copied into the data directory first (the copy is edited).
   */
  'sites.setEnabled': method(z.object({ names: z.array(z.string().min(1).max(200)).min(1).max(5000), enabled: z.boolean() })).returns<{ changed: number; enabled: number }>(),
  'credentials.list': method(z.object({}).default({})).returns<CredentialInfo[]>(),
  'credentials.set': method(
    z.object({ name: CredentialNameInput, secret: z.string().min(1, 'the secret is empty').max(MAX_SECRET_BYTES), description: z.string().max(500).optional() }),
  ).returns<CredentialInfo>(),
  'credentials.delete': method(z.object({ name: CredentialNameInput })).returns<{ name: string; deleted: true }>(),
};
