import type { RelayProviderId } from '../../../../preload/contract/relay.ts';

/**
 * What to do with a new endpoint's URL, said for each provider: "Paste the URL into {label}" only reads for a
 * product's name (GitHub), not for "No verification" or "Generic HMAC". A Record so a new provider must say its own.
 */
const NEXT_STEP: Record<RelayProviderId, { url: string; secret: string }> = {
  github: {
    url: 'In the repository or organisation settings, add a webhook with this URL as its Payload URL',
    secret: 'paste the secret below into its Secret field',
  },
  stripe: {
    url: 'In the Stripe dashboard, add a webhook endpoint with this URL',
    secret: 'then edit this endpoint and set its secret to the signing secret (whsec_…) Stripe shows for it',
  },
  slack: {
    url: 'In the Slack app settings, use this URL as the Request URL (Event Subscriptions or Interactivity)',
    secret: 'then edit this endpoint and set its secret to the app’s signing secret',
  },
  shopify: {
    url: 'In the Shopify admin (or the app settings), create a webhook subscription with this URL',
    secret: 'then edit this endpoint and set its secret to the app’s client secret',
  },
  standard: { url: 'Give this URL to the sender that signs with Standard Webhooks', secret: 'give it the secret below (whsec_…) as the signing secret' },
  hmac: { url: 'Give this URL to the sender', secret: 'have it sign each request body with the secret below, in the header you configured' },
  none: { url: 'Give this URL to the sender. No signature is checked, so anyone who knows the URL can post to it', secret: '' },
};

/** The sentence shown after an endpoint is created (`withSecret`: a secret was made or given for it). */
export function afterCreateText(provider: RelayProviderId, withSecret: boolean): string {
  const n = NEXT_STEP[provider];
  return withSecret && n.secret ? `${n.url}, and ${n.secret}.` : `${n.url}.`;
}
