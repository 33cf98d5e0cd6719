/**
 * P4: relay inbound, verified and logged, 50 connections.
 *
 * Figure: requests per second and p99 latency of `dossier relay start` (a
 * subprocess, as a user runs it) answering GitHub-signed POSTs: each one is
 * HMAC-verified, its delivery id checked for duplicates, logged byte-exact with
 * its headers, counted in the rollups, written to the outbox, and committed to
 * SQLite before its 202 is sent.
 * Baseline: a bare node:http server (also a subprocess) that reads the body
 * and answers 200, driven by the same autocannon settings in the same run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createCore } from '../main/core/core.ts';
import { tempDir } from '../main/core/testing/temp-core.ts';
import { report } from './lib/report.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONNECTIONS = 50;
const DURATION_S = Number(process.env.P4_DURATION ?? 10);
const FLOOR_RPS = 3_000;
const FLOOR_P99_MS = 25;
const SECRET = 'bench-secret';
const BODY = JSON.stringify({ action: 'opened', issue: { number: 1347, title: 'Found a bug', user: { login: 'octocat' } }, repository: { full_name: 'octo/hello' } });
const SIGNATURE = 'sha256=' + createHmac('sha256', SECRET).update(BODY).digest('hex');

const BARE = `
const http = require('node:http');
const s = http.createServer((req, res) => { req.on('data', () => {}); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"ok":true}'); }); });
s.keepAliveTimeout = 10000;
s.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ event: 'listening', url: 'http://127.0.0.1:' + s.address().port })));
process.on('SIGTERM', () => process.exit(0));
`;

function listen(child: ChildProcess): Promise<string> {
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => l.includes('"listening"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

function load(url: string, signed: boolean): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: DURATION_S,
        method: 'POST',
        body: BODY,
        headers: { 'content-type': 'application/json', 'user-agent': 'GitHub-Hookshot/bench', 'x-github-event': 'issues', ...(signed ? { 'x-hub-signature-256': SIGNATURE } : {}) },
        // A fresh delivery id per request, as GitHub sends: none is a duplicate.
        requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'x-github-delivery': randomUUID() } }) }],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
  });
}

async function main() {
  const dataDir = tempDir('dossier-p4-');
  const setup = await createCore({ dataDir, mode: 'cli' });
  await setup.call('relay.endpoints.create', { slug: 'gh', provider: 'github', secret: SECRET });
  await setup.close();

  const bare = spawn(process.execPath, ['-e', BARE], { stdio: ['ignore', 'pipe', 'pipe'] });
  const bareUrl = await listen(bare);
  await load(bareUrl, false); // warm-up
  const baseline = await load(bareUrl, false);
  await stop(bare);

  const relay = spawn(process.execPath, [`${ROOT}/bin/dossier`, '--data-dir', dataDir, '--json', 'relay', 'start', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const relayUrl = (await listen(relay)) + '/hooks/gh';
  await load(relayUrl, true); // warm-up (JIT, SQLite page cache)
  const run = await load(relayUrl, true);
  await stop(relay);

  const check = await createCore({ dataDir, mode: 'cli' });
  const logged = check.ctx.sqlite.prepare(`select count(*) as n, sum(verification = 'verified') as v from relay_requests`).get() as { n: number; v: number };
  await check.close();
  rmSync(dataDir, { recursive: true, force: true });

  const rps = run.requests.average;
  const p99 = run.latency.p99;
  const ok2xx = run['2xx'];
  report({
    id: 'P4',
    what: 'relay inbound: verified + logged requests/s (50 connections)',
    figure: rps,
    unit: 'req/s',
    baseline: baseline.requests.average,
    baselineWhat: 'bare node:http answering 200',
    floor: `>= ${FLOOR_RPS} req/s, p99 < ${FLOOR_P99_MS} ms`,
    pass: rps >= FLOOR_RPS && p99 < FLOOR_P99_MS && run.non2xx === 0 && run.errors === 0,
    higherIsBetter: true,
    extra: {
      p99Ms: p99,
      p50Ms: run.latency.p50,
      baselineP99Ms: baseline.latency.p99,
      responses2xx: ok2xx,
      non2xx: run.non2xx,
      errors: run.errors,
      loggedRows: logged.n,
      verifiedRows: logged.v,
      durationS: DURATION_S,
    },
  });
  process.stdout.write(`P4 p99 ${p99} ms (baseline p99 ${baseline.latency.p99} ms); ${ok2xx} responses 2xx, ${run.non2xx} non-2xx, ${run.errors} errors; ${logged.n} rows logged (${logged.v} verified, warm-up included)\n`);
}

await main();
