import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DossierError } from '../../../preload/contract/errors.ts';

/**
 * Encrypts secrets at rest. The core defines this interface; the Electron
 * shell supplies a safeStorage implementation, CLI/browser mode the key file one.
 */
export interface SecretBox {
  readonly kind: string;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

const PREFIX = 'aesgcm1:';

/** AES-256-GCM with a 32-byte key kept in a file of mode 0600. */
export class KeyFileSecretBox implements SecretBox {
  readonly kind = 'keyfile';
  private readonly key: Buffer;
  constructor(readonly keyFile: string) {
    this.key = KeyFileSecretBox.loadOrCreate(keyFile);
  }

  static loadOrCreate(file: string): Buffer {
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      const key = randomBytes(32);
      // Written whole to a private temporary file, then linked into place: a second process starting at
      // the same moment sees either no key file or a complete one, never an empty one, and the first link wins.
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      writeFileSync(tmp, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
      try {
        linkSync(tmp, file);
        chmodSync(file, 0o600);
        return key;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        // Another process won: use its key.
      } finally {
        unlinkSync(tmp);
      }
    }
    if (process.platform !== 'win32') {
      const mode = statSync(file).mode & 0o777;
      if (mode & 0o077) chmodSync(file, 0o600);
    }
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new DossierError('internal', `key file ${file} is not a 32-byte base64 key`);
    return key;
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return PREFIX + Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
  }

  decrypt(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) throw new DossierError('internal', 'secret is not sealed with the key file scheme');
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    } catch {
      // Never include the ciphertext or key material in the message.
      throw new DossierError('forbidden', 'secret cannot be decrypted with this key file (wrong or replaced key)');
    }
  }
}
