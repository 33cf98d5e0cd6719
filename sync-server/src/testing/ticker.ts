import type { Every } from '../context.ts';

/** An injected repeating timer the test fires by hand: `tick()` runs every live callback once. */
export function manualEvery(): { every: Every; tick(): void; live(): number } {
  const fns = new Set<() => void>();
  return {
    every: (_ms, fn) => {
      fns.add(fn);
      return () => fns.delete(fn);
    },
    tick: () => {
      for (const f of [...fns]) f();
    },
    live: () => fns.size,
  };
}
