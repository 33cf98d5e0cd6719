import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { iso } from '../util/time.ts';
import { CredentialNameInput as CredentialName, MAX_SECRET_BYTES, type CredentialInfo } from '../../../preload/contract/tools.ts';

export { CredentialName, MAX_SECRET_BYTES, type CredentialInfo };

/**
 * Named secrets for tools (API keys), sealed with ctx.secrets (AES-256-GCM key
 * file, or Electron safeStorage in the desktop). Only `reveal` returns a
 * plaintext, and only to a running tool; nothing here logs or echoes a value.
 */
export class Vault {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
    private readonly now: () => number = Date.now,
  ) {}

  async set(name: string, secret: string, description = ''): Promise<CredentialInfo> {
    const parsed = CredentialName.safeParse(name);
    if (!parsed.success) throw new DossierError('invalid_input', `credential name: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const n = parsed.data;
    if (!secret) throw new DossierError('invalid_input', 'the secret is empty');
    if (Buffer.byteLength(secret) > MAX_SECRET_BYTES) throw new DossierError('invalid_input', `the secret is longer than ${MAX_SECRET_BYTES} bytes`);
    const sealed = this.box.encrypt(secret);
    const t = this.now();
    await this.db
      .insertInto('credentials')
      .values({ name: n, value_sealed: sealed, box_kind: this.box.kind, description, created_at: t, updated_at: t })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value_sealed: sealed, box_kind: this.box.kind, description, updated_at: t }))
      .execute();
    return this.info(n);
  }

  async info(name: string): Promise<CredentialInfo> {
    const r = await this.db.selectFrom('credentials').select(['name', 'description', 'box_kind', 'created_at', 'updated_at']).where('name', '=', name).executeTakeFirst();
    if (!r) throw new DossierError('not_found', `credential "${name}" is not set`);
    return { name: r.name, description: r.description, boxKind: r.box_kind, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at) };
  }

  async list(): Promise<CredentialInfo[]> {
    const rows = await this.db.selectFrom('credentials').select(['name', 'description', 'box_kind', 'created_at', 'updated_at']).orderBy('name').execute();
    return rows.map((r) => ({ name: r.name, description: r.description, boxKind: r.box_kind, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at) }));
  }

  async delete(name: string): Promise<{ name: string; deleted: true }> {
    const res = await this.db.deleteFrom('credentials').where('name', '=', name).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw new DossierError('not_found', `credential "${name}" is not set`);
    return { name, deleted: true };
  }

  /** The plaintext, for a tool about to use it. Errors name the credential, never its value. */
  async reveal(name: string): Promise<string> {
    const r = await this.db.selectFrom('credentials').select(['value_sealed', 'box_kind']).where('name', '=', name).executeTakeFirst();
    if (!r) throw new DossierError('not_found', `credential "${name}" is not set`);
    if (r.box_kind !== this.box.kind) {
      throw new DossierError('forbidden', `credential "${name}" was sealed by ${r.box_kind} and cannot be opened by ${this.box.kind}; set it again`);
    }
    try {
      return this.box.decrypt(r.value_sealed);
    } catch {
      throw new DossierError('forbidden', `credential "${name}" cannot be decrypted (wrong or replaced key); set it again`);
    }
  }
}
