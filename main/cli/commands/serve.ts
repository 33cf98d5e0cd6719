import type { Command } from 'commander';
import { createCore } from '../../core/core.ts';
import { startServer } from '../../serve/server.ts';
import { mountBatchUploads } from '../../serve/batch-upload.ts';
import { mountExportDownloads } from '../../serve/export-download.ts';
import { globals } from '../globals.ts';
import { untilSignal } from '../core.ts';
import { parseIntArg } from '../errors.ts';
import { openBrowser } from '../../serve/open-browser.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the app in the browser (binds 127.0.0.1 only)')
    .option('--port <port>', 'port (0 picks a free one)', parseIntArg('--port', 0, 65535))
    .option('--no-open', 'do not open a browser')
    .action(async (o: { port?: number; open: boolean }, cmd: Command) => {
      const g = globals(cmd);
      const core = await createCore({ dataDir: g.dataDir, mode: 'browser' });
      try {
        const port = o.port ?? (await core.ctx.settings.get('serve.port'));
        const extend = (api: Parameters<NonNullable<Parameters<typeof startServer>[0]['extend']>>[0]) => {
          mountBatchUploads(api, core);
          mountExportDownloads(api, core);
        };
        const server = await startServer({ core, port, extend });
        await core.startWorkers();
        if (g.json) process.stdout.write(JSON.stringify({ event: 'listening', url: server.openUrl }) + '\n');
        else process.stdout.write(`Dossier is running at ${server.openUrl}\n`);
        if (o.open && !process.env.CI) openBrowser(server.openUrl);
        await untilSignal();
        await server.close();
      } finally {
        await core.close();
      }
    });
}
