import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../core/testing/temp-core.ts';
import { runDossier, type CliResult } from '../../core/testing/cli.ts';
import { createCore } from '../../core/core.ts';

let dataDir: string;
let inv: string;
const dossier = (args: string[]): Promise<CliResult> => runDossier(dataDir, args);

beforeAll(async () => {
  dataDir = tempDir('dossier-cli-entity-');
  const core = await createCore({ dataDir, mode: 'cli' });
  inv = (await core.call('investigations.create', { name: 'cli entity' })).id;
  await core.close();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('dossier entity add / link / delete', { timeout: 240_000 }, () => {
  it('add refuses a value that is not of its type with exit 2 and the reason; a good one is added, then deleted', async () => {
    const bad = await dossier(['entity', 'add', 'email', 'not-an-email', '--investigation', inv]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not an email address/);
    const badIp = await dossier(['entity', 'add', 'ip', '999.1.1.1', '--investigation', inv]);
    expect(badIp.code).toBe(2);
    expect(badIp.stderr).toMatch(/not an IP address/);

    const ok = await dossier(['--json', 'entity', 'add', 'email', 'Alice@Example.com', '--investigation', inv, '--label', 'from a tip']);
    expect(ok.code, ok.stderr).toBe(0);
    const { entity } = JSON.parse(ok.stdout) as { entity: { id: string; value: string; normalized: string } };
    expect(entity.normalized).toBe('alice@example.com');
    const dom = JSON.parse((await dossier(['--json', 'entity', 'add', 'domain', 'example.com', '--investigation', inv])).stdout) as { entity: { id: string } };

    const list = JSON.parse((await dossier(['--json', 'entity', 'list', '--investigation', inv])).stdout) as { total: number };
    expect(list.total).toBe(2);

    const badLink = await dossier(['entity', 'link', entity.id, dom.entity.id, '--type', 'friend_of']);
    expect(badLink.code).toBe(2);
    const link = await dossier(['--json', 'entity', 'link', entity.id, dom.entity.id]);
    expect(link.code, link.stderr).toBe(0);
    expect(JSON.parse(link.stdout)).toMatchObject({ created: true, link: { sourceId: entity.id, targetId: dom.entity.id, type: 'related' } });
    const typed = JSON.parse((await dossier(['--json', 'entity', 'link', entity.id, dom.entity.id, '--type', 'has_domain'])).stdout) as {
      link: { type: string };
    };
    expect(typed.link.type).toBe('has_domain');

    const del = await dossier(['entity', 'delete', entity.id, dom.entity.id]);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout).toMatch(/deleted 2 entities/);
    expect((JSON.parse((await dossier(['--json', 'entity', 'list', '--investigation', inv])).stdout) as { total: number }).total).toBe(0);
    expect((await dossier(['entity', 'delete', entity.id])).code).toBe(2); // not_found
  });

  it('edit sets a label, notes and properties, keeps the other properties, and refuses bad input with exit 2 changing nothing', async () => {
    const added = JSON.parse((await dossier(['--json', 'entity', 'add', 'username', 'nightjar', '--investigation', inv])).stdout) as { entity: { id: string } };
    const id = added.entity.id;
    const first = await dossier(['--json', 'entity', 'edit', id, '--label', 'Main handle', '--notes', 'seen on two forums', '--prop', 'followers=120', '--prop', 'site=forum.example']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ label: 'Main handle', notes: 'seen on two forums', properties: { followers: 120, site: 'forum.example' } });

    const second = await dossier(['entity', 'edit', id, '--unset', 'site', '--prop', 'verified=true']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/followers: 120/);
    const stored = JSON.parse((await dossier(['--json', 'entity', 'list', '--investigation', inv, '--type', 'username'])).stdout) as {
      items: { id: string; label: string; notes: string; properties: Record<string, unknown> }[];
    };
    expect(stored.items.find((e) => e.id === id)).toMatchObject({ label: 'Main handle', notes: 'seen on two forums', properties: { followers: 120, verified: true } });
    expect(Object.keys(stored.items.find((e) => e.id === id)!.properties)).not.toContain('site');

    const nothing = await dossier(['entity', 'edit', id]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to change/);
    const badKey = await dossier(['entity', 'edit', id, '--prop', '=1']);
    expect(badKey.code).toBe(2);
    const long = await dossier(['entity', 'edit', id, '--label', 'x'.repeat(501)]);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/at most 500/);
    const cleared = JSON.parse((await dossier(['--json', 'entity', 'edit', id, '--clear-label'])).stdout) as { label: string | null; notes: string };
    expect(cleared).toMatchObject({ label: null, notes: 'seen on two forums' });
    expect((await dossier(['entity', 'edit', 'ent_nope', '--notes', 'x'])).code).toBe(2); // not_found
  });
});
