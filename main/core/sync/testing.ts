import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/sync-server', import.meta.url));

export interface ServerProcess {
  url: string;
  proc: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A real `bin/sync-server serve` process on SQLite in `dataDir`; resolves once it prints its URL. */
export function startServerProcess(dataDir: string, opts: { port?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ServerProcess> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', String(opts.port ?? 0), '--data-dir', dataDir, '--json'], {
    env: { ...process.env, DATABASE_URL: '', SYNC_LOG_LEVEL: 'silent', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = (signal: NodeJS.Signals = 'SIGTERM') =>
    new Promise<number | null>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve(proc.exitCode);
      proc.once('exit', (code) => resolve(code));
      proc.kill(signal);
    });
  return new Promise((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', (line) => resolve({ url: (JSON.parse(line) as { url: string }).url, proc, stop }));
    proc.once('exit', (code) => reject(new Error(`sync-server exited ${code}: ${stderr}`)));
  });
}

/** `bin/sync-server create-team` → the admin token. */
export function createTeamToken(dataDir: string, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BIN, 'create-team', name, '--data-dir', dataDir, '--json'], { env: { ...process.env, DATABASE_URL: '' } });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('exit', (code) => (code === 0 ? resolve((JSON.parse(out) as { token: string }).token) : reject(new Error(`create-team exited ${code}`))));
  });
}
