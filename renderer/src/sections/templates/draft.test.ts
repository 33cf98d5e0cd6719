import { describe, expect, it } from 'vitest';
import type { Template } from '../../../../preload/contract/templates.ts';
import { draftPlaceholders, emptyDraft, fromTemplate, inputForTool, isDirty, moveStep, patchRule, patchStep, toBody, validate } from './draft.ts';

const template: Template = {
  id: 'tpl_1',
  name: 'Person sweep',
  description: 'usernames then emails',
  version: 3,
  steps: [
    { tool: 'username.sites', input: '{{username}}', params: { sites: ['GitHub'] } },
    { tool: 'email.inspect', input: '{{email}}', inputType: 'email', params: {} },
  ],
  followUps: [{ whenType: 'domain', tool: 'dns.resolve', params: {} }],
  maxDepth: 2,
  placeholders: ['username', 'email'],
  usageCount: 0,
  shared: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('template draft', () => {
  it('a fresh draft asks for a name and a tool before it can be saved', () => {
    expect(validate(emptyDraft())).toEqual(['Give the template a name.', 'Step 1: pick a tool.']);
  });

  it('asks to shorten a name or description past the core’s limit instead of cutting it', () => {
    const d = { ...fromTemplate(template), name: 'n'.repeat(201), description: 'd'.repeat(4001) };
    expect(validate(d)).toEqual(['Shorten the name to 200 characters.', `Shorten the description to ${(4000).toLocaleString()} characters.`]);
    expect(validate({ ...d, name: 'n'.repeat(200), description: 'd'.repeat(4000) })).toEqual([]);
  });

  it('names every step and rule that is incomplete, by its position', () => {
    let d = fromTemplate(template);
    d = patchStep(d, d.steps[1]!.key, { input: 'plain text' });
    d = patchRule(d, d.followUps[0]!.key, { tool: null });
    expect(validate(d)).toEqual(['Step 2: the input needs a {{placeholder}}.', 'Follow-up rule 1: pick a type and a tool.']);
  });

  it('a template loaded unchanged is not dirty; any edit makes it dirty, and undoing it clean again', () => {
    const d = fromTemplate(template);
    expect(isDirty(d, template)).toBe(false);
    const edited = patchStep(d, d.steps[0]!.key, { input: '{{handle}}' });
    expect(isDirty(edited, template)).toBe(true);
    expect(isDirty(patchStep(edited, d.steps[0]!.key, { input: '{{username}}' }), template)).toBe(false);
    expect(isDirty(emptyDraft(), null)).toBe(false);
  });

  it('moving a step reorders the body that is saved and keeps each step whole', () => {
    const d = moveStep(fromTemplate(template), 1, -1);
    expect(toBody(d).steps.map((s) => s.tool)).toEqual(['email.inspect', 'username.sites']);
    expect(toBody(d).steps[1]).toEqual({ tool: 'username.sites', input: '{{username}}', inputType: undefined, params: { sites: ['GitHub'] } });
    expect(isDirty(d, template)).toBe(true);
  });

  it('saves the name and inputs trimmed, without editor keys, and lists placeholders in order of first use', () => {
    let d = fromTemplate(template);
    d = { ...d, name: '  Person sweep 2  ' };
    d = patchStep(d, d.steps[1]!.key, { input: ' {{email}} {{username}} ' });
    const body = toBody(d);
    expect(body.name).toBe('Person sweep 2');
    expect(body.steps[1]!.input).toBe('{{email}} {{username}}');
    expect(JSON.stringify(body)).not.toContain('"key"');
    expect(draftPlaceholders(d)).toEqual(['username', 'email']);
    expect(body.followUps).toEqual([{ whenType: 'domain', tool: 'dns.resolve', params: {} }]);
    expect(body.maxDepth).toBe(2);
  });

  it('a step input that is only a type placeholder follows the new tool; a written input is kept', () => {
    expect(inputForTool('{{username}}', ['domain'])).toBe('{{domain}}');
    expect(inputForTool('{{ username }}', ['url', 'domain', 'account'])).toBe('{{url}}');
    expect(inputForTool('{{domain}}', ['url', 'domain'])).toBe('{{domain}}');
    expect(inputForTool('', ['phone'])).toBe('{{phone}}');
    expect(inputForTool('{{user}}@example.com', ['domain'])).toBe('{{user}}@example.com');
    expect(inputForTool('{{target}}', ['domain'])).toBe('{{target}}');
    expect(inputForTool('{{username}}', undefined)).toBe('{{username}}');
  });
});
