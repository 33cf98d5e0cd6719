/**
 * Wait until `fn` gives a truthy value (real servers and workers answer when they answer) and return it;
 * fail after `timeoutMs`. For waiting on real I/O only: time-dependent logic gets an injected clock instead.
 */
export async function until<T>(fn: () => T | Promise<T>, timeoutMs = 10_000): Promise<Exclude<T, undefined | null | false | 0 | ''>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as Exclude<T, undefined | null | false | 0 | ''>;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
