import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { tempDir } from '../../core/testing/temp-core.ts';
import { startReceiver, type TestReceiver } from '../../core/testing/webhook-receiver.ts';
import { REDACTED } from '../../core/util/secret-names.ts';
import { runDossier } from '../../core/testing/cli.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/dossier', import.meta.url));

let dataDir: string;
let rx: TestReceiver;
beforeAll(async () => {
  dataDir = tempDir('dossier-cli-wh-');
  rx = await startReceiver((_r, i, res) => void res.writeHead(i === 0 ? 500 : 200).end(i === 0 ? 'down' : 'ok'));
});
afterAll(async () => {
  await rx.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function dossier(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, '--data-dir', dataDir, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('dossier webhook', { timeout: 240_000 }, () => {
  let id = '';
  let secret = '';
  let deliveryId = '';

  it('add prints the id and the secret; bad input exits 2 and adds nothing', async () => {
    const bad = await dossier('webhook', 'add', '--url', 'ftp://x', '--events', 'job.failed');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/http or https/);
    const badEv = await dossier('webhook', 'add', '--url', rx.url, '--events', 'job.failed,nope');
    expect(badEv.code).toBe(2);
    expect(badEv.stderr).toMatch(/unknown event: nope/);
    const badHeader = await dossier('webhook', 'add', '--url', rx.url, '--events', 'job.failed', '--header', 'novalue');
    expect(badHeader.code).toBe(2);
    const argvSecret = await dossier('webhook', 'add', '--url', rx.url, '--events', 'job.failed', '--secret', 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0');
    expect(argvSecret.code).toBe(2);
    expect(argvSecret.stderr).toMatch(/refused.*--secret-stdin/);
    const human = await dossier('webhook', 'add', '--url', rx.url, '--events', 'job.failed,webhook.test', '--header', 'X-Team: blue', '--allow-private-network');
    expect(human.code).toBe(0);
    id = /id\s+(\S+)/.exec(human.stdout)![1]!;
    secret = /secret\s+(\S+)/.exec(human.stdout)![1]!;
    expect(secret).toMatch(/^whsec_/);
    const list = JSON.parse((await dossier('--json', 'webhook', 'list')).stdout) as { id: string; headers: Record<string, string> }[];
    expect(list.map((w) => w.id)).toEqual([id]);
    // Custom header values are sealed at rest and listed masked (SPEC §5); the name shows it was kept.
    expect(list[0]!.headers).toEqual({ 'X-Team': REDACTED });
  });

  it('test shows the answer; deliveries lists it; replay sends it again with the same webhook-id', async () => {
    const t = await dossier('webhook', 'test', id);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/FAILED\s+status 500/);
    expect(t.stdout).toMatch(/body: down/);
    const page = JSON.parse((await dossier('--json', 'webhook', 'deliveries', id)).stdout) as { items: { id: string; status: string; event: string }[] };
    expect(page.items.map((d) => [d.event, d.status])).toEqual([['webhook.test', 'dead']]);
    deliveryId = page.items[0]!.id;
    const r = await dossier('webhook', 'replay', deliveryId);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/succeeded\s+status 200/);
    expect(rx.received).toHaveLength(2);
    expect(rx.received[1]!.headers['webhook-id']).toBe(rx.received[0]!.headers['webhook-id']);
    expect(rx.received[1]!.headers['x-team']).toBe('blue');
    expect(new StandardWebhook(secret).verify(rx.received[1]!.body, rx.received[1]!.headers as Record<string, string>)).toBeTruthy();
  });

  it('rotate-secret, disable, enable, delete', async () => {
    expect((await dossier('webhook', 'rotate-secret', id, '--secret', 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0')).code).toBe(2);
    const piped = 'whsec_' + Buffer.from('a piped secret of 24 b!!').toString('base64');
    const rot = await runDossier(dataDir, ['webhook', 'rotate-secret', id, '--secret-stdin'], { stdin: `${piped}\n` });
    expect(rot.code).toBe(0);
    const next = /secret\s+(\S+)/.exec(rot.stdout)![1]!;
    expect(next).toBe(piped);
    expect(next).not.toBe(secret);
    expect(rot.stdout).toMatch(/previous secret also signs until/);
    expect((await dossier('webhook', 'disable', id)).stdout).toMatch(/disabled/);
    expect(JSON.parse((await dossier('--json', 'webhook', 'list')).stdout)[0].active).toBe(false);
    expect((await dossier('webhook', 'enable', id)).code).toBe(0);
    expect((await dossier('webhook', 'deliveries', 'wh_missing')).code).toBe(2);
    expect((await dossier('webhook', 'delete', id)).stdout).toMatch(/deleted/);
    expect(JSON.parse((await dossier('--json', 'webhook', 'list')).stdout)).toEqual([]);
    expect((await dossier('webhook', 'replay', deliveryId)).code).toBe(2);
  });
});
