import { z } from 'zod';
import { method } from './define.ts';
import { Id, Page, type Paged } from './common.ts';
import { Filter } from './filters.ts';
import { entityValueProblem } from './entity-values.ts';

export const ENTITY_TYPES = ['username', 'email', 'domain', 'phone', 'image', 'url', 'ip', 'account', 'person', 'organization', 'location', 'other'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const LINK_TYPES = [
  'has_account',
  'resolves_to',
  'mx_for',
  'ns_for',
  'cname_for',
  'registered_by',
  'mentions',
  'located_at',
  'has_email',
  'has_username',
  'has_domain',
  'redirects_to',
  'certificate_for',
  'related',
] as const;
export type LinkType = (typeof LINK_TYPES)[number];

/** What a tool observed when it found an entity; stored with the entity. */
export interface Evidence {
  httpStatus?: number;
  finalUrl?: string;
  excerpt?: string;
  sha256?: string;
  observedAt: string;
  /** How the tool reached the network: "direct", "socks5h://127.0.0.1:9050", ... (SPEC §3.11). */
  egress?: string;
  [k: string]: unknown;
}

export interface Entity {
  id: string;
  investigationId: string;
  type: EntityType;
  value: string;
  /** Normalized value; (type, normalized) is unique per investigation. */
  normalized: string;
  label: string | null;
  /** The investigator's own notes; tools never write them. */
  notes: string;
  properties: Record<string, unknown>;
  sourceRunId: string | null;
  evidence: Evidence | null;
  firstSeen: string;
  lastSeen: string;
}

export interface Link {
  id: string;
  investigationId: string;
  sourceId: string;
  targetId: string;
  type: LinkType;
  properties: Record<string, unknown>;
  sourceRunId: string | null;
  createdAt: string;
}

export const Properties = z.record(z.string(), z.unknown());

export const AddEntity = z
  .object({
    investigationId: Id,
    type: z.enum(ENTITY_TYPES),
    value: z.string().trim().min(1, 'value is required').max(4096),
    label: z.string().max(500).optional(),
    properties: Properties.optional(),
  })
  .superRefine((e, ctx) => {
    // Type checks live at the boundary so the UI, the CLI and the HTTP API refuse the same values
    // with the same reason on the `value` field (issue #18 item 5).
    const problem = entityValueProblem(e.type, e.value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
  });
export const NOTES_MAX = 10_000;

/**
 * Properties as a person types them in the edit form: names trimmed, not empty and short enough to be a column
 * (zod's own record-key error says only "Invalid key in record"; these say what is wrong, on the key's path).
 */
const EditedProperties = z
  .record(z.string(), z.unknown())
  .superRefine((p, ctx) => {
    const keys = Object.keys(p);
    if (keys.length > 200) ctx.addIssue({ code: 'custom', message: 'at most 200 properties' });
    for (const k of keys) {
      if (!k.trim()) ctx.addIssue({ code: 'custom', path: [k], message: 'a property needs a name' });
      else if (k.trim().length > 100) ctx.addIssue({ code: 'custom', path: [k], message: 'a property name is at most 100 characters' });
    }
    if (JSON.stringify(p).length > 64_000) ctx.addIssue({ code: 'custom', message: 'properties are at most 64,000 characters of JSON' });
  })
  .transform((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k.trim(), v])));

/**
 * A hand edit of an entity (issue #18 item 4): what is given replaces what is stored; `properties` replaces the
 * whole object (the form shows every property, so a removed row is a removed key). The value and type are the
 * entity's identity and are not edited (delete and add instead).
 */
export const UpdateEntity = z
  .object({
    id: Id,
    label: z.string().trim().max(500, 'a label is at most 500 characters').nullable().optional(),
    notes: z.string().max(NOTES_MAX, `notes are at most ${NOTES_MAX.toLocaleString('en')} characters`).optional(),
    properties: EditedProperties.optional(),
  })
  .refine((u) => u.label !== undefined || u.notes !== undefined || u.properties !== undefined, {
    message: 'nothing to change: give a label, notes or properties',
    path: ['id'],
  });

export const ListEntities = Page.extend({
  investigationId: Id,
  type: z.enum(ENTITY_TYPES).optional(),
  search: z.string().max(200).optional(),
  /** SPEC §3.6 filter over FILTER_FIELDS.entities; ANDed with type and search. */
  filter: Filter.optional(),
});
export const AddLink = z.object({
  investigationId: Id,
  sourceId: Id,
  targetId: Id,
  type: z.enum(LINK_TYPES),
  properties: Properties.optional(),
});
export const ListLinks = Page.extend({
  investigationId: Id,
  limit: z.number().int().min(1).max(50_000).default(1000),
});

/**
 * A page of entities. `counts` are the whole investigation's entities per type (the type chips),
 * whatever the filter. `total` is exact without filter or search (from the per-type rollup);
 * with one, matches are counted at most 10 pages past `offset` (P10: counting every match of a
 * LIKE filter over 1,000,000 entities costs seconds) and `totalCapped` says "`total` or more".
 */
export interface EntityPage extends Paged<Entity> {
  counts: Partial<Record<EntityType, number>>;
  totalCapped: boolean;
}

export const entityMethods = {
  'entities.add': method(AddEntity).returns<{ entity: Entity; created: boolean }>(),
  'entities.get': method(z.object({ id: Id })).returns<Entity>(),
  'entities.list': method(ListEntities).returns<EntityPage>(),
  'entities.update': method(UpdateEntity).returns<Entity>(),
  'entities.delete': method(z.object({ id: Id })).returns<{ id: string; deleted: true }>(),
  /** The entity table's bulk delete: every id, with the links touching them, in one transaction; unknown ids refuse all. */
  'entities.deleteMany': method(z.object({ ids: z.array(Id).min(1, 'select at least one entity').max(10_000, 'at most 10,000 entities at once') })).returns<{
    deleted: number;
  }>(),
  'links.add': method(AddLink).returns<{ link: Link; created: boolean }>(),
  'links.list': method(ListLinks).returns<Paged<Link>>(),
  'links.delete': method(z.object({ id: Id })).returns<{ id: string; deleted: true }>(),
};
