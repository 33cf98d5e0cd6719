import { z } from 'zod';
import { method } from './define.ts';
import { Id, Page, type Paged } from './common.ts';
import { Filter } from './filters.ts';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './event-types.ts';

/**
 * Outbound webhooks (SPEC §3.3): subscriptions, deliveries and their attempts.
 * The delivery rules that the UI and the settings also show live here, so the
 * core, the settings defaults and the screens read one definition.
 */

/** Attempt now, then retry after these delays (ms); ±jitter each. */
export const WEBHOOK_RETRY_SCHEDULE_MS = [5_000, 30_000, 60_000, 300_000, 900_000] as const;
export const WEBHOOK_RETRY_JITTER = 0.2;
export const WEBHOOK_TIMEOUT_MS = { default: 10_000, min: 1_000, max: 30_000 } as const;
export const WEBHOOK_ROTATION_GRACE_HOURS = 24;
/** Requests in flight to one webhook: enough to keep a fast receiver busy, few enough to be polite. */
export const WEBHOOK_CONCURRENCY_PER_WEBHOOK = 16;
/** Response bodies are kept up to this many characters. */
export const WEBHOOK_RESPONSE_BODY_LIMIT = 1_000;

/**
 * Headers Dossier sets itself (signatures, framing, hop-by-hop): a custom
 * header may never replace them, so a receiver can trust what it verifies.
 */
export const WEBHOOK_RESERVED_HEADERS = [
  'content-type',
  'content-length',
  'user-agent',
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'proxy-authorization',
  'proxy-connection',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'x-webhook-event',
  'x-webhook-timestamp',
  'x-webhook-signature',
  'x-webhook-signature-previous',
] as const;

export const DELIVERY_STATUSES = ['pending', 'delivering', 'succeeded', 'failed', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Any control character other than horizontal tab (which HTTP allows in values). */
function hasControlChar(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

/** RFC 9110 token: what a header name may contain. */
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export const WebhookUrl = z
  .string()
  .trim()
  .min(1, 'url is required')
  .max(2048, 'url is longer than 2048 characters')
  .superRefine((raw, ctx) => {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${raw}" is not a valid URL` });
      return;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `url must use http or https, not ${u.protocol.replace(':', '')}` });
    }
    if (u.username || u.password) {
      ctx.addIssue({ code: 'custom', message: 'url must not contain credentials; put them in a custom header' });
    }
  });

export const WebhookEvents = z
  .array(z.string())
  .min(1, 'choose at least one event')
  .max(WEBHOOK_EVENT_TYPES.length)
  .superRefine((list, ctx) => {
    const unknown = list.filter((e) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e));
    if (unknown.length) {
      ctx.addIssue({ code: 'custom', message: `unknown event${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (known: ${WEBHOOK_EVENT_TYPES.join(', ')})` });
    }
  })
  .transform((list) => [...new Set(list)] as WebhookEventType[]);

export const WebhookHeaders = z
  .record(z.string(), z.string().max(4096))
  .superRefine((h, ctx) => {
    const names = Object.keys(h);
    if (names.length > 50) ctx.addIssue({ code: 'custom', message: 'at most 50 custom headers' });
    const seen = new Set<string>();
    for (const name of names) {
      const lower = name.toLowerCase();
      if (!HTTP_TOKEN.test(name)) ctx.addIssue({ code: 'custom', message: `header name "${name}" is not a valid HTTP token`, path: [name] });
      else if ((WEBHOOK_RESERVED_HEADERS as readonly string[]).includes(lower) || lower.startsWith('proxy-')) {
        ctx.addIssue({ code: 'custom', message: `header "${name}" is set by Dossier and cannot be overridden`, path: [name] });
      } else if (seen.has(lower)) ctx.addIssue({ code: 'custom', message: `header "${name}" is given twice`, path: [name] });
      seen.add(lower);
      // CR/LF would split the request; other control characters are refused by HTTP clients anyway.
      if (hasControlChar(h[name]!)) {
        ctx.addIssue({ code: 'custom', message: `header "${name}" has a control character in its value`, path: [name] });
      }
    }
  });

/** A secret Dossier can sign with: `whsec_` + base64 of at least 24 bytes, or any other string of 16+ chars. */
export const WebhookSecret = z
  .string()
  .min(16, 'secret must be at least 16 characters')
  .max(256)
  .superRefine((s, ctx) => {
    if (s.startsWith('whsec_')) {
      const b64 = s.slice(6);
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0 || atob(b64).length < 24) {
        ctx.addIssue({ code: 'custom', message: 'a whsec_ secret must be base64 of at least 24 bytes after the prefix' });
      }
    } else if (/\s/.test(s)) ctx.addIssue({ code: 'custom', message: 'secret must not contain whitespace' });
  });

const Description = z.string().max(1000);
const TimeoutMs = z.number().int().min(WEBHOOK_TIMEOUT_MS.min).max(WEBHOOK_TIMEOUT_MS.max);

export const CreateWebhook = z.object({
  url: WebhookUrl,
  description: Description.optional(),
  events: WebhookEvents,
  secret: WebhookSecret.optional(),
  headers: WebhookHeaders.optional(),
  active: z.boolean().optional(),
  allowPrivateNetwork: z.boolean().optional(),
  timeoutMs: TimeoutMs.optional(),
});

export const UpdateWebhook = z
  .object({
    id: Id,
    url: WebhookUrl.optional(),
    description: Description.optional(),
    events: WebhookEvents.optional(),
    headers: WebhookHeaders.optional(),
    active: z.boolean().optional(),
    allowPrivateNetwork: z.boolean().optional(),
    timeoutMs: TimeoutMs.optional(),
  })
  .refine((v) => Object.keys(v).length > 1, { message: 'nothing to update' });

export const RotateSecret = z.object({
  id: Id,
  secret: WebhookSecret.optional(),
  /** How long the old secret keeps signing beside the new one (default: setting webhooks.rotationGraceHours). */
  graceHours: z.number().min(0).max(24 * 30).optional(),
});

export const ListDeliveries = Page.extend({
  webhookId: Id.optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  event: z.enum(WEBHOOK_EVENT_TYPES).optional(),
  /** SPEC §3.6 filter over FILTER_FIELDS.deliveries. */
  filter: Filter.optional(),
});

export interface WebhookStats {
  total: number;
  succeeded: number;
  failed: number;
  pending: number;
  /** succeeded / (succeeded + failed), null before anything finished. */
  successRate: number | null;
  lastDeliveryAt: string | null;
  lastStatus: DeliveryStatus | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

export interface Webhook {
  id: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  headers: Record<string, string>;
  active: boolean;
  allowPrivateNetwork: boolean;
  timeoutMs: number;
  /** Why Dossier turned it off (e.g. the receiver answered 410), null otherwise. */
  disabledReason: string | null;
  /** The previous secret still signs beside the current one until then. */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  stats: WebhookStats;
}

/** Returned only by create and rotateSecret: the one time the secret is shown. */
export interface WebhookWithSecret extends Webhook {
  secret: string;
}

export interface Delivery {
  id: string;
  webhookId: string;
  /** The outbox event id; also the stable `webhook-id` header. */
  eventId: string;
  event: WebhookEventType;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryAttempt {
  id: string;
  /** 0 for the first chain, +1 for each replay. */
  chain: number;
  number: number;
  startedAt: string;
  durationMs: number;
  requestHeaders: Record<string, string>;
  statusCode: number | null;
  responseHeaders: Record<string, string>;
  responseBody: string | null;
  /** Machine-readable failure: timeout, network, ssrf_blocked, http_3xx, http_4xx, http_5xx, gone. */
  errorCode: string | null;
  error: string | null;
}

export interface DeliveryDetail extends Delivery {
  payload: string;
  attemptsLog: DeliveryAttempt[];
}

export interface TestResult {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  body: string | null;
  error: string | null;
  delivery: Delivery;
}

export const webhookMethods = {
  'webhooks.create': method(CreateWebhook).returns<WebhookWithSecret>(),
  'webhooks.list': method(z.object({}).default({})).returns<Webhook[]>(),
  'webhooks.get': method(z.object({ id: Id, recent: z.number().int().min(0).max(200).default(20) })).returns<Webhook & { recentDeliveries: Delivery[] }>(),
  'webhooks.update': method(UpdateWebhook).returns<Webhook>(),
  'webhooks.delete': method(z.object({ id: Id })).returns<{ id: string; deleted: true }>(),
  'webhooks.enable': method(z.object({ id: Id })).returns<Webhook>(),
  'webhooks.disable': method(z.object({ id: Id })).returns<Webhook>(),
  'webhooks.rotateSecret': method(RotateSecret).returns<WebhookWithSecret>(),
  'webhooks.test': method(z.object({ id: Id }), { slow: true }).returns<TestResult>(),
  'webhooks.deliveries.list': method(ListDeliveries).returns<Paged<Delivery>>(),
  'webhooks.deliveries.get': method(z.object({ id: Id })).returns<DeliveryDetail>(),
  'webhooks.deliveries.replay': method(z.object({ id: Id }), { slow: true }).returns<DeliveryDetail>(),
};
