import type { DeliveryStatus } from '../../../preload/contract/webhooks.ts';
import type { ConfigCache } from './config.ts';
import { afterAttempt } from './delivery/outcome.ts';
import { headersForLog } from './delivery/headers.ts';
import type { AttemptResult } from './delivery/send.ts';
import type { Claimed, DeliveryStatements } from './statements.ts';

export interface Finished {
  row: Claimed;
  headers: Record<string, string>;
  result: AttemptResult;
  /** Test deliveries are one-shot: a failure is final. */
  noRetry: boolean;
}

export interface RecordedAttempt {
  deliveryId: string;
  webhookId: string;
  status: DeliveryStatus;
  result: AttemptResult;
}

export interface RecordResult {
  out: RecordedAttempt[];
  /** Webhooks a 410 disabled. */
  disabled: string[];
}

/** Only the holder of a delivery's claim records its attempt, so (delivery, chain, number) names it. */
export function attemptId(deliveryId: string, chain: number, number: number): string {
  return `att_${deliveryId.slice(4)}.${chain}.${number}`;
}

/** Inside a transaction: each attempt, the delivery's new state, and a 410's disable. */
export function recordRows(st: DeliveryStatements, config: ConfigCache, random: () => number, batch: Finished[], now: number): RecordResult {
  const out: RecordedAttempt[] = [];
  const disabled: string[] = [];
  if (batch.length === 0) return { out, disabled };
  const { policy } = config.get(now);
  for (const f of batch) {
    const { row, result } = f;
    const number = row.attempts + 1;
    const o = result.outcome;
    const { status, nextAt, errorCode, error } = afterAttempt(policy, number, o, f.noRetry, now, random);
    // The claim may be gone (webhook deleted, or the lease expired and another worker took it): then this attempt is not ours to record.
    const held = st.finish.run(status, number, nextAt, result.statusCode, result.durationMs, error, now, row.id, row.claim_id).changes > 0;
    if (!held) continue;
    st.insertAttempt.run(
      attemptId(row.id, row.chain, number),
      row.id,
      row.webhook_id,
      row.chain,
      number,
      result.startedAt,
      result.durationMs,
      JSON.stringify(headersForLog(f.headers)),
      result.statusCode,
      JSON.stringify(result.responseHeaders),
      result.responseBody,
      errorCode,
      error,
    );
    if (o.kind === 'gone' && st.disable.run(o.error, now, row.webhook_id).changes > 0) disabled.push(row.webhook_id);
    out.push({ deliveryId: row.id, webhookId: row.webhook_id, status, result });
  }
  return { out, disabled };
}
