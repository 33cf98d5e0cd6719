import { Command } from 'commander';
import { VERSION } from '../core/version.ts';
import { registerInvestigation } from './commands/investigation.ts';
import { registerConfig } from './commands/config.ts';
import { registerServe } from './commands/serve.ts';
import { registerWebhook } from './commands/webhook.ts';
import { registerRelay } from './commands/relay.ts';
import { registerBatch } from './commands/batch.ts';
import { registerTemplate, registerTemplateSharing } from './commands/template.ts';
import { registerSync } from './commands/sync.ts';
import { registerTool } from './commands/tool.ts';
import { registerWatch } from './commands/watch.ts';
import { registerExport } from './commands/export.ts';
import { registerImports } from './commands/import.ts';
import { registerSearch } from './commands/search.ts';
import { registerAnalytics } from './commands/analytics.ts';
import { registerCall } from './commands/call.ts';

/** The whole command tree. Each domain registers its commands here. */
export function buildProgram(): Command {
  const program = new Command('dossier')
    .description('Dossier — offline-first OSINT workbench')
    .version(VERSION)
    .option('--data-dir <dir>', 'data directory (default: $DOSSIER_HOME or the OS app-data path)')
    .option('--json', 'print one JSON document instead of human output')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerInvestigation(program);
  registerConfig(program);
  registerServe(program);
  registerRelay(program);
  registerWebhook(program);
  registerBatch(program);
  registerTemplate(program);
  registerTemplateSharing(program);
  registerSync(program);
  registerTool(program);
  registerWatch(program);
  registerExport(program);
  registerImports(program);
  registerSearch(program);
  registerAnalytics(program);
  registerCall(program);
  // Subcommands inherit exitOverride so usage errors reach main.ts as exceptions.
  const inherit = (c: Command) => {
    for (const sub of c.commands) {
      sub.exitOverride();
      sub.showHelpAfterError();
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}
