import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { tempCore, tempDir } from '../../testing/temp-core.ts';
import { startWmnFixture, wmnFile } from '../../testing/fixtures/wmn-fixture.ts';
import { closeHttpAgents } from '../http.ts';
import { convertManifest, detectFormat } from './import.ts';

let fx: Awaited<ReturnType<typeof startWmnFixture>>;
let core: Awaited<ReturnType<typeof tempCore>>;

beforeAll(async () => {
  fx = await startWmnFixture();
  core = await tempCore();
});
afterAll(async () => {
  await core.dispose();
  await closeHttpAgents();
  await fx.close();
});

type Row = { site: string; status: string; reason: string };

describe('WhatsMyName wmn-data.json import', () => {
  it('converts the entries, reports the ones it cannot with the reason, and keeps categories and known usernames', () => {
    const doc = wmnFile(fx.url);
    expect(detectFormat(doc)).toBe('whatsmyname');
    const res = convertManifest(JSON.stringify(doc));
    expect(res.format).toBe('whatsmyname');
    expect(res.total).toBe(12);
    expect(res.sites.map((s) => s.name)).toEqual(['WmnCode', 'WmnSame', 'WmnStrict', 'WmnBlocked', 'WmnGraphQL', 'WmnDots', 'WmnRetired']);
    expect(res.unsupported).toEqual(
      expect.arrayContaining([
        { name: 'WmnNoKnown', reason: 'no known username to check the entry with' },
        { name: 'WmnNoMissing', reason: 'no m_code or m_string: a missing account cannot be recognised' },
        { name: 'WmnNoAccount', reason: 'neither uri_pretty nor uri_check contains {account}, so there is no profile URL' },
        { name: '#12', reason: 'entry is not an object' },
        { name: 'WmnCode', reason: 'duplicate site name' },
      ]),
    );
    expect(res.unsupported).toHaveLength(5);
    const gql = res.sites.find((s) => s.name === 'WmnGraphQL')!;
    expect(gql).toMatchObject({
      url: `${fx.url}/pretty/{username}`,
      probeUrl: `${fx.url}/graphql`,
      method: 'POST',
      body: '{"query":"query{User(name:\\"{username}\\"){id}}"}',
      claimed: 'alice',
      tags: ['xx NSFW xx', 'nsfw'],
      detect: { kinds: ['signatures'], exists: { code: 200, string: '"User":{"id"' }, missing: { code: 404, string: 'Not Found' } },
    });
    expect(gql.headers).toMatchObject({ 'x-wmn-key': 'k' });
    expect(res.sites.find((s) => s.name === 'WmnCode')!.tags).toEqual(['social']);
    expect(res.sites.find((s) => s.name === 'WmnRetired')!.disabled).toBe(true);
  });

  it('detects claimed and available for every e_code/e_string/m_code/m_string combination, and unknown when neither matches', async () => {
    await core.call('sites.import', { content: JSON.stringify(wmnFile(fx.url)), format: 'whatsmyname' });
    const inv = (await core.call('investigations.create', { name: 'wmn' })).id;
    const statuses = async (username: string) => {
      const run = await core.call('tools.run', { investigationId: inv, tool: 'username.sites', input: { type: 'username', value: username }, params: { sites: 'WmnCode,WmnSame,WmnStrict,WmnBlocked,WmnGraphQL,WmnDots' } });
      return Object.fromEntries((run.output as { sites: Row[] }).sites.map((r) => [r.site, r.status]));
    };
    expect(await statuses('alice')).toEqual({ WmnCode: 'claimed', WmnSame: 'claimed', WmnStrict: 'claimed', WmnBlocked: 'unknown', WmnGraphQL: 'claimed', WmnDots: 'claimed' });
    expect(await statuses('zed')).toEqual({ WmnCode: 'available', WmnSame: 'available', WmnStrict: 'available', WmnBlocked: 'unknown', WmnGraphQL: 'available', WmnDots: 'available' });
    // A username with a character WhatsMyName would strip is refused rather than asked as something else.
    expect((await statuses('a.lice')).WmnDots).toBe('illegal');
    const claimed = await core.call('tools.run', { investigationId: inv, tool: 'username.sites', input: { type: 'username', value: 'alice' }, params: { sites: 'WmnGraphQL' } });
    // The account is the pretty profile URL, not the API asked.
    expect(claimed.entities.map((e) => e.value)).toEqual([`${fx.url}/pretty/alice`]);
    expect(fx.hits.pretty).toBeUndefined();
    // The retired entry is kept but not checked by default.
    const all = await core.call('tools.run', { investigationId: inv, tool: 'username.sites', input: { type: 'username', value: 'alice' } });
    expect((all.output as { sites: Row[] }).sites.map((r) => r.site)).not.toContain('WmnRetired');
  });

  it('imports with `dossier site import FILE --format whatsmyname`', async () => {
    const dir = tempDir('dossier-wmn-cli-');
    const file = join(dir, 'wmn-data.json');
    writeFileSync(file, JSON.stringify(wmnFile(fx.url)));
    const bin = fileURLToPath(new URL('../../../../bin/dossier', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [bin, '--data-dir', join(dir, 'data'), '--json', 'site', 'import', file, '--format', 'whatsmyname']);
    const report = JSON.parse(stdout) as { format: string; imported: number; total: number; unsupported: unknown[] };
    expect(report).toMatchObject({ format: 'whatsmyname', imported: 7, total: 12 });
    expect(report.unsupported).toHaveLength(5);
  }, 60_000);
});
