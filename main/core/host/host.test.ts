import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CoreEventEnvelope, CoreEventName, CoreEvents } from '../../../preload/contract/events.ts';
import { tempCore, tempDir } from '../testing/temp-core.ts';
import { CoreHostClient, type HostChild, type HostClientOptions } from './client.ts';
import { forkHost } from './node-port.ts';

// The real runCoreHost in a forked Node process (through tsx), with a waiting test tool and a broken app.info.
const ENTRY = fileURLToPath(new URL('../testing/host-entry.ts', import.meta.url));

interface Host {
  client: CoreHostClient;
  dataDir: string;
  spawned: HostChild[];
  events: CoreEventEnvelope[];
}

const hosts: Host[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) {
    await h.client.shutdown();
    rmSync(h.dataDir, { recursive: true, force: true });
  }
});

function host(opts: Partial<HostClientOptions> = {}, dataDir = tempDir(), cleanUp = true): Host {
  const spawned: HostChild[] = [];
  const events: CoreEventEnvelope[] = [];
  const client = new CoreHostClient({
    spawn: () => {
      const child = forkHost(ENTRY, { execArgv: ['--import', 'tsx'] });
      spawned.push(child);
      return child;
    },
    init: { dataDir, mode: 'test', workers: false },
    ...opts,
  });
  client.subscribe((e) => events.push(e));
  const h = { client, dataDir, spawned, events };
  if (cleanUp) hosts.push(h);
  return h;
}

async function started(opts: Partial<HostClientOptions> = {}): Promise<Host> {
  const h = host(opts);
  await h.client.start();
  return h;
}

/** The next event of that name (and matching `pred`), from now on. */
function nextEvent<K extends CoreEventName>(client: CoreHostClient, name: K, pred: (p: CoreEvents[K]) => boolean = () => true): Promise<CoreEvents[K]> {
  return new Promise((resolve) => {
    const off = client.on(name, (p) => {
      if (!pred(p)) return;
      off();
      resolve(p);
    });
  });
}

async function ok<T>(client: CoreHostClient, method: string, input: unknown): Promise<T> {
  const r = await client.call(method, input);
  if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
  return r.result as T;
}

/** Starts a test.wait run and resolves once the host has recorded it running. */
async function waitingRun(client: CoreHostClient, signal?: AbortSignal) {
  const inv = await ok<{ id: string }>(client, 'investigations.create', { name: 'waits' });
  const running = nextEvent(client, 'toolRuns.changed', (p) => p.status === 'running');
  const answer = client.call('tools.run', { investigationId: inv.id, tool: 'test.wait', input: { type: 'username', value: 'alice' } }, { signal });
  const { runId } = await running;
  return { answer, runId, inv: inv.id };
}

describe('the core host over a forked process: the IPC bridge cases, events, cancellation', () => {
  // One host for these (a fork compiles the core through tsx, which is the slow part); each test makes its own data.
  const dataDir = tempDir();
  // The face prints PDFs (as Electron's printToPDF does in the desktop's main process).
  const printed: string[] = [];
  const shared = host(
    {
      init: { dataDir, mode: 'test', workers: false, facePdf: true, secretKey: randomBytes(32).toString('base64'), secretKind: 'safestorage' },
      pdf: async (htmlPath, pdfPath) => {
        printed.push(htmlPath);
        writeFileSync(pdfPath, `%PDF-1.4 printed by the face from ${htmlPath}\n`);
      },
    },
    dataDir,
    false,
  );
  const client = shared.client;
  beforeAll(() => client.start());
  afterAll(async () => {
    await client.shutdown();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a valid call with its result, and the change is there for the next call', async () => {
    const r = await client.call('investigations.create', { name: 'Phishing kit' });
    expect(r).toMatchObject({ ok: true, result: { name: 'Phishing kit', status: 'active' } });
    const id = (r as { result: { id: string } }).result.id;
    const list = await ok<{ items: { id: string; name: string }[] }>(client, 'investigations.list', {});
    expect(list.items.find((i) => i.id === id)?.name).toBe('Phishing kit');
  });

  it('turns invalid input into the typed error and changes nothing', async () => {
    const before = (await ok<{ total: number }>(client, 'investigations.list', {})).total;
    expect(await client.call('investigations.create', { name: '   ' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((await ok<{ total: number }>(client, 'investigations.list', {})).total).toBe(before);
  });

  it('answers unknown and non-string method names with not_found, like every face', async () => {
    expect(await client.call('fs.readFile', {})).toMatchObject({ ok: false, error: { code: 'not_found', message: 'unknown method "fs.readFile"' } });
    expect(await client.call(42, {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('keeps a not_found error code for the UI', async () => {
    expect(await client.call('investigations.get', { id: 'does-not-exist' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('reports an unexpected failure as internal, without a stack trace', async () => {
    const r = await client.call('app.info', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'internal', message: "Cannot read properties of undefined (reading 'prepare')" } });
    expect(JSON.stringify(r)).not.toMatch(/\n\s+at /);
  });

  it('refuses a local method (it would run work in the host instead of the caller)', async () => {
    expect(await client.call('batches.runHere', { id: 'bat_x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('forwards core events to the face', async () => {
    const changed = nextEvent(client, 'investigation.changed', (p) => p.kind === 'created');
    const inv = await ok<{ id: string }>(client, 'investigations.create', { name: 'Evented' });
    expect(await changed).toMatchObject({ id: inv.id, kind: 'created' });
  });

  it('cancels a running call: the tool run ends cancelled and says so', async () => {
    const ctrl = new AbortController();
    const { answer, runId } = await waitingRun(client, ctrl.signal);
    ctrl.abort();
    expect(await answer).toMatchObject({ ok: true, result: { id: runId, status: 'cancelled' } });
    expect(await ok(client, 'toolRuns.get', { id: runId })).toMatchObject({ status: 'cancelled' });
  });

  it('asks the face to print a PDF export and finishes the export with its file', async () => {
    const inv = await ok<{ id: string }>(client, 'investigations.create', { name: 'Printed' });
    const r = await ok<{ files: { name: string; bytes: number }[] }>(client, 'reports.export', { investigationId: inv.id, format: 'pdf' });
    expect(printed).toHaveLength(1);
    expect(r.files).toHaveLength(1);
    expect(r.files[0]!.name).toMatch(/\.pdf$/);
    expect(r.files[0]!.bytes).toBeGreaterThan(20);
  });

  it('seals secrets with the key the face hands over, not a key file of its own', async () => {
    const info = await ok<{ boxKind: string }>(client, 'credentials.set', { name: 'SHODAN', secret: 'canary-secret-0001' });
    expect(info.boxKind).toBe('safestorage');
    expect(existsSync(join(dataDir, 'secret.key'))).toBe(false);
  });
});

// Each of these forks its own hosts (a restart is a new fork), which takes seconds on a loaded machine.
describe('the core host: crash, restart and shutdown', { timeout: 120_000 }, () => {
  it('a crashed host is reported and restarted: its unanswered call fails typed, later calls work, the dead run is marked failed', async () => {
    const h = await started();
    const { client } = h;
    const { answer, runId, inv } = await waitingRun(client);
    const crashed = nextEvent(client, 'core.crashed');
    const back = nextEvent(client, 'core.ready');
    h.spawned[0]!.kill(); // kill -9: no chance to clean up
    expect(await answer).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await crashed).toEqual({ exitCode: null, signal: 'SIGKILL', restarting: true });
    // A call made while the host is down waits for the new one instead of failing.
    const meanwhile = client.call('investigations.get', { id: inv });
    expect(await back).toEqual({ restarts: 1 });
    expect(await meanwhile).toMatchObject({ ok: true, result: { id: inv, name: 'waits' } });
    expect(h.spawned).toHaveLength(2);
    expect(await ok(client, 'toolRuns.get', { id: runId })).toMatchObject({ status: 'failed' });
  });

  it('restarts a crashed host again once the last crashes are out of the window, and stops after too many within it', async () => {
    let now = 1_000_000;
    const h = await started({ maxRestarts: 1, restartWindowMs: 60_000, clock: { now: () => now } });
    let back = nextEvent(h.client, 'core.ready');
    h.spawned[0]!.kill();
    expect(await back).toEqual({ restarts: 1 });
    now += 61_000; // the first crash no longer counts
    back = nextEvent(h.client, 'core.ready');
    h.spawned[1]!.kill();
    expect(await back).toEqual({ restarts: 2 });
    now += 5_000; // two crashes within a minute: more than maxRestarts
    const gaveUp = nextEvent(h.client, 'core.crashed', (p) => !p.restarting);
    h.spawned[2]!.kill();
    expect(await gaveUp).toMatchObject({ restarting: false, signal: 'SIGKILL' });
    expect(await h.client.call('investigations.list', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(h.spawned).toHaveLength(3);
  });

  it('shuts down cleanly: the running call is cancelled and answered, the process exits 0, the data is all there', async () => {
    const h = await started();
    const { answer, runId, inv } = await waitingRun(h.client);
    const exit = await h.client.shutdown();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(await answer).toMatchObject({ ok: true, result: { id: runId, status: 'cancelled' } });
    expect(await h.client.call('investigations.list', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    const reopened = await tempCore({ dataDir: h.dataDir });
    try {
      expect(await reopened.call('investigations.get', { id: inv })).toMatchObject({ name: 'waits' });
      expect(await reopened.call('toolRuns.get', { id: runId })).toMatchObject({ status: 'cancelled' });
    } finally {
      await reopened.close();
    }
  });

  it('a core that cannot open fails the start with its typed error, and is not restarted', async () => {
    const file = join(tempDir(), 'not-a-directory');
    writeFileSync(file, 'x');
    const h = host({}, file);
    await expect(h.client.start()).rejects.toMatchObject({ name: 'DossierError' });
    expect(await h.client.call('investigations.list', {})).toMatchObject({ ok: false });
    expect(h.spawned).toHaveLength(1);
  });
});
