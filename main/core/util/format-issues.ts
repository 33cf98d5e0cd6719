import type { z } from 'zod';

/** A zod error as one line, `path: message; ...`: what every face prints for bad input. */
export function formatIssues(err: z.ZodError): string {
  return err.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}
