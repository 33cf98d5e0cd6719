import type { z } from 'zod';
import { contract, type MethodName } from '../../../preload/contract/index.ts';

/**
 * The longest text the core accepts for a field of a method's input, read from the contract's own schema, so a form
 * can say the limit before it is hit (instead of cutting the value silently with `maxLength`).
 */
export function maxLengthOf(method: MethodName, field: string): number {
  let s = (contract[method].input as unknown as z.ZodObject).shape[field] as z.ZodType | undefined;
  // Optional / default wrappers hold the string schema inside.
  while (s && !('maxLength' in s) && 'innerType' in s.def) s = s.def.innerType as z.ZodType;
  const max = (s as z.ZodString | undefined)?.maxLength;
  if (typeof max !== 'number') throw new Error(`${method}.${field} has no maximum length`);
  return max;
}

/** The message for a value past its limit, as the field shows it; undefined when it fits. */
export function lengthError(value: string, max: number): string | undefined {
  const n = value.length; // UTF-16 units, as zod counts
  return n > max ? `At most ${max.toLocaleString()} characters (this has ${n.toLocaleString()})` : undefined;
}

/** A count shown under the field once the value nears its limit, so the limit is never a surprise. */
export function lengthHint(value: string, max: number): string | undefined {
  const n = value.length; // UTF-16 units, as zod counts
  return n >= max * 0.8 ? `${n.toLocaleString()} / ${max.toLocaleString()} characters` : undefined;
}
