import type { ToolDefinition } from './types.ts';
import { DossierError } from '../../../preload/contract/errors.ts';

/** The tools the core knows by name. Built-ins are registered at start; tests may add their own. */
export class ToolRegistry {
  private readonly tools = new Map<string, ToolDefinition>();

  register(def: ToolDefinition): this {
    if (this.tools.has(def.name)) throw new DossierError('conflict', `tool ${def.name} is already registered`);
    this.tools.set(def.name, def);
    return this;
  }

  /** Replace or add: for user-defined tools that can be edited. */
  upsert(def: ToolDefinition): this {
    this.tools.set(def.name, def);
    return this;
  }

  get(name: string): ToolDefinition {
    const t = this.tools.get(name);
    if (!t) throw new DossierError('not_found', `unknown tool "${name}"`);
    return t;
  }

  has(name: string): boolean {
    return this.tools.has(name);
  }

  list(): ToolDefinition[] {
    return [...this.tools.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}
