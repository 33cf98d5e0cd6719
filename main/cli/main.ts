import { CommanderError } from 'commander';
import { DossierError } from '../../preload/contract/errors.ts';
import { buildProgram } from './program.ts';
import { InterruptedError, UsageError } from './errors.ts';

/** Exit codes (SPEC §4): 0 done, 2 bad usage or input, 130 interrupted by Ctrl-C, 1 anything else. */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2; // commander already printed its message
    }
    if (e instanceof InterruptedError) {
      process.stderr.write(`${e.message}\n`);
      return 130;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    if (DossierError.is(e)) {
      process.stderr.write(`error (${e.code}): ${e.message}\n`);
      return e.code === 'invalid_input' || e.code === 'not_found' || e.code === 'conflict' ? 2 : 1;
    }
    process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

process.exitCode = await run(process.argv);
