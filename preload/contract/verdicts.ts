import { z } from 'zod';
import { method } from './define.ts';
import { Id } from './common.ts';

/**
 * Verdicts (SPEC §3.10): a find marked confirmed or false positive. On an
 * account (a site and a username) the verdict is remembered for that pair in
 * every investigation; on anything else it belongs to the entity.
 */

export const VERDICTS = ['confirmed', 'false_positive'] as const;
export type VerdictKind = (typeof VERDICTS)[number];

export interface Verdict {
  id: string;
  verdict: VerdictKind;
  /** `site` + `username` for accounts (shared across investigations). */
  site: string | null;
  username: string | null;
  /** Otherwise the entity's type and normalized value in its investigation. */
  entityType: string | null;
  normalized: string | null;
  scope: 'site-username' | 'investigation';
  /** Where it was given. */
  investigationId: string;
  entityId: string | null;
  note: string;
  createdAt: string;
  updatedAt: string;
}

/** A verdict as it applies to one entity of an investigation. */
export interface EntityVerdict extends Verdict {
  appliesTo: string;
  /** True when the verdict was given in another investigation. */
  inherited: boolean;
}

export const verdictMethods = {
  'verdicts.set': method(
    z.object({ entityId: Id, verdict: z.enum(VERDICTS), note: z.string().max(2000).default('') }),
  ).returns<EntityVerdict>(),
  'verdicts.clear': method(z.object({ entityId: Id })).returns<{ entityId: string; cleared: boolean }>(),
  /** The verdicts that apply to the investigation's entities (with the entity each applies to). */
  'verdicts.forInvestigation': method(z.object({ investigationId: Id })).returns<EntityVerdict[]>(),
  /** Every remembered verdict. */
  'verdicts.list': method(
    z.object({ verdict: z.enum(VERDICTS).optional(), limit: z.number().int().min(1).max(1000).default(200), offset: z.number().int().min(0).default(0) }),
  ).returns<{ items: Verdict[]; total: number; limit: number; offset: number }>(),
};
