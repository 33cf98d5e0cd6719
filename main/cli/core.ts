import type { Command } from 'commander';
import type { DossierCore } from '../core/core.ts';
import { globals } from './globals.ts';

/** Open the core on the command's data directory, run, and always close. */
export async function withCore<T>(cmd: Command, fn: (core: DossierCore) => Promise<T>): Promise<T> {
  // Loaded on first use, not at start: `--help` and usage errors never pay for the core's modules.
  const { createCore } = await import('../core/core.ts');
  const core = await createCore({ dataDir: globals(cmd).dataDir, mode: 'cli' });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}

/** Runs `fn` with a signal that SIGINT or SIGTERM (Ctrl-C) aborts: the core's foreground calls stop cleanly on it. */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ctrl = new AbortController();
  const stop = () => ctrl.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await fn(ctrl.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** Resolve when SIGINT or SIGTERM arrives; used by long-running commands. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(s);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
