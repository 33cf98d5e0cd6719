import { z } from 'zod';

/** "a,b" from the CLI or ["a","b"] from the UI: a list of trimmed, non-empty names. */
export const nameList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean));

/** Numbers arrive as strings from `--param k=v`. */
export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Booleans from `--param k=true|false|1|0|yes|no` as well as real booleans. */
export const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])]).transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

/** A JSON object given as text on the CLI, or as an object from the UI. */
export function jsonValue<T extends z.ZodType>(schema: T) {
  return z.union([z.string(), z.unknown()]).transform((v, ctx) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be valid JSON' });
      return z.NEVER;
    }
  }).pipe(schema);
}
