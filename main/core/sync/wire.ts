import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../../../preload/contract/event-types.ts';
import { ChannelIdSchema } from '../../../preload/contract/relay.ts';

/**
 * The sync server's HTTP wire format (SPEC §3.9), shared by the server and the
 * desktop client so both sides parse the same shapes. Pure zod: no storage code.
 */

export const SYNC_ERROR_CODES = [
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'precondition_required',
  'invalid_input',
  'payload_too_large',
  'rate_limited',
  'unavailable',
  'internal',
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

export const SYNC_STATUS_FOR_ERROR: Record<SyncErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_required: 428,
  invalid_input: 400,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).passthrough();

export const ROLES = ['admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

export interface WireTeam {
  id: string;
  name: string;
}
export interface WireMember {
  id: string;
  name: string;
  role: Role;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** A shared template's definition: whatever the desktop's template document holds, as one JSON object. */
export const TemplateDefinition = z.record(z.string(), z.unknown());

/** Client-chosen ids: safe characters only, so they can sit in a URL path. */
export const ClientId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'ids are 1-64 letters, digits, "_" or "-"');

export const CreateTemplateBody = z.object({
  id: ClientId.optional(),
  name: z.string().trim().min(1).max(200),
  definition: TemplateDefinition,
});
export const UpdateTemplateBody = z.object({
  name: z.string().trim().min(1).max(200),
  definition: TemplateDefinition,
});

export const WireTemplate = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number().int(),
  deleted: z.boolean(),
  definition: TemplateDefinition.nullable(),
  updated_at: z.string(),
  updated_by: z.string().nullable(),
});
export type WireTemplate = z.output<typeof WireTemplate>;

export const TemplateFeed = z.object({ items: z.array(WireTemplate), cursor: z.string(), more: z.boolean() });
export type TemplateFeed = z.output<typeof TemplateFeed>;

export const MeBody = z.object({
  team: z.object({ id: z.string(), name: z.string() }),
  member: z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES) }).passthrough(),
});

export const ConflictBody = z.object({ error: z.object({ code: z.literal('conflict'), message: z.string() }), current: WireTemplate });

/** Cursors are decimal sequence numbers; "0" or absent means from the start. */
export const Cursor = z.string().regex(/^\d{1,15}$/, 'the cursor is a number the server gave');

export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 500;

/** A team channel (SPEC §3.9): `url` only in the create answer, since only the token's hash is kept. */
export interface WireChannel {
  id: string;
  name: string;
  created_at: string;
  created_by: string | null;
  requests: number;
  url?: string;
}
export const CreateChannelBody = z.object({ name: z.string().trim().min(1).max(200) });

/** Channel ids are server-made (`chn_` + base64url), safe in a URL path; the one rule lives in the contract. */
export const ChannelId = ChannelIdSchema;

/** One `event: request` of a channel stream; its SSE `id:` is the team sequence number `seq`. */
export const ChannelRequestEvent = z.object({
  id: z.string(),
  method: z.string(),
  path: z.string(),
  query: z.string(),
  /** [[name, value], ...] in arrival order, names as sent. */
  headers: z.array(z.tuple([z.string(), z.string()])),
  body_base64: z.string(),
  received_at: z.string(),
});
export type ChannelRequestEvent = z.output<typeof ChannelRequestEvent>;

/** The SSE `retry:` the server sends, and how often it sends a `:` heartbeat (SPEC: 20 s). */
export const STREAM_RETRY_MS = 3000;
export const STREAM_HEARTBEAT_MS = 20_000;

/** `POST /api/v1/events`: an event a desktop publishes so team webhooks receive it (SPEC §3.9). */
export const PublishEventBody = z.object({
  id: ClientId,
  event: z.enum(WEBHOOK_EVENT_TYPES),
  timestamp: z.iso.datetime({ offset: true }),
  data: z.unknown().refine((v) => v !== undefined, 'data is required'),
});
export type PublishEventBody = z.output<typeof PublishEventBody>;

/** 202 `{id, deliveries}` for a new event; 200 `{duplicate: true}` for an id seen before. */
export const PublishEventAnswer = z.union([z.object({ duplicate: z.literal(true) }), z.object({ id: z.string(), deliveries: z.number().int() })]);
