import type { EntityType } from '../../../preload/contract/entities.ts';
import { entityValueProblem } from '../../../preload/contract/entity-values.ts';

/** The input type when a run does not say: the only one the tool takes, or the one the value looks like. */
export function inferInputType(accepts: readonly EntityType[], value: string): EntityType | null {
  if (accepts.length === 1) return accepts[0]!;
  // The same rules that check hand-added entities (one source of truth), tried most specific first.
  const guesses = (['url', 'ip', 'email', 'phone', 'domain'] as const).filter((t) => entityValueProblem(t, value) === null) as EntityType[];
  guesses.push('username');
  return guesses.find((g) => accepts.includes(g)) ?? null;
}
