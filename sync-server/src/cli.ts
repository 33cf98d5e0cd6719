import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { configFromEnv, startServer } from './server.ts';
import { openSyncStore } from './db/open.ts';
import { createTeam } from './teams.ts';

/** Exit codes as `dossier`: 0 done, 2 bad usage or input, 1 other errors, 130 interrupted. */
class UsageError extends Error {}

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is 0-65535');
  return n;
}

function env() {
  try {
    return configFromEnv();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function buildProgram(): Command {
  const program = new Command('sync-server').description('Dossier team sync server (SPEC §3.9)').exitOverride();
  program
    .command('serve', { isDefault: true })
    .description('run the server (SQLite in --data-dir, or PostgreSQL when DATABASE_URL is set)')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port (0 = any free port)', port, 8790)
    .option('--data-dir <dir>', 'SQLite data directory', './data')
    .option('--json', 'machine-readable start-up line')
    .action(async (o: { host: string; port: number; dataDir: string; json?: boolean }) => {
      const { databaseUrl, ...config } = env();
      const log = pino({ level: process.env.SYNC_LOG_LEVEL ?? (o.json ? 'warn' : 'info') }, pino.destination(2));
      const server = await startServer({ host: o.host, port: o.port, dataDir: o.dataDir, databaseUrl, config, log, defaultMetrics: true });
      process.stdout.write(o.json ? JSON.stringify({ event: 'listening', url: server.url, storage: server.store.dialect }) + '\n' : `Dossier sync server listening on ${server.url} (${server.store.where})\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
    });
  program
    .command('create-team <name>')
    .description('create a team and print its first admin token (shown once)')
    .option('--admin <name>', 'name of the first admin', 'admin')
    .option('--data-dir <dir>', 'SQLite data directory', './data')
    .option('--json', 'one JSON document on stdout')
    .action(async (name: string, o: { admin: string; dataDir: string; json?: boolean }) => {
      if (!name.trim() || name.length > 200) throw new UsageError('a team name is 1-200 characters');
      const { databaseUrl } = env();
      const store = await openSyncStore({ dataDir: o.dataDir, databaseUrl, poolSize: 1 });
      try {
        const out = await createTeam(store, name.trim(), o.admin);
        process.stdout.write(o.json ? JSON.stringify(out) + '\n' : `team ${out.team.name} (${out.team.id})\nadmin ${out.member.name} (${out.member.id})\ntoken ${out.token}\nThe token is shown only now; keep it in a password manager.\n`);
      } finally {
        await store.close();
      }
    });
  program
    .command('migrate')
    .description('apply the database migrations and exit')
    .option('--data-dir <dir>', 'SQLite data directory', './data')
    .action(async (o: { dataDir: string }) => {
      const { databaseUrl } = env();
      const store = await openSyncStore({ dataDir: o.dataDir, databaseUrl, poolSize: 1 });
      process.stdout.write(`migrated ${store.where}\n`);
      await store.close();
    });
  return program;
}

export async function main(argv = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError) {
      process.stderr.write(`sync-server: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`sync-server: ${(e as Error).message}\n`);
    return 1;
  }
}
