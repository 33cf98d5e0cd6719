import { z } from 'zod';
import { method } from './define.ts';
import { Id, type Paged } from './common.ts';
import { ENTITY_TYPES, Properties } from './entities.ts';
import { BatchOptionsPatch, BatchSource, type Batch } from './batches.ts';

/**
 * Batch templates (SPEC §2): versioned steps with `{{placeholder}}` inputs and
 * follow-up rules. Every update bumps `version`; an update or delete that
 * names an `expectedVersion` other than the current one fails with
 * `conflict` and `details: { currentVersion }` (If-Match semantics, the same
 * rule the sync server applies).
 */

/** `{{name}}`: letters, digits, `_` and `.`; names the value it stands for (often an entity type). */
export const PLACEHOLDER_RE = /\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g;

export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER_RE)].map((m) => m[1]!))];
}

export const TemplateStep = z
  .object({
    tool: z.string().min(1).max(100),
    params: Properties.default({}),
    /** The input of this step, e.g. `{{username}}` or `{{user}}@example.com`. */
    input: z.string().min(1).max(1000),
    /** Entity type of the rendered input; default: the first type the tool accepts. */
    inputType: z.enum(ENTITY_TYPES).optional(),
  })
  .refine((s) => placeholdersOf(s.input).length > 0, { message: 'a step input needs at least one {{placeholder}}', path: ['input'] });
export type TemplateStep = z.output<typeof TemplateStep>;

/** "When a step discovers an entity of type `whenType`, run `tool` on it." */
export const FollowUpRule = z.object({
  whenType: z.enum(ENTITY_TYPES),
  tool: z.string().min(1).max(100),
  params: Properties.default({}),
});
export type FollowUpRule = z.output<typeof FollowUpRule>;

const TemplateBody = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(4000).default(''),
  steps: z.array(TemplateStep).min(1).max(50),
  followUps: z.array(FollowUpRule).max(50).default([]),
  /** Follow-up generations allowed when the template runs (0 = none). */
  maxDepth: z.number().int().min(0).max(10).default(1),
};

/** The portable document `templates.export` produces and `templates.import` accepts. */
export const TemplateDocument = z.object({
  dossierTemplate: z.literal(1).default(1),
  ...TemplateBody,
});
export type TemplateDocument = z.output<typeof TemplateDocument>;

export interface Template {
  id: string;
  name: string;
  description: string;
  version: number;
  steps: TemplateStep[];
  followUps: FollowUpRule[];
  maxDepth: number;
  /** Every placeholder the steps use, in order of first use. */
  placeholders: string[];
  usageCount: number;
  /** Shared with the team through the sync server (SPEC §3.9). */
  shared: boolean;
  createdAt: string;
  updatedAt: string;
}

export const templateMethods = {
  'templates.list': method(
    z.object({
      search: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(500).default(100),
      offset: z.number().int().min(0).default(0),
    }),
  ).returns<Paged<Template>>(),
  /** By id or by name. */
  'templates.get': method(z.object({ id: z.string().min(1).max(200) })).returns<Template>(),
  'templates.create': method(z.object(TemplateBody)).returns<Template>(),
  'templates.update': method(
    z.object({
      id: Id,
      expectedVersion: z.number().int().min(1).optional(),
      name: TemplateBody.name.optional(),
      description: z.string().max(4000).optional(),
      steps: TemplateBody.steps.optional(),
      followUps: z.array(FollowUpRule).max(50).optional(),
      maxDepth: TemplateBody.maxDepth.optional(),
    }),
  ).returns<Template>(),
  'templates.delete': method(z.object({ id: Id, expectedVersion: z.number().int().min(1).optional() })).returns<{ id: string; deleted: true }>(),
  /** Start a batch from the template; options.followUpDepth defaults to the template's maxDepth. */
  'templates.run': method(
    z.object({
      id: z.string().min(1).max(200),
      investigationId: Id,
      name: z.string().trim().min(1).max(200).optional(),
      placeholder: z.string().min(1).max(100).optional(),
      source: BatchSource,
      options: BatchOptionsPatch.optional(),
    }),
    { slow: true },
  ).returns<Batch>(),
  /** `onConflict`: what to do when a template of that name exists (default `error` → conflict). */
  'templates.import': method(
    z.object({
      document: z.union([TemplateDocument, z.array(TemplateDocument).min(1).max(500)]),
      onConflict: z.enum(['error', 'replace', 'skip']).default('error'),
      /**
       * Replacing a template that holds `command` steps changes what runs on this machine, also from relay rules that
       * start it: without this, such a replace is refused (`conflict`, details `{ reason: 'command_steps', commandSteps }`).
       */
      confirmCommandSteps: z.boolean().default(false),
    }),
  ).returns<{ created: Template[]; replaced: Template[]; skipped: string[] }>(),
  'templates.export': method(z.object({ id: z.string().min(1).max(200) })).returns<TemplateDocument>(),
};

export type TemplateRunInputs = string | string[] | Record<string, string | string[]>;

/** A step or follow-up that runs a local program: what an import that replaces a template must show before it does. */
export interface CommandStep {
  template: string;
  /** "step 2" or "follow-up 1". */
  where: string;
  command: string;
  args: string;
}

export function commandStepsOf(doc: Pick<TemplateDocument, 'name' | 'steps' | 'followUps'>): CommandStep[] {
  const show = (p: Record<string, unknown>) => ({
    command: String(p.command ?? ''),
    args: Array.isArray(p.args) ? p.args.map(String).join(' ') : String(p.args ?? ''),
  });
  return [
    ...doc.steps.flatMap((st, i) => (st.tool === 'command' ? [{ template: doc.name, where: `step ${i + 1}`, ...show(st.params) }] : [])),
    ...doc.followUps.flatMap((f, i) => (f.tool === 'command' ? [{ template: doc.name, where: `follow-up ${i + 1}`, ...show(f.params) }] : [])),
  ];
}
