import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DossierError } from '../../../preload/contract/errors.ts';

/**
 * Encrypts secrets at rest. The core defines this interface; the desktop's core process gets a key
 * sealed by the OS keychain (AesGcmSecretBox), CLI/browser mode the key file one.
 */
export interface SecretBox {
  readonly kind: string;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

const PREFIX = 'aesgcm1:';

/**
 * AES-256-GCM with a 32-byte key held in memory. The desktop's core host gets its key from the main
 * process, which keeps it sealed by the OS keychain (safeStorage exists only in Electron's main process).
 */
export class AesGcmSecretBox implements SecretBox {
  constructor(
    private readonly key: Buffer,
    readonly kind: string,
    /** Where the key comes from, for the message when a secret does not open. */
    private readonly keyName = 'this key',
  ) {
    if (key.length !== 32) throw new DossierError('internal', `a secret box key must be 32 bytes, got ${key.length}`);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return PREFIX + Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
  }

  decrypt(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) throw new DossierError('internal', `secret is not sealed with the ${PREFIX} scheme`);
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    } catch {
      // Never include the ciphertext or key material in the message.
      throw new DossierError('forbidden', `secret cannot be decrypted with ${this.keyName} (wrong or replaced key)`);
    }
  }
}

/** AES-256-GCM with a 32-byte key kept in a file of mode 0600 (the CLI, browser mode). */
export class KeyFileSecretBox extends AesGcmSecretBox {
  constructor(readonly keyFile: string) {
    super(KeyFileSecretBox.loadOrCreate(keyFile), 'keyfile', 'this key file');
  }

  static loadOrCreate(file: string): Buffer {
    return loadOrCreateKey(file, { seal: (key) => key.toString('base64'), open: (text) => Buffer.from(text, 'base64') });
  }
}

/** How a key is kept in its file: as base64 (the key file), or sealed further (the desktop seals it with the OS keychain). */
export interface KeyWrapping {
  seal(key: Buffer): string;
  open(text: string): Buffer;
}

/** Reads the 32-byte key of `file`, or creates the file with a new random key. */
export function loadOrCreateKey(file: string, wrap: KeyWrapping): Buffer {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const key = randomBytes(32);
    // Written whole to a private temporary file, then linked into place: a second process starting at
    // the same moment sees either no key file or a complete one, never an empty one, and the first link wins.
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, wrap.seal(key) + '\n', { mode: 0o600, flag: 'wx' });
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
  const key = wrap.open(readFileSync(file, 'utf8').trim());
  if (key.length !== 32) throw new DossierError('internal', `key file ${file} does not hold a 32-byte key`);
  return key;
}
