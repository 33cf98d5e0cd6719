import type { Command } from 'commander';
import { SETTINGS, SETTING_KEYS, type SettingKey } from '../../../preload/contract/settings.ts';
import { withCore } from '../core.ts';
import { globals } from '../globals.ts';
import { emit, table } from '../output.ts';
import { UsageError } from '../errors.ts';

function key(k: string): SettingKey {
  if (!(k in SETTINGS)) throw new UsageError(`unknown setting "${k}"; known: ${SETTING_KEYS.join(', ')}`);
  return k as SettingKey;
}

/** Objects and lists print as JSON, so `config get` output can be pasted back into `config set`. */
function show(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

export function registerConfig(program: Command): void {
  const config = program.command('config').description('read and change settings');
  config
    .command('get [key]')
    .description('print a setting (or all of them)')
    .action(async (k: string | undefined, _o: unknown, cmd: Command) => {
      if (k === undefined) {
        const all = await withCore(cmd, (core) => core.call('settings.list', {}));
        emit(globals(cmd), all, () => table(all, ['key', 'value', 'default', 'description']));
        return;
      }
      const entry = await withCore(cmd, (core) => core.call('settings.get', { key: key(k) }));
      emit(globals(cmd), entry, () => show(entry.value));
    });
  config
    .command('set <key> <value>')
    .description('change a setting')
    .action(async (k: string, v: string, _o: unknown, cmd: Command) => {
      const entry = await withCore(cmd, (core) => core.call('settings.set', { key: key(k), value: v }));
      emit(globals(cmd), entry, () => `${entry.key} = ${show(entry.value)}`);
    });
}
