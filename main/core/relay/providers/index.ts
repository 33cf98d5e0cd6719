import { RELAY_PROVIDERS, type RelayProviderId, type RelayProviderOptions } from '../../../../preload/contract/relay.ts';
import type { RelayProvider, RequestMeta } from './types.ts';
import type { IncomingHttpHeaders } from 'node:http';
import { github } from './github.ts';
import { stripe } from './stripe.ts';
import { slack } from './slack.ts';
import { shopify } from './shopify.ts';
import { standard } from './standard.ts';
import { hmac, metaFromOptionHeaders } from './hmac.ts';
import { none } from './none.ts';

/** Keyed by the contract's RELAY_PROVIDERS ids: the compiler insists every listed provider has a module. */
export const PROVIDERS: Record<RelayProviderId, RelayProvider> = { github, stripe, slack, shopify, standard, hmac, none };

export function provider(id: string): RelayProvider {
  const p = PROVIDERS[id as RelayProviderId];
  if (!p) throw new Error(`unknown relay provider "${id}" (known: ${RELAY_PROVIDERS.map((x) => x.id).join(', ')})`);
  return p;
}

/** Provider meta, falling back to the endpoint's own id/event headers; never throws. */
export function requestMeta(p: RelayProvider, headers: IncomingHttpHeaders, json: () => unknown, options: RelayProviderOptions): RequestMeta {
  let m: RequestMeta;
  try {
    m = p.meta(headers, json);
  } catch {
    m = { deliveryId: null, eventType: null };
  }
  if (options.idHeader || options.eventHeader) {
    const o = metaFromOptionHeaders(headers, options);
    m = { deliveryId: o.deliveryId ?? m.deliveryId, eventType: o.eventType ?? m.eventType };
  }
  return {
    deliveryId: m.deliveryId ? m.deliveryId.slice(0, 200) : null,
    eventType: m.eventType ? m.eventType.slice(0, 200) : null,
  };
}

export type { RelayProvider, VerifyResult, VerifyInput, SignInput } from './types.ts';
