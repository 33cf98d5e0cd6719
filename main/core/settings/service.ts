import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import {
  SETTINGS,
  SETTING_KEYS,
  type SettingEntry,
  type SettingKey,
  type SettingValue,
} from '../../../preload/contract/settings.ts';
import { DossierError } from '../../../preload/contract/errors.ts';

export class SettingsService {
  constructor(private readonly db: Kysely<Database>) {}

  async get<K extends SettingKey>(key: K): Promise<SettingValue<K>> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    if (!row) return SETTINGS[key].default as SettingValue<K>;
    return JSON.parse(row.value) as SettingValue<K>;
  }

  async entry(key: SettingKey): Promise<SettingEntry> {
    const def = SETTINGS[key];
    return { key, value: await this.get(key), default: def.default, description: def.description };
  }

  async list(): Promise<SettingEntry[]> {
    return Promise.all(SETTING_KEYS.map((k) => this.entry(k)));
  }

  async set(key: SettingKey, raw: unknown): Promise<SettingEntry> {
    const def = SETTINGS[key];
    if (!def) throw new DossierError('invalid_input', `unknown setting "${String(key)}"`);
    const parsed = def.schema.safeParse(raw);
    if (!parsed.success) {
      throw new DossierError('invalid_input', `invalid value for ${key}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
    await this.db
      .insertInto('settings')
      .values({ key, value: JSON.stringify(parsed.data), updated_at: Date.now() })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(parsed.data), updated_at: Date.now() }))
      .execute();
    return this.entry(key);
  }
}
