import type { ToolRegistry } from '../registry.ts';
import type { ToolDefinition } from '../types.ts';
import type { BuiltinDeps } from './deps.ts';
import { usernameSitesTool } from './username-sites.ts';

export type { BuiltinDeps } from './deps.ts';

/** Every built-in tool, built over the core's site manifest and settings. */
export function builtinTools(deps: BuiltinDeps): ToolDefinition[] {
  return [usernameSitesTool(deps)] as unknown as ToolDefinition[];
}

export function registerBuiltinTools(registry: ToolRegistry, deps: BuiltinDeps): ToolRegistry {
  for (const t of builtinTools(deps)) registry.register(t);
  return registry;
}
