/** Bad usage or bad input: exit 2 with the message, nothing changed. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Stopped by Ctrl-C (or SIGTERM) after leaving things resumable: exit 130 (SPEC §4). */
export class InterruptedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterruptedError';
  }
}

/** Parse `k=v` pairs given with a repeatable flag. */
export function parsePairs(pairs: string[] | undefined, flag: string, sep = '='): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs ?? []) {
    const i = p.indexOf(sep);
    if (i <= 0) throw new UsageError(`${flag} expects key${sep}value, got "${p}"`);
    out[p.slice(0, i).trim()] = p.slice(i + 1);
  }
  return out;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseIntArg(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}, got "${v}"`);
    return n;
  };
}
