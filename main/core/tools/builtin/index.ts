import type { ToolRegistry } from '../registry.ts';
import type { ToolDefinition } from '../types.ts';
import type { BuiltinDeps } from './deps.ts';
import { usernameSitesTool } from './username-sites.ts';
import { dnsResolveTool } from './dns-resolve.ts';
import { httpProbeTool } from './http-probe.ts';
import { emailInspectTool } from './email-inspect.ts';
import { phoneParseTool } from './phone-parse.ts';
import { imageExifTool } from './image-exif.ts';
import { rdapLookupTool } from './rdap-lookup.ts';
import { commandTool } from './command.ts';
import { httpApiTool } from './http-api.ts';

export type { BuiltinDeps } from './deps.ts';

/** The nine built-in tools of SPEC §3.1, built over the core's site manifest and settings. */
export function builtinTools(deps: BuiltinDeps): ToolDefinition[] {
  // Each keeps its own param type; the registry stores them behind the common interface.
  return [
    usernameSitesTool(deps),
    dnsResolveTool(deps),
    httpProbeTool(deps),
    emailInspectTool(deps),
    phoneParseTool(),
    imageExifTool(deps),
    rdapLookupTool(deps),
    commandTool(),
    httpApiTool(deps),
  ] as unknown as ToolDefinition[];
}

export function registerBuiltinTools(registry: ToolRegistry, deps: BuiltinDeps): ToolRegistry {
  for (const t of builtinTools(deps)) registry.register(t);
  return registry;
}
