import type { Command } from 'commander';
import type { MethodName } from '../../../preload/contract/index.ts';
import { withCore } from '../core.ts';
import { globals } from '../globals.ts';
import { emit } from '../output.ts';
import { UsageError } from '../errors.ts';

/**
 * `dossier call <method> [input]`: any contract method with a JSON input, for scripts — the method
 * names and answers of the HTTP bridge. It goes through the same checks as the faces across a
 * boundary (`core.invoke`): an unknown method is not_found, bad input invalid_input (both exit 2).
 */
export function registerCall(program: Command): void {
  program
    .command('call <method> [input]')
    .description('call a core method with a JSON input, e.g. dossier call investigations.list \'{"limit":5}\' (prints JSON)')
    .action(async (method: string, input: string | undefined, _o: unknown, cmd: Command) => {
      let parsed: unknown = {};
      if (input !== undefined) {
        try {
          parsed = JSON.parse(input);
        } catch (e) {
          throw new UsageError(`<input> must be JSON: ${(e as Error).message}`);
        }
      }
      const result = await withCore(cmd, (core) => core.invoke(method as MethodName, parsed));
      emit(globals(cmd), result ?? null, () => JSON.stringify(result ?? null, null, 2));
    });
}
