import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { safeStorage } from 'electron';
import { AesGcmSecretBox, loadOrCreateKey } from '../core/crypto/secret-box.ts';
import { rewrapSealed } from '../core/crypto/rewrap.ts';
import { dataFiles } from '../core/paths.ts';
import { DossierError } from '../../preload/contract/errors.ts';
import { SafeStorageSecretBox, unavailableReason } from './safe-storage-box.ts';

/** The file beside the database that holds the secrets key, sealed by the OS keychain. */
export const KEYCHAIN_KEY_FILE = 'secret.key.safestorage';

/**
 * The key that seals secrets at rest on the desktop, kept in the data directory sealed by the OS keychain.
 * safeStorage exists only in Electron's main process, so main unseals the key and hands it to the core
 * process at start (over its private channel, never argv or the environment); the core seals with it.
 * Without a usable keychain this refuses, as the safeStorage box always did: no silent downgrade.
 */
export function keychainKey(dataDir: string): Buffer {
  const reason = unavailableReason();
  if (reason) throw new DossierError('unavailable', reason);
  return loadOrCreateKey(join(dataDir, KEYCHAIN_KEY_FILE), {
    seal: (key) => safeStorage.encryptString(key.toString('base64')).toString('base64'),
    open: (text) => {
      try {
        return Buffer.from(safeStorage.decryptString(Buffer.from(text, 'base64')), 'base64');
      } catch {
        throw new DossierError('forbidden', 'the secrets key cannot be opened with this OS keychain (different user or machine?)');
      }
    },
  });
}

/**
 * Secrets an older desktop sealed with safeStorage directly (`safestorage1:`) are re-sealed with the
 * keychain-wrapped key, once, before the core process starts (only this process can open them). A
 * marker file records that it was done; until then every start tries again, so a failed pass loses nothing.
 */
export function migrateSafeStorageSecrets(dataDir: string, key: Buffer): number {
  const marker = join(dataDir, `${KEYCHAIN_KEY_FILE}.migrated`);
  const database = dataFiles(dataDir).database;
  if (existsSync(marker)) return 0;
  let changed = 0;
  if (existsSync(database)) {
    const sqlite = new Database(database);
    try {
      const old = SafeStorageSecretBox.create();
      changed = rewrapSealed(sqlite, 'safestorage1:', (s) => old.decrypt(s), new AesGcmSecretBox(key, 'safestorage'));
    } finally {
      sqlite.close();
    }
  }
  writeFileSync(marker, `${new Date().toISOString()} ${changed}\n`, { mode: 0o600 });
  return changed;
}
