import type { ToolRegistry } from '../tools/registry.ts';
import type { ToolDefinition } from '../tools/types.ts';
import { parseToolParams } from '../tools/invoke.ts';
import type { EntityType } from '../../../preload/contract/entities.ts';
import type { FollowUpRule, TemplateStep } from '../../../preload/contract/templates.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { EGRESS_PARAM, egressParam } from '../egress/resolve.ts';

type Path = (string | number)[];

/**
 * `invalid_input` with the same `details.issues` shape core.invoke gives zod errors, so a form puts the message on the
 * field it concerns (a template step's tool, a rule's parameter) instead of one line for the whole form.
 */
function invalid(where: string, message: string, issues: { path: Path; message: string }[]): DossierError {
  return new DossierError('invalid_input', `${where}: ${message}`, { issues: issues.map((i) => ({ ...i, code: 'custom' })) });
}

/** The tool by name, or `invalid_input` naming where it was asked for (`at`: the field's path in the caller's input). */
export function requireTool(tools: ToolRegistry, name: string, where: string, at: Path = ['tool']): ToolDefinition {
  if (!tools.has(name)) throw invalid(where, `unknown tool "${name}"`, [{ path: at, message: `unknown tool "${name}"` }]);
  return tools.get(name);
}

/** Params checked against the tool's schema now, so a batch never starts with parameters that fail every run. */
export function checkParams(def: ToolDefinition, params: unknown, where: string, at: Path = ['params']): void {
  try {
    parseToolParams(def, params ?? {});
  } catch (e) {
    const message = (e as Error).message;
    const parsed = def.params.safeParse(params ?? {});
    const issues = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: [...at, ...(i.path as Path)], message: i.message }));
    if (egressFails(params)) issues.push({ path: [...at, EGRESS_PARAM], message: message.replace(/^invalid parameters: egress: /, '') });
    throw invalid(where, message, issues.length ? issues : [{ path: at, message }]);
  }
}

function egressFails(params: unknown): boolean {
  try {
    egressParam(params);
    return false;
  } catch {
    return true;
  }
}

export function checkAccepts(def: ToolDefinition, type: EntityType, where: string, at: Path = ['inputType']): void {
  if (!def.accepts.includes(type)) {
    const message = `${def.name} does not accept ${type} inputs (accepts ${def.accepts.join(', ')})`;
    throw invalid(where, message, [{ path: at, message }]);
  }
}

/** The entity type a step's rendered input has. */
export function stepInputType(def: ToolDefinition, step: TemplateStep): EntityType {
  return step.inputType ?? def.accepts[0]!;
}

/** Every step and rule names a known tool with valid params and an input type it accepts. */
export function validatePlan(tools: ToolRegistry, steps: TemplateStep[], followUps: FollowUpRule[]): void {
  steps.forEach((s, i) => {
    const where = `step ${i + 1}`;
    const def = requireTool(tools, s.tool, where, ['steps', i, 'tool']);
    checkParams(def, s.params, where, ['steps', i, 'params']);
    checkAccepts(def, stepInputType(def, s), where, ['steps', i, 'inputType']);
  });
  followUps.forEach((r, i) => {
    const where = `follow-up rule ${i + 1}`;
    const def = requireTool(tools, r.tool, where, ['followUps', i, 'tool']);
    checkParams(def, r.params, where, ['followUps', i, 'params']);
    checkAccepts(def, r.whenType, where, ['followUps', i, 'whenType']);
  });
}
