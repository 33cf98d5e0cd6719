import { z } from 'zod';
import { method } from './define.ts';
import { Id, Page, type Paged } from './common.ts';
import { Filter } from './filters.ts';

/**
 * The relay's providers: the one list behind the core's provider registry,
 * the CLI's --provider choices and the UI's provider picker.
 */
export const RELAY_PROVIDERS = [
  { id: 'github', label: 'GitHub', signatureHeader: 'X-Hub-Signature-256', timestampHeader: null, secretHint: 'the secret you type into the GitHub webhook form' },
  { id: 'stripe', label: 'Stripe', signatureHeader: 'Stripe-Signature', timestampHeader: 'Stripe-Signature (t=)', secretHint: 'the endpoint signing secret (whsec_…)' },
  { id: 'slack', label: 'Slack', signatureHeader: 'X-Slack-Signature', timestampHeader: 'X-Slack-Request-Timestamp', secretHint: 'the app signing secret' },
  { id: 'shopify', label: 'Shopify', signatureHeader: 'X-Shopify-Hmac-Sha256', timestampHeader: null, secretHint: 'the app client secret' },
  { id: 'standard', label: 'Standard Webhooks', signatureHeader: 'webhook-signature', timestampHeader: 'webhook-timestamp', secretHint: 'a whsec_ base64 secret' },
  { id: 'hmac', label: 'Generic HMAC', signatureHeader: '(configurable)', timestampHeader: null, secretHint: 'the shared secret' },
  { id: 'none', label: 'No verification', signatureHeader: null, timestampHeader: null, secretHint: 'no secret needed' },
] as const;
export type RelayProviderId = (typeof RELAY_PROVIDERS)[number]['id'];
export const RELAY_PROVIDER_IDS = RELAY_PROVIDERS.map((p) => p.id) as [RelayProviderId, ...RelayProviderId[]];

export const HMAC_ALGORITHMS = ['sha1', 'sha256', 'sha512'] as const;
export const HMAC_ENCODINGS = ['hex', 'base64'] as const;

/** Only the `hmac` provider reads header/algorithm/encoding/prefix; id/event headers work for hmac and none. */
export const RelayProviderOptions = z
  .object({
    header: z.string().trim().toLowerCase().regex(/^[a-z0-9-]+$/, 'header name: letters, digits and dashes').max(100).optional(),
    algorithm: z.enum(HMAC_ALGORITHMS).optional(),
    encoding: z.enum(HMAC_ENCODINGS).optional(),
    prefix: z.string().max(50).optional(),
    idHeader: z.string().trim().toLowerCase().regex(/^[a-z0-9-]+$/).max(100).optional(),
    eventHeader: z.string().trim().toLowerCase().regex(/^[a-z0-9-]+$/).max(100).optional(),
  })
  .strict();
export type RelayProviderOptions = z.infer<typeof RelayProviderOptions>;

export const RELAY_DEFAULT_BODY_LIMIT = 1024 * 1024;
export const RELAY_DEFAULT_TOLERANCE_S = 300;

export const RelaySlug = z
  .string()
  .trim()
  .min(1, 'slug is required')
  .max(64)
  .regex(/^[a-z0-9-]+$/, 'slug: lowercase letters, digits and dashes only');

const ForwardTo = z
  .url({ protocol: /^https?$/, message: 'forward-to must be an http(s) URL' })
  .max(2000)
  .nullable();
const Secret = z.string().min(1).max(500);

/** A team channel's id as the sync server makes them (SPEC §3.9); the sync wire format uses this one rule. */
export const ChannelIdSchema = z.string().regex(/^chn_[A-Za-z0-9_-]{16}$/, 'a channel id looks like chn_ and 16 letters, digits, "_" or "-" (see the team server\'s channel list)');

export const CreateRelayEndpoint = z.object({
  slug: RelaySlug,
  provider: z.enum(RELAY_PROVIDER_IDS),
  /** Omitted: one is generated (none for `none`). */
  secret: Secret.optional(),
  forwardTo: ForwardTo.optional(),
  active: z.boolean().default(true),
  bodyLimit: z.number().int().min(1).max(50 * 1024 * 1024).default(RELAY_DEFAULT_BODY_LIMIT),
  toleranceSeconds: z.number().int().min(1).max(86_400).default(RELAY_DEFAULT_TOLERANCE_S),
  options: RelayProviderOptions.default({}),
  /** Take requests from this team channel too (needs a team server link: `dossier sync connect`). */
  channelId: ChannelIdSchema.nullable().optional(),
});
export const UpdateRelayEndpoint = z
  .object({
    id: Id,
    slug: RelaySlug.optional(),
    provider: z.enum(RELAY_PROVIDER_IDS).optional(),
    secret: Secret.optional(),
    forwardTo: ForwardTo.optional(),
    active: z.boolean().optional(),
    bodyLimit: z.number().int().min(1).max(50 * 1024 * 1024).optional(),
    toleranceSeconds: z.number().int().min(1).max(86_400).optional(),
    options: RelayProviderOptions.optional(),
    channelId: ChannelIdSchema.nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 1, { message: 'nothing to update' });

export interface RelayEndpoint {
  id: string;
  slug: string;
  provider: RelayProviderId;
  hasSecret: boolean;
  forwardTo: string | null;
  active: boolean;
  bodyLimit: number;
  toleranceSeconds: number;
  options: RelayProviderOptions;
  /** The team channel it also takes requests from, or null. */
  channelId: string | null;
  /** Where the provider should send, when the receiver runs in this process (else null). */
  url: string | null;
  /** Requests received in the last 90 days (from the analytics rollups; retention does not lower it). */
  requestCount: number;
  /** Active routing rules; on a `none` endpoint the UI warns that anyone reaching the URL runs them. */
  ruleCount: number;
  lastRequestAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** JSONPath condition and the template action of a routing rule. */
export const CreateRelayRule = z.object({
  endpointId: Id,
  name: z.string().trim().min(1).max(200),
  /** Exact event type, or a prefix ending in `*` (e.g. `customer.*`). */
  eventType: z.string().trim().min(1).max(200).nullable().default(null),
  /** JSONPath that must find something in the JSON body... */
  matchPath: z.string().trim().startsWith('$', 'JSONPath starts with $').max(500).nullable().default(null),
  /** ...and, when given, one of the found values must equal this (compared as strings). */
  matchValue: z.string().max(500).nullable().default(null),
  template: z.string().trim().min(1).max(200),
  investigationId: Id,
  /** Template placeholder -> JSONPath into the body, e.g. { email: '$.data.email' }. */
  inputs: z.record(z.string().trim().min(1).max(100), z.string().trim().startsWith('$').max(500)).default({}),
  active: z.boolean().default(true),
  /**
   * The batches this rule starts run on values the webhook's sender chose, so by default they are untrusted (SPEC §5):
   * no loopback/private/link-local destination, no local file. `true` lifts that for a sender you trust.
   */
  trusted: z.boolean().default(false),
});
export interface RelayRule {
  id: string;
  endpointId: string;
  name: string;
  eventType: string | null;
  matchPath: string | null;
  matchValue: string | null;
  template: string;
  investigationId: string;
  inputs: Record<string, string>;
  active: boolean;
  trusted: boolean;
  createdAt: string;
}

export const RELAY_VERIFICATIONS = ['verified', 'unsigned', 'invalid_signature', 'stale_timestamp', 'skipped'] as const;
export type RelayVerification = (typeof RELAY_VERIFICATIONS)[number];
export const RELAY_FORWARD_STATES = ['pending', 'delivered', 'failed'] as const;
export type RelayForwardState = (typeof RELAY_FORWARD_STATES)[number];

export interface RelayRequestSummary {
  id: number;
  endpointId: string | null;
  slug: string | null;
  method: string;
  path: string;
  receivedAt: string;
  status: number;
  latencyMs: number;
  size: number;
  verification: RelayVerification;
  error: string | null;
  deliveryId: string | null;
  eventType: string | null;
  /** Id of the request this one repeats (same provider delivery id); not processed again. */
  duplicateOf: number | null;
  replayOf: number | null;
  sourceIp: string | null;
  userAgent: string | null;
  contentType: string | null;
  forwardState: RelayForwardState | null;
}

export interface RelayHeader {
  name: string;
  value: string;
  /** `redacted`: value withheld from the log; `signature`: the provider's signature header, kept for re-verification. */
  mark?: 'redacted' | 'signature';
}

export interface RelayForwardAttempt {
  id: string;
  attempt: number;
  url: string;
  status: number | null;
  durationMs: number;
  responseExcerpt: string | null;
  error: string | null;
  at: string;
}

export const RELAY_MATCH_OUTCOMES = ['started', 'executor_unavailable', 'failed'] as const;
export interface RelayRuleMatch {
  id: string;
  ruleId: string;
  ruleName: string;
  outcome: (typeof RELAY_MATCH_OUTCOMES)[number];
  batchId: string | null;
  inputs: Record<string, string>;
  error: string | null;
  at: string;
}

export interface RelayRequestDetail extends RelayRequestSummary {
  query: string;
  headers: RelayHeader[];
  bodyBase64: string;
  /** The body as text when it is valid UTF-8 (first 256 KiB), else null. */
  bodyText: string | null;
  bodyTruncated: boolean;
  isJson: boolean;
  forwards: RelayForwardAttempt[];
  ruleMatches: RelayRuleMatch[];
}

export const ListRelayRequests = Page.extend({
  slug: RelaySlug.optional(),
  endpointId: Id.optional(),
  /** An exact status (404) or a class ('4xx'). */
  status: z.union([z.number().int().min(100).max(599), z.enum(['2xx', '3xx', '4xx', '5xx'])]).optional(),
  verification: z.enum(RELAY_VERIFICATIONS).optional(),
  /** Cursor: only requests older than this id (stable while new ones arrive). */
  beforeId: z.number().int().min(1).optional(),
  /** SPEC §3.6 filter over FILTER_FIELDS.relay_requests. */
  filter: Filter.optional(),
});

export const PlaygroundRequest = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']).default('POST'),
  url: z.url({ protocol: /^https?$/, message: 'URL must be http(s)' }).max(4000),
  headers: z.array(z.object({ name: z.string().trim().min(1).max(200).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'invalid header name'), value: z.string().max(8000) })).max(100).default([]),
  body: z.string().max(10 * 1024 * 1024).default(''),
  sign: z
    .object({
      provider: z.enum(RELAY_PROVIDER_IDS),
      secret: z.string().min(1).max(500),
      options: RelayProviderOptions.default({}),
    })
    .nullable()
    .default(null),
});
export interface PlaygroundResponse {
  status: number;
  durationMs: number;
  headers: RelayHeader[];
  body: string;
  bodyTruncated: boolean;
  /** The headers actually sent, signature headers included. */
  sentHeaders: RelayHeader[];
}

export const RELAY_WINDOWS = ['1h', '24h', '7d', '30d'] as const;
export type RelayWindow = (typeof RELAY_WINDOWS)[number];
export interface RelayAnalytics {
  window: RelayWindow;
  from: string;
  to: string;
  bucketMs: number;
  /** Status codes that appear in the window, ascending. */
  statuses: number[];
  series: {
    at: string;
    total: number;
    byStatus: Record<string, number>;
    successRate: number | null;
    p50Ms: number | null;
    p95Ms: number | null;
  }[];
  totals: {
    total: number;
    success: number;
    errors: number;
    successRate: number | null;
    errorRate: number | null;
    avgLatencyMs: number | null;
    p50LatencyMs: number | null;
    p95LatencyMs: number | null;
  };
  topErrors: { error: string; count: number }[];
}

export const RELAY_CHANNEL_STATES = ['connecting', 'connected', 'retrying', 'not_linked', 'stopped'] as const;
/** One channel-fed endpoint's stream, as this process sees it (another process may be the one streaming). */
export interface RelayChannelState {
  endpointId: string;
  slug: string;
  channelId: string;
  state: (typeof RELAY_CHANNEL_STATES)[number];
  /** Last event id processed (committed with its request). */
  lastEventId: number;
  /** Why the last attempt failed (HTTP status, network error, silence), while retrying. */
  error: string | null;
  /** When the state last changed; for `retrying`, when the next attempt is due. */
  since: string;
  nextAttemptAt: string | null;
}

export interface RelayStatus {
  /** Channel-fed endpoints and their streams (SPEC §3.9). */
  channels: RelayChannelState[];
  running: boolean;
  url: string | null;
  host: string;
  port: number | null;
  error: string | null;
  pendingActions: number;
}

export const relayMethods = {
  'relay.endpoints.create': method(CreateRelayEndpoint).returns<RelayEndpoint & { secret: string | null }>(),
  'relay.endpoints.list': method(z.object({}).default({})).returns<RelayEndpoint[]>(),
  'relay.endpoints.get': method(z.object({ id: Id })).returns<RelayEndpoint>(),
  'relay.endpoints.update': method(UpdateRelayEndpoint).returns<RelayEndpoint>(),
  'relay.endpoints.delete': method(z.object({ id: Id })).returns<{ id: string; deleted: true }>(),
  /** Reveal the secret (for the copy button); never included in lists. */
  'relay.endpoints.secret': method(z.object({ id: Id })).returns<{ secret: string | null }>(),
  'relay.rules.list': method(z.object({ endpointId: Id })).returns<RelayRule[]>(),
  'relay.rules.create': method(CreateRelayRule).returns<RelayRule>(),
  'relay.rules.delete': method(z.object({ id: Id })).returns<{ id: string; deleted: true }>(),
  'relay.requests.list': method(ListRelayRequests).returns<Paged<RelayRequestSummary>>(),
  'relay.requests.get': method(z.object({ id: z.number().int().min(1) })).returns<RelayRequestDetail>(),
  'relay.replay': method(
    z.object({
      id: z.number().int().min(1),
      /** Default: forward when the request's endpoint forwards, else pipeline. */
      target: z.enum(['forward', 'pipeline']).optional(),
      /** Pipeline: run the request's actions (rules, forwarding) before answering, so the caller sees their outcome (the CLI). */
      foreground: z.boolean().default(false),
    }),
    { slow: true },
  ).returns<{ target: 'forward'; attempt: RelayForwardAttempt } | { target: 'pipeline'; request: RelayRequestSummary }>(),
  'relay.playground.send': method(PlaygroundRequest, { slow: true }).returns<PlaygroundResponse>(),
  'relay.playground.curl': method(PlaygroundRequest).returns<{ command: string }>(),
  'relay.analytics': method(z.object({ window: z.enum(RELAY_WINDOWS).default('24h'), endpointId: Id.optional() })).returns<RelayAnalytics>(),
  'relay.status': method(z.object({}).default({})).returns<RelayStatus>(),
};
