import { z } from 'zod';
import { method } from './define.ts';
import { WEBHOOK_EVENT_TYPES } from './event-types.ts';
import { Egress } from './egress.ts';
import { WEBHOOK_CONCURRENCY_PER_WEBHOOK, WEBHOOK_RETRY_JITTER, WEBHOOK_RETRY_SCHEDULE_MS, WEBHOOK_ROTATION_GRACE_HOURS } from './webhooks.ts';

/**
 * Every user setting, with its schema and default: the one source of truth
 * for `dossier config`, the settings UI and the core. Keys are dotted.
 */
export const SETTINGS = {
  'ui.theme': { schema: z.enum(['light', 'dark', 'auto']), default: 'auto', description: 'Colour scheme of the UI' },
  'serve.port': { schema: z.coerce.number().int().min(0).max(65535), default: 0, description: 'Browser-mode port (0 = any free port)' },
  'relay.host': { schema: z.string().min(1), default: '127.0.0.1', description: 'Address the local webhook relay binds to' },
  'relay.port': { schema: z.coerce.number().int().min(0).max(65535), default: 8787, description: 'Port of the local webhook relay' },
  'relay.retention.count': {
    schema: z.coerce.number().int().min(100).max(10_000_000),
    default: 100_000,
    description: 'Relay requests kept in the log (oldest removed first)',
  },
  'relay.retention.days': { schema: z.coerce.number().int().min(1).max(3650), default: 30, description: 'Days a relay request is kept in the log' },
  'relay.retention.bytes': {
    schema: z.coerce.number().int().min(1_048_576).max(1_099_511_627_776),
    default: 1_073_741_824,
    description: 'Bytes of request headers, queries and bodies kept in the relay log (oldest removed first)',
  },
  'relay.rateLimit.perSource': {
    schema: z.coerce.number().int().min(0).max(1_000_000),
    default: 100_000,
    description: 'Requests per 10 s the relay takes from one source address (0 = no limit); more are answered 429',
  },
  'analytics.retention.days': {
    schema: z.coerce.number().int().min(2).max(3650),
    default: 35,
    description: 'Days the analytics keep each operation run, queue sample and breaker trip (rollups: hourly 90 days, daily 400)',
  },
  'executor.concurrency': { schema: z.coerce.number().int().min(1).max(500), default: 64, description: 'Operations running at once across all batches' },
  'executor.hostRates': {
    schema: z.preprocess(
      jsonText,
      z.record(z.string().min(1), z.object({ perSecond: z.number().positive().max(100_000), burst: z.number().int().min(1).max(100_000) })),
    ),
    default: {} as Record<string, { perSecond: number; burst: number }>,
    description: 'Per-host rate limits by host[:port], e.g. {"github.com":{"perSecond":2,"burst":4}}; other hosts use the tool\'s own limit',
  },
  'executor.defaultRate': {
    schema: z.coerce.number().positive().max(100_000),
    default: 2,
    description: 'Requests per second per host when neither the host nor the tool sets a limit',
  },
  'executor.breakerFailures': {
    schema: z.coerce.number().int().min(1).max(1000),
    default: 5,
    description: "Consecutive transient failures that open a host's circuit breaker",
  },
  'executor.breakerCooldownMs': {
    schema: z.coerce.number().int().min(10).max(3_600_000),
    default: 30_000,
    description: 'How long an open circuit refuses a host before a probe (ms)',
  },
  'webhooks.retrySchedule': {
    schema: z.preprocess(jsonText, z.array(z.number().int().min(0).max(86_400_000)).max(20)),
    default: [...WEBHOOK_RETRY_SCHEDULE_MS] as number[],
    description: 'Delays before each webhook retry, in ms (JSON array); the delivery is dead-lettered after the last',
  },
  'webhooks.retryJitter': {
    schema: z.coerce.number().min(0).max(1),
    default: WEBHOOK_RETRY_JITTER as number,
    description: 'Random spread of each retry delay (0.2 = ±20%)',
  },
  'webhooks.rotationGraceHours': {
    schema: z.coerce.number().min(0).max(720),
    default: WEBHOOK_ROTATION_GRACE_HOURS as number,
    description: 'Hours a rotated-out webhook secret keeps signing beside the new one',
  },
  'webhooks.concurrencyPerWebhook': {
    schema: z.coerce.number().int().min(1).max(100),
    default: WEBHOOK_CONCURRENCY_PER_WEBHOOK as number,
    description: 'Deliveries in flight at once to one webhook',
  },
  'webhooks.retention.days': {
    schema: z.coerce.number().int().min(31).max(3650),
    default: 90,
    description:
      'Days a finished webhook delivery (delivered or dead-lettered) and its attempts stay in the delivery log; pending and retrying ones always stay (at least 31, past the longest analytics window)',
  },
  'events.retention.days': {
    schema: z.coerce.number().int().min(1).max(3650),
    default: 30,
    description: 'Days an event stays in the outbox once the webhook dispatcher and the team publisher have both passed it',
  },
  'sync.server': { schema: z.union([z.literal(''), z.url()]), default: '', description: 'URL of the team sync server' },
  'sync.publishEvents': {
    schema: z.preprocess(jsonText, z.array(z.enum(WEBHOOK_EVENT_TYPES)).max(WEBHOOK_EVENT_TYPES.length)),
    default: [] as string[],
    description: 'Event types also published to the team server, for team webhooks (JSON array, e.g. ["investigation.created"]); sent through a durable outbox',
  },
  'tools.dns.servers': {
    schema: z
      .string()
      .trim()
      .regex(/^$|^[0-9a-fA-F:.[\]]+(,\s*[0-9a-fA-F:.[\]]+)*$/, 'comma-separated IP[:port] list'),
    default: '',
    description: 'DNS servers for dns.resolve and email.inspect (comma-separated IP[:port]); empty = the system resolvers',
  },
  'tools.rdap.baseUrl': {
    schema: z.url(),
    default: 'https://rdap.org',
    description: 'RDAP service rdap.lookup asks (it redirects to the registry responsible)',
  },
  'tools.http.timeoutMs': {
    schema: z.coerce.number().int().min(100).max(300_000),
    default: 15_000,
    description: 'Timeout of each HTTP request a tool makes (ms)',
  },
  'tools.sites.concurrency': { schema: z.coerce.number().int().min(1).max(200), default: 20, description: 'Sites username.sites checks at once in one run' },
  'egress.default': {
    schema: z.preprocess(jsonText, Egress),
    default: { mode: 'direct' } as Egress,
    description:
      'How tools reach the network: direct, an HTTP(S) proxy or SOCKS5 (DNS through the proxy), e.g. "tor", "socks5h://127.0.0.1:9050", "http://proxy:3128?credential=NAME"',
  },
  'egress.tools': {
    schema: z.preprocess(jsonText, z.record(z.string().min(1).max(100), Egress)),
    default: {} as Record<string, Egress>,
    description: 'Egress per tool, overriding egress.default, e.g. {"username.sites":"tor"}',
  },
  'egress.echoUrl': {
    schema: z.url({ protocol: /^https?$/ }),
    default: 'https://api.ipify.org?format=json',
    description: "Service that answers with the caller's address, asked by the egress leak test",
  },
  'egress.dohUrl': {
    schema: z.url({ protocol: /^https?$/ }),
    default: 'https://cloudflare-dns.com/dns-query',
    description: 'DNS-over-HTTPS service (RFC 8484) dns.resolve and email.inspect use through a proxy',
  },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.output<(typeof SETTINGS)[K]['schema']>;
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export interface SettingEntry {
  key: SettingKey;
  value: unknown;
  default: unknown;
  description: string;
}

export const settingsMethods = {
  'settings.list': method(z.object({}).default({})).returns<SettingEntry[]>(),
  'settings.get': method(z.object({ key: z.enum(SETTING_KEYS as [SettingKey, ...SettingKey[]]) })).returns<SettingEntry>(),
  'settings.set': method(z.object({ key: z.enum(SETTING_KEYS as [SettingKey, ...SettingKey[]]), value: z.unknown() })).returns<SettingEntry>(),
  'app.info': method(z.object({}).default({})).returns<{ version: string; dataDir: string; mode: 'electron' | 'browser' | 'cli' | 'test' }>(),
};

/** Settings typed on the command line arrive as JSON text; anything else passes through to the schema. */
function jsonText(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}
