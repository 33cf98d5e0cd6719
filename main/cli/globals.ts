import type { Command } from 'commander';
import { defaultDataDir } from '../core/paths.ts';

export interface GlobalOptions {
  dataDir: string;
  json: boolean;
}

/** Global flags live on the root program; subcommands read them through here. */
export function globals(cmd: Command): GlobalOptions {
  let root: Command = cmd;
  while (root.parent) root = root.parent;
  const o = root.opts<{ dataDir?: string; json?: boolean }>();
  return { dataDir: o.dataDir ?? defaultDataDir(), json: Boolean(o.json) };
}
