import type { IncomingHttpHeaders } from 'node:http';
import type { RelayProviderId, RelayProviderOptions } from '../../../../preload/contract/relay.ts';

export interface VerifyInput {
  /** Node's lower-cased header map. */
  headers: IncomingHttpHeaders;
  body: Buffer;
  secret: string | null;
  options: RelayProviderOptions;
  toleranceSeconds: number;
  /** Epoch ms the request counts as received at (replays pass the original time). */
  now: number;
}

export type VerifyResult =
  | { ok: true; verification: 'verified' | 'unsigned' }
  | { ok: false; verification: 'invalid_signature' | 'stale_timestamp'; reason: string };

export interface SignInput {
  body: Buffer;
  secret: string;
  options: RelayProviderOptions;
  /** Epoch ms used for the timestamp, for schemes that sign one. */
  now: number;
  /** Message id, for schemes that sign one (Standard Webhooks). */
  id: string;
}

export interface RequestMeta {
  deliveryId: string | null;
  eventType: string | null;
}

/** One provider's signature scheme. Implementations never throw on bad input: they return a result. */
export interface RelayProvider {
  readonly id: RelayProviderId;
  /** Header names (lower case) that carry the signature, marked in the request log. */
  signatureHeaders(options: RelayProviderOptions): string[];
  verify(input: VerifyInput): VerifyResult;
  /** Headers a sender of this provider would add (for the playground and tests). */
  sign(input: SignInput): Record<string, string>;
  /** The provider's delivery id and event type; `json` is the parsed body when it parsed. */
  meta(headers: IncomingHttpHeaders, json: () => unknown): RequestMeta;
  /** Whether meta() needs the parsed body (so the hot path parses only when needed). */
  readonly needsJson: boolean;
  /** Secret generated when none is given. */
  generateSecret(): string | null;
}
