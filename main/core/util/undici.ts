import { createRequire } from 'node:module';
import type * as Undici from 'undici';

let loaded: typeof Undici | undefined;

/**
 * undici, loaded on first use. Importing it costs ~0.1 s of every start (it builds its whole fetch
 * stack), which every CLI command that never touches the network paid (SPEC §4 start time, P9).
 * It is CommonJS, so a synchronous require keeps the callers' constructors synchronous.
 */
export function undici(): typeof Undici {
  return (loaded ??= createRequire(import.meta.url)('undici') as typeof Undici);
}
