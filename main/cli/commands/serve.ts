import type { Command } from 'commander';
import { globals } from '../globals.ts';
import { untilSignal } from '../core.ts';
import { parseIntArg } from '../errors.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the app in the browser (binds 127.0.0.1 only)')
    .option('--port <port>', 'port (0 picks a free one)', parseIntArg('--port', 0, 65535))
    .option('--no-open', 'do not open a browser')
    .action(async (o: { port?: number; open: boolean }, cmd: Command) => {
      const g = globals(cmd);
      // The core and the HTTP server load here, not at the CLI's start (`dossier --help` stays fast).
      const [{ createCore }, { startServer }, { mountBatchUploads }, { mountExportDownloads }, { openBrowser }] = await Promise.all([
        import('../../core/core.ts'),
        import('../../serve/server.ts'),
        import('../../serve/batch-upload.ts'),
        import('../../serve/export-download.ts'),
        import('../../serve/open-browser.ts'),
      ]);
      const core = await createCore({ dataDir: g.dataDir, mode: 'browser' });
      try {
        // The settings schema makes serve.port a port number.
        const port = o.port ?? ((await core.call('settings.get', { key: 'serve.port' })).value as number);
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
