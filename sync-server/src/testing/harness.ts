import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startServer, type RunningServer, type ServeOptions } from '../server.ts';
import { createTeam } from '../teams.ts';
import { tempPgDatabase } from './pg.ts';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof DIALECTS)[number];

/** Where a test server keeps its data: a temp dir, or a fresh PostgreSQL database. */
export async function testStorage(dialect: TestDialect): Promise<{ opts: Pick<ServeOptions, 'dataDir' | 'databaseUrl'>; cleanup(): Promise<void> }> {
  if (dialect === 'postgres') {
    const db = await tempPgDatabase();
    return { opts: { databaseUrl: db.url }, cleanup: () => db.drop() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'dossier-sync-'));
  return { opts: { dataDir: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

// Tests read arbitrary fields of JSON answers and assert on them; the assertions are the type check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonBody = any;

export interface TestServer extends RunningServer {
  /** fetch against the server with a token. */
  req(method: string, path: string, opts?: { token?: string | null; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: JsonBody; headers: Headers }>;
  team(name?: string): Promise<{ teamId: string; adminToken: string; adminId: string }>;
}

export function asClient(server: RunningServer): TestServer['req'] {
  return async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    }
    const res = await fetch(server.url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed as JsonBody, headers: res.headers };
  };
}

export async function startTestServer(dialect: TestDialect, extra: Partial<ServeOptions> = {}): Promise<TestServer & { cleanup(): Promise<void> }> {
  const storage = await testStorage(dialect);
  const server = await startServer({ port: 0, log: pino({ level: 'silent' }), poolSize: 5, ...storage.opts, ...extra });
  const req = asClient(server);
  return Object.assign(server, {
    req,
    async team(name = 'team') {
      const t = await createTeam(server.store, name, 'admin');
      return { teamId: t.team.id, adminToken: t.token, adminId: t.member.id };
    },
    async cleanup() {
      await server.close();
      await storage.cleanup();
    },
  });
}
