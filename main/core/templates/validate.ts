import type { ToolRegistry } from '../tools/registry.ts';
import type { ToolDefinition } from '../tools/types.ts';
import { parseToolParams } from '../tools/invoke.ts';
import type { EntityType } from '../../../preload/contract/entities.ts';
import type { FollowUpRule, TemplateStep } from '../../../preload/contract/templates.ts';
import { DossierError } from '../../../preload/contract/errors.ts';

/** The tool by name, or `invalid_input` naming where it was asked for. */
export function requireTool(tools: ToolRegistry, name: string, where: string): ToolDefinition {
  if (!tools.has(name)) throw new DossierError('invalid_input', `${where}: unknown tool "${name}"`);
  return tools.get(name);
}

/** Params checked against the tool's schema now, so a batch never starts with parameters that fail every run. */
export function checkParams(def: ToolDefinition, params: unknown, where: string): void {
  try {
    parseToolParams(def, params ?? {});
  } catch (e) {
    throw new DossierError('invalid_input', `${where}: ${(e as Error).message}`);
  }
}

export function checkAccepts(def: ToolDefinition, type: EntityType, where: string): void {
  if (!def.accepts.includes(type)) {
    throw new DossierError('invalid_input', `${where}: ${def.name} does not accept ${type} inputs (accepts ${def.accepts.join(', ')})`);
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
    const def = requireTool(tools, s.tool, where);
    checkParams(def, s.params, where);
    checkAccepts(def, stepInputType(def, s), where);
  });
  followUps.forEach((r, i) => {
    const where = `follow-up rule ${i + 1}`;
    const def = requireTool(tools, r.tool, where);
    checkParams(def, r.params, where);
    checkAccepts(def, r.whenType, where);
  });
}
