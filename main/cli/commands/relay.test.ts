import { execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { createCore } from '../../core/core.ts';
import { tempDir } from '../../core/testing/temp-core.ts';
import { captureServer } from '../../core/testing/relay.ts';
import { runDossier } from '../../core/testing/cli.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/dossier', import.meta.url));

let dataDir: string;
beforeEach(() => {
  dataDir = tempDir('dossier-relay-cli-');
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

function dossier(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, '--data-dir', dataDir, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** `dossier relay start --port 0 --json` as a subprocess; resolves with its URL once it listens. */
async function startRelay() {
  const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, '--json', 'relay', 'start', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => l.includes('"listening"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`relay start exited ${code}: ${stderr}`)));
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  return { child, url, exited };
}

// Each CLI run starts tsx in a fresh process: slow on a busy machine, so the tests get time.
describe('dossier relay', { timeout: 240_000 }, () => {
  it('adds, lists and deletes endpoints; bad input exits 2 and changes nothing', async () => {
    // A secret on argv is refused before anything is written; from stdin it is used.
    const argv = await dossier('--json', 'relay', 'endpoint', 'add', '--slug', 'gh', '--provider', 'github', '--secret', 'abc');
    expect(argv.code).toBe(2);
    expect(argv.stderr).toMatch(/--secret-stdin/);
    expect(JSON.parse((await dossier('--json', 'relay', 'endpoint', 'list')).stdout)).toEqual([]);
    const add = await runDossier(dataDir, ['--json', 'relay', 'endpoint', 'add', '--slug', 'gh', '--provider', 'github', '--secret-stdin'], { stdin: 'abc\n' });
    expect(add.code).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({ slug: 'gh', provider: 'github', secret: 'abc', url: 'http://127.0.0.1:8787/hooks/gh' });
    const hm = await dossier('relay', 'endpoint', 'add', '--slug', 'h', '--provider', 'hmac', '--header', 'X-Sig', '--algorithm', 'sha1', '--encoding', 'base64', '--prefix', 'sha1=');
    expect(hm.code).toBe(0);
    expect(hm.stdout).toMatch(/secret: [0-9a-f]{48}/);
    expect((await dossier('relay', 'endpoint', 'add', '--slug', 'Bad Slug', '--provider', 'github')).code).toBe(2);
    expect((await dossier('relay', 'endpoint', 'add', '--slug', 'x', '--provider', 'paypal')).code).toBe(2);
    expect((await dossier('relay', 'endpoint', 'add', '--slug', 'gh', '--provider', 'none')).code).toBe(2);
    const list = JSON.parse((await dossier('--json', 'relay', 'endpoint', 'list')).stdout) as { slug: string; options: object }[];
    expect(list.map((e) => e.slug)).toEqual(['gh', 'h']);
    expect(list[1]!.options).toEqual({ header: 'x-sig', algorithm: 'sha1', encoding: 'base64', prefix: 'sha1=' });
    expect((await dossier('relay', 'rule', 'add', '--endpoint', 'gh', '--name', 'x', '--event', 'push', '--template', 'repo-scan', '--investigation', 'inv_missing')).code).toBe(2);
    const setup = await createCore({ dataDir, mode: 'test' });
    const inv = await setup.call('investigations.create', { name: 'Repos' });
    await setup.call('templates.create', { name: 'repo-scan', steps: [{ tool: 'phone.parse', input: '{{phone}}', inputType: 'phone' }] });
    await setup.close();
    const rule = await dossier('--json', 'relay', 'rule', 'add', '--endpoint', 'gh', '--name', 'pushes', '--event', 'push', '--match', '$.ref', '--equals', 'refs/heads/main', '--template', 'repo-scan', '--investigation', inv.id, '--input', 'phone=$.pusher.phone');
    expect(rule.code).toBe(0);
    expect(JSON.parse(rule.stdout)).toMatchObject({ name: 'pushes', eventType: 'push', matchPath: '$.ref', matchValue: 'refs/heads/main', inputs: { phone: '$.pusher.phone' } });
    const rules = await dossier('relay', 'rule', 'list', '--endpoint', 'gh');
    expect(rules.stdout).toContain('event push and $.ref = refs/heads/main');
    expect((await dossier('relay', 'rule', 'add', '--endpoint', 'gh', '--name', 'x', '--template', 't', '--investigation', 'i', '--match', 'no-dollar')).code).toBe(2);
    expect((await dossier('relay', 'endpoint', 'delete', 'gh')).code).toBe(0);
    expect((await dossier('relay', 'endpoint', 'delete', 'gh')).code).toBe(2);
  });

  it('a request answered 2xx survives a SIGKILL of `relay start` right after', async () => {
    await dossier('relay', 'endpoint', 'add', '--slug', 'k', '--provider', 'none');
    const relay = await startRelay();
    const bodies = Array.from({ length: 20 }, (_, i) => `{"n":${i}}`);
    const acked: number[] = [];
    await Promise.all(
      bodies.map(async (b) => {
        const res = await request(`${relay.url}/hooks/k`, { method: 'POST', body: b });
        const json = (await res.body.json()) as { id: number };
        if (res.statusCode === 202) acked.push(json.id);
      }),
    );
    relay.child.kill('SIGKILL');
    expect((await relay.exited).signal).toBe('SIGKILL');
    expect(acked).toHaveLength(20);
    const core = await createCore({ dataDir, mode: 'test' });
    try {
      const rows = core.ctx.sqlite.prepare('select id, body from relay_requests order by id').all() as { id: number; body: Buffer }[];
      expect(rows.map((r) => r.id).sort((a, b) => a - b)).toEqual([...acked].sort((a, b) => a - b));
      expect(rows.map((r) => r.body.toString()).sort()).toEqual([...bodies].sort());
    } finally {
      await core.close();
    }
  });

  it('starts, lists requests, replays one and shuts down cleanly on SIGTERM', async () => {
    const target = await captureServer([200]);
    await dossier('relay', 'endpoint', 'add', '--slug', 'fw', '--provider', 'none', '--forward-to', target.url);
    const relay = await startRelay();
    const res = await request(`${relay.url}/hooks/fw`, { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } });
    const { id } = (await res.body.json()) as { id: number };
    // The running relay forwards it from its action queue.
    for (let i = 0; i < 50 && target.seen.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(target.seen.map((s) => s.body.toString())).toEqual(['hello']);
    relay.child.kill('SIGTERM');
    expect((await relay.exited).code).toBe(0);

    const reqs = JSON.parse((await dossier('--json', 'relay', 'requests', '--slug', 'fw')).stdout) as { items: { id: number; forwardState: string }[] };
    expect(reqs.items).toMatchObject([{ id, forwardState: 'delivered' }]);
    const human = await dossier('relay', 'requests');
    expect(human.stdout).toContain('fw');
    const replay = await dossier('relay', 'replay', String(id));
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('forwarded to');
    expect(target.seen).toHaveLength(2);
    const pipe = JSON.parse((await dossier('--json', 'relay', 'replay', String(id), '--to', 'pipeline')).stdout) as { request: { replayOf: number; status: number } };
    expect(pipe.request).toMatchObject({ replayOf: id, status: 202 });
    expect((await dossier('relay', 'replay', 'abc')).code).toBe(2);
    expect((await dossier('relay', 'requests', '--status', 'teapot')).code).toBe(2);
    await target.close();
  });
});
