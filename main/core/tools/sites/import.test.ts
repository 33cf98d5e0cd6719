import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempCore } from '../../testing/temp-core.ts';
import { startSiteFixture, FIXTURE_MARKERS, type SiteFixture } from '../../testing/fixtures/site-fixture.ts';
import { closeHttpAgents } from '../http.ts';
import { convertManifest } from './import.ts';

let fx: SiteFixture;
let core: Awaited<ReturnType<typeof tempCore>>;

beforeAll(async () => {
  fx = await startSiteFixture({ claimed: ['alice'] });
  core = await tempCore();
});
afterAll(async () => {
  await core.dispose();
  await closeHttpAgents();
  await fx.close();
});

/** A Sherlock data.json as the Sherlock project writes it, pointing at the fixture. */
function sherlockFile(base: string) {
  return {
    $schema: 'https://raw.githubusercontent.com/sherlock-project/sherlock/master/sherlock_project/resources/data.schema.json',
    SherStatus: { errorType: 'status_code', url: `${base}/status/{}`, urlMain: `${base}/`, username_claimed: 'alice' },
    SherGone: { errorType: 'status_code', errorCode: [410, 404], url: `${base}/gone/{}`, urlMain: `${base}/`, username_claimed: 'alice' },
    SherMessage: { errorType: 'message', errorMsg: [FIXTURE_MARKERS.message, 'Nope'], url: `${base}/message/{}`, urlMain: `${base}/`, username_claimed: 'alice' },
    SherRedirect: { errorType: 'response_url', errorUrl: `${base}/notfound`, url: `${base}/redirect/{}`, urlMain: `${base}/`, username_claimed: 'alice' },
    SherProbe: { errorType: 'status_code', url: `${base}/profile/{}`, urlProbe: `${base}/api/users/{}`, urlMain: `${base}/`, username_claimed: 'alice', isNSFW: true },
    SherPost: {
      errorType: ['message', 'status_code'],
      errorMsg: '"taken":false',
      url: `${base}/people/{}`,
      urlProbe: `${base}/lookup`,
      request_method: 'POST',
      request_payload: { username: '{}' },
      headers: { 'x-fixture-key': FIXTURE_MARKERS.postKey },
      urlMain: `${base}/`,
      username_claimed: 'alice',
    },
    SherHead: { errorType: 'status_code', request_head_only: true, url: `${base}/status/{}`, urlMain: `${base}/`, username_claimed: 'alice' },
    SherRegex: { errorType: 'status_code', regexCheck: '^[0-9]+$', url: `${base}/status/{}`, urlMain: `${base}/`, username_claimed: '123' },
    SherUnknownType: { errorType: 'captcha', url: `${base}/status/{}`, urlMain: `${base}/`, username_claimed: 'alice' },
    SherBadMethod: { errorType: 'status_code', request_method: 'TRACE', url: `${base}/status/{}`, urlMain: `${base}/`, username_claimed: 'alice' },
    SherNoPlaceholder: { errorType: 'status_code', url: `${base}/status/alice`, urlMain: `${base}/`, username_claimed: 'alice' },
    SherPythonRegex: { errorType: 'status_code', regexCheck: '^(?P<name>[a-z]+)$', url: `${base}/status/{}`, urlMain: `${base}/`, username_claimed: 'alice' },
  };
}

/** A Maigret data.json with an engine, tags, disabled and unsupported entries. */
function maigretFile(base: string) {
  return {
    engines: {
      FixtureEngine: { name: 'FixtureEngine', site: { checkType: 'message', absenceStrs: [FIXTURE_MARKERS.absence], presenseStrs: [FIXTURE_MARKERS.presence] } },
    },
    sites: {
      MaiStatus: { checkType: 'status_code', url: '{urlMain}/status/{username}', urlMain: base, usernameClaimed: 'alice', usernameUnclaimed: 'nobody-here', tags: ['test'] },
      MaiStrings: { engine: 'FixtureEngine', url: '{urlMain}{urlSubpath}/strings/{username}', urlMain: base, urlSubpath: '', usernameClaimed: 'alice', usernameUnclaimed: 'nobody-here' },
      MaiAbsence: { checkType: 'message', absenceStrs: [FIXTURE_MARKERS.message], url: `${base}/message/{username}`, urlMain: base, usernameClaimed: 'alice', usernameUnclaimed: 'nobody-here' },
      MaiRedirect: { checkType: 'response_url', url: `${base}/redirect/{username}`, urlMain: base, usernameClaimed: 'alice', usernameUnclaimed: 'nobody-here' },
      MaiCaptcha: {
        checkType: 'status_code',
        url: `${base}/captcha/{username}`,
        urlMain: base,
        errors: { [FIXTURE_MARKERS.captcha]: 'Captcha detected' },
        usernameClaimed: 'alice',
        usernameUnclaimed: 'nobody-here',
      },
      MaiDisabled: { checkType: 'status_code', url: `${base}/status/{username}`, urlMain: base, usernameClaimed: 'alice', usernameUnclaimed: 'nobody-here', disabled: true },
      MaiGaia: { checkType: 'status_code', type: 'gaia_id', url: `${base}/status/{username}`, urlMain: base, usernameClaimed: 'alice', usernameUnclaimed: 'x' },
      MaiNoEngine: { engine: 'Missing', url: `${base}/status/{username}`, urlMain: base, usernameClaimed: 'alice', usernameUnclaimed: 'x' },
      MaiEmptyMessage: { checkType: 'message', url: `${base}/status/{username}`, urlMain: base, usernameClaimed: 'alice', usernameUnclaimed: 'x' },
    },
    tags: ['test'],
  };
}

type Row = { site: string; status: string };
async function statuses(username: string): Promise<Record<string, string>> {
  const inv = (await core.call('investigations.create', { name: `check ${username}` })).id;
  const run = await core.call('tools.run', { investigationId: inv, tool: 'username.sites', input: { type: 'username', value: username }, params: {} });
  expect(run.status).toBe('succeeded');
  return Object.fromEntries((run.output as { sites: Row[] }).sites.map((r) => [r.site, r.status]));
}

describe('site manifest import', () => {
  it('imports a Sherlock data.json, reports the unsupported entries, and detects correctly', async () => {
    const report = await core.call('sites.import', { content: JSON.stringify(sherlockFile(fx.url)), format: 'sherlock' });
    expect(report).toMatchObject({ format: 'sherlock', total: 12, imported: 8, sites: 8 });
    expect(report.unsupported.map((u) => u.name).sort()).toEqual(['SherBadMethod', 'SherNoPlaceholder', 'SherPythonRegex', 'SherUnknownType']);
    expect(report.unsupported.find((u) => u.name === 'SherUnknownType')!.reason).toContain('captcha');

    const list = await core.call('sites.list', {});
    expect(list.source).toBe('data');
    expect(list.items.find((s) => s.name === 'SherProbe')!.tags).toEqual(['nsfw']);

    expect(await statuses('alice')).toEqual({
      SherStatus: 'claimed',
      SherGone: 'claimed',
      SherMessage: 'claimed',
      SherRedirect: 'claimed',
      SherProbe: 'claimed',
      SherPost: 'claimed',
      SherHead: 'claimed',
      SherRegex: 'illegal',
    });
    expect(await statuses('nobody-here')).toEqual({
      SherStatus: 'available',
      SherGone: 'available',
      SherMessage: 'available',
      SherRedirect: 'available',
      SherProbe: 'available',
      SherPost: 'available',
      SherHead: 'available',
      SherRegex: 'illegal',
    });
  });

  it('imports a Maigret data.json (engines, urlMain placeholders, errors, disabled) and detects correctly', async () => {
    const report = await core.call('sites.import', { content: JSON.stringify(maigretFile(fx.url)) });
    expect(report.format).toBe('maigret');
    expect(report).toMatchObject({ total: 9, imported: 6 });
    expect(report.unsupported.map((u) => u.name).sort()).toEqual(['MaiEmptyMessage', 'MaiGaia', 'MaiNoEngine']);

    const list = await core.call('sites.list', {});
    expect(list.enabled).toBe(5);
    expect(await statuses('alice')).toEqual({ MaiStatus: 'claimed', MaiStrings: 'claimed', MaiAbsence: 'claimed', MaiRedirect: 'claimed', MaiCaptcha: 'unknown' });
    expect(await statuses('nobody-here')).toEqual({ MaiStatus: 'available', MaiStrings: 'available', MaiAbsence: 'available', MaiRedirect: 'available', MaiCaptcha: 'unknown' });
  });

  it('merges into the active manifest when asked, and reset goes back to the bundled one', async () => {
    await core.call('sites.import', { content: JSON.stringify(sherlockFile(fx.url)), format: 'sherlock' });
    const merged = await core.call('sites.import', { content: JSON.stringify(maigretFile(fx.url)), format: 'maigret', mode: 'merge' });
    expect(merged.sites).toBe(14);
    const reset = await core.call('sites.reset', {});
    expect(reset.sites).toBeGreaterThanOrEqual(60);
    expect((await core.call('sites.list', {})).source).toBe('bundled');
  });

  it('refuses a file that is not JSON, of unknown shape, or with no usable entry, and keeps the active manifest', async () => {
    await core.call('sites.import', { content: JSON.stringify(sherlockFile(fx.url)), format: 'sherlock' });
    await expect(core.call('sites.import', { content: '{not json' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(core.call('sites.import', { content: JSON.stringify({ hello: 'world' }) })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(
      core.call('sites.import', { content: JSON.stringify({ A: { errorType: 'nothing', url: 'x' } }), format: 'sherlock' }),
    ).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('no usable site') });
    expect((await core.call('sites.list', {})).total).toBe(8);
  });

  it('detects formats', () => {
    expect(convertManifest(JSON.stringify(sherlockFile('http://x'))).format).toBe('sherlock');
    expect(convertManifest(JSON.stringify(maigretFile('http://x'))).format).toBe('maigret');
  });
});
