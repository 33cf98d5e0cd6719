import { ENTITY_TYPES, type EntityType } from '../../../../preload/contract/entities.ts';
import { placeholdersOf, type Template } from '../../../../preload/contract/templates.ts';
import { maxLengthOf } from '../../lib/limits.ts';

export const NAME_MAX = maxLengthOf('templates.create', 'name');
export const DESCRIPTION_MAX = maxLengthOf('templates.create', 'description');

/** A step as the editor holds it: `key` is editor-only (React list keys survive reordering). */
export interface StepDraft {
  key: number;
  tool: string | null;
  input: string;
  inputType: EntityType | null;
  params: Record<string, unknown>;
}
export interface RuleDraft {
  key: number;
  whenType: EntityType | null;
  tool: string | null;
  params: Record<string, unknown>;
}
export interface Draft {
  name: string;
  description: string;
  steps: StepDraft[];
  followUps: RuleDraft[];
  maxDepth: number;
}

let nextKey = 1;
export const newStep = (): StepDraft => ({ key: nextKey++, tool: null, input: '{{username}}', inputType: null, params: {} });
export const newRule = (): RuleDraft => ({ key: nextKey++, whenType: null, tool: null, params: {} });
export const emptyDraft = (): Draft => ({ name: '', description: '', steps: [newStep()], followUps: [], maxDepth: 1 });

export function fromTemplate(t: Template): Draft {
  return {
    name: t.name,
    description: t.description,
    steps: t.steps.map((s) => ({ key: nextKey++, tool: s.tool, input: s.input, inputType: s.inputType ?? null, params: s.params })),
    followUps: t.followUps.map((r) => ({ key: nextKey++, whenType: r.whenType, tool: r.tool, params: r.params })),
    maxDepth: t.maxDepth,
  };
}

/** What must be fixed before the draft can be saved, in the words the editor shows. */
export function validate(d: Draft): string[] {
  const out: string[] = [];
  if (!d.name.trim()) out.push('Give the template a name.');
  if (d.name.trim().length > NAME_MAX) out.push(`Shorten the name to ${NAME_MAX} characters.`);
  if (d.description.length > DESCRIPTION_MAX) out.push(`Shorten the description to ${DESCRIPTION_MAX.toLocaleString()} characters.`);
  d.steps.forEach((s, i) => {
    if (!s.tool) out.push(`Step ${i + 1}: pick a tool.`);
    if (placeholdersOf(s.input).length === 0) out.push(`Step ${i + 1}: the input needs a {{placeholder}}.`);
  });
  d.followUps.forEach((r, i) => {
    if (!r.whenType || !r.tool) out.push(`Follow-up rule ${i + 1}: pick a type and a tool.`);
  });
  return out;
}

/** The draft without editor-only keys, to tell whether anything changed. */
export function strip(d: Draft) {
  return {
    ...d,
    steps: d.steps.map(({ key: _k, ...s }) => s),
    followUps: d.followUps.map(({ key: _k, ...r }) => r),
  };
}

/** True when the draft differs from what it started from (the template, or an empty draft). */
export function isDirty(d: Draft, template: Template | null): boolean {
  return JSON.stringify(strip(d)) !== JSON.stringify(strip(template ? fromTemplate(template) : emptyDraft()));
}

/** The placeholders the template will ask for when run, in order of first use. */
export function draftPlaceholders(d: Draft): string[] {
  return [...new Set(d.steps.flatMap((s) => placeholdersOf(s.input)))];
}

/** The body of templates.create / templates.update (call only when validate() found nothing). */
export function toBody(d: Draft) {
  return {
    name: d.name.trim(),
    description: d.description,
    steps: d.steps.map((s) => ({ tool: s.tool!, input: s.input.trim(), inputType: s.inputType ?? undefined, params: s.params })),
    followUps: d.followUps.map((r) => ({ whenType: r.whenType!, tool: r.tool!, params: r.params })),
    maxDepth: d.maxDepth,
  };
}

export function patchStep(d: Draft, key: number, patch: Partial<StepDraft>): Draft {
  return { ...d, steps: d.steps.map((s) => (s.key === key ? { ...s, ...patch } : s)) };
}

export function patchRule(d: Draft, key: number, patch: Partial<RuleDraft>): Draft {
  return { ...d, followUps: d.followUps.map((r) => (r.key === key ? { ...r, ...patch } : r)) };
}

/** Move the step at index i by `by` places. */
export function moveStep(d: Draft, i: number, by: number): Draft {
  const steps = [...d.steps];
  const [s] = steps.splice(i, 1);
  steps.splice(i + by, 0, s!);
  return { ...d, steps };
}

const LONE_PLACEHOLDER = /^\{\{\s*([A-Za-z_][\w.]*)\s*\}\}$/;

/**
 * A step's input after its tool changes: an input that is only a type's placeholder (`{{username}}`, the default)
 * follows the new tool's first input type when the tool does not take that type; anything the user wrote is kept.
 */
export function inputForTool(input: string, accepts: readonly EntityType[] | undefined): string {
  if (!accepts?.length) return input;
  const named = LONE_PLACEHOLDER.exec(input.trim())?.[1];
  const isTypeName = named !== undefined && (ENTITY_TYPES as readonly string[]).includes(named);
  if (input.trim() === '' || (isTypeName && !accepts.includes(named as EntityType))) return `{{${accepts[0]}}}`;
  return input;
}
