import { z } from 'zod';
import { method } from './define.ts';

/**
 * Every user setting, with its schema and default: the one source of truth
 * for `dossier config`, the settings UI and the core. Keys are dotted.
 */
export const SETTINGS = {
  'ui.theme': { schema: z.enum(['light', 'dark', 'auto']), default: 'auto', description: 'Colour scheme of the UI' },
  'serve.port': { schema: z.coerce.number().int().min(0).max(65535), default: 0, description: 'Browser-mode port (0 = any free port)' },
  'relay.host': { schema: z.string().min(1), default: '127.0.0.1', description: 'Address the local webhook relay binds to' },
  'relay.port': { schema: z.coerce.number().int().min(0).max(65535), default: 8787, description: 'Port of the local webhook relay' },
  'executor.concurrency': { schema: z.coerce.number().int().min(1).max(500), default: 64, description: 'Operations running at once across all batches' },
  'sync.server': { schema: z.union([z.literal(''), z.url()]), default: '', description: 'URL of the team sync server' },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.output<(typeof SETTINGS)[K]['schema']>;
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export interface SettingEntry {
  key: SettingKey;
  value: unknown;
  default: unknown;
  description: string;
}

export const settingsMethods = {
  'settings.list': method(z.object({}).default({})).returns<SettingEntry[]>(),
  'settings.get': method(z.object({ key: z.enum(SETTING_KEYS as [SettingKey, ...SettingKey[]]) })).returns<SettingEntry>(),
  'settings.set': method(
    z.object({ key: z.enum(SETTING_KEYS as [SettingKey, ...SettingKey[]]), value: z.unknown() }),
  ).returns<SettingEntry>(),
  'app.info': method(z.object({}).default({})).returns<{ version: string; dataDir: string; mode: 'electron' | 'browser' | 'cli' | 'test' }>(),
};
