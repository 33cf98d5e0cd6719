import type { Agent } from 'undici';
import { buildHeaders } from '../../../main/core/webhooks/delivery/headers.ts';
import { sendAttempt, type AttemptResult } from '../../../main/core/webhooks/delivery/send.ts';
import { sign } from '../../../main/core/webhooks/delivery/signing.ts';
import type { ClaimedDelivery } from './claims.ts';
import type { SendingWebhook } from './hooks.ts';

/**
 * One attempt of one team delivery, with the desktop's headers and both
 * signatures (SPEC §3.3): a fresh timestamp each time, the event id as the
 * stable `webhook-id`. The timeout never reaches the lease, so a request
 * always ends before another instance may take the delivery over.
 */
export async function attemptDelivery(
  row: ClaimedDelivery,
  hook: SendingWebhook,
  o: { version: string; agent: Agent; leaseMs: number; now: () => number },
): Promise<{ headers: Record<string, string>; result: AttemptResult }> {
  const ts = Math.floor(o.now() / 1000);
  const headers = buildHeaders({
    version: o.version,
    webhookId: row.event_id,
    event: row.event_type,
    timestampSec: ts,
    signatures: sign({ current: hook.key }, row.event_id, ts, row.payload),
    custom: hook.headers,
  });
  const timeoutMs = Math.min(hook.timeoutMs, Math.floor(o.leaseMs / 2));
  const result = await sendAttempt({ url: hook.url, body: row.payload, headers, timeoutMs, dispatcher: o.agent }, o.now);
  return { headers, result };
}
