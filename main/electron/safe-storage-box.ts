import { safeStorage } from 'electron';
import type { SecretBox } from '../core/crypto/secret-box.ts';
import { DossierError } from '../../preload/contract/errors.ts';

const PREFIX = 'safestorage1:';

/**
 * Secrets sealed by the OS keychain directly (Keychain, DPAPI, libsecret/kwallet), as the desktop did
 * before its core moved into a process of its own: now used only to open those old values once
 * (keychain-key.ts re-seals them). The availability rule still guards the keychain-wrapped key.
 * Linux without a keyring falls back to Chromium's "basic_text" backend, whose key is
 * a constant compiled into Chromium: that is plaintext with extra steps, so it counts
 * as unavailable and the box refuses to work rather than pretend to protect anything.
 */
export class SafeStorageSecretBox implements SecretBox {
  readonly kind = 'safestorage';

  private constructor() {}

  /** Call after `app` is ready (safeStorage is not initialised before). */
  static create(): SafeStorageSecretBox {
    const reason = unavailableReason();
    if (reason) throw new DossierError('unavailable', reason);
    return new SafeStorageSecretBox();
  }

  encrypt(plain: string): string {
    const reason = unavailableReason();
    if (reason) throw new DossierError('unavailable', reason);
    // The synchronous API is marked deprecated in favour of the async one, but the core's
    // SecretBox is synchronous (secrets are sealed inside SQLite transactions).
    return PREFIX + safeStorage.encryptString(plain).toString('base64');
  }

  decrypt(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) throw new DossierError('internal', 'secret is not sealed with the OS keychain scheme');
    const reason = unavailableReason();
    if (reason) throw new DossierError('unavailable', reason);
    try {
      return safeStorage.decryptString(Buffer.from(sealed.slice(PREFIX.length), 'base64'));
    } catch {
      // Never echo ciphertext or keychain details.
      throw new DossierError('forbidden', 'secret cannot be decrypted with this OS keychain (different user or machine?)');
    }
  }
}

export function unavailableReason(): string | null {
  if (!safeStorage.isEncryptionAvailable()) {
    return 'the OS keychain is not available, so Dossier cannot encrypt secrets; unlock or install a keychain (on Linux: gnome-keyring or kwallet) and start again';
  }
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return 'no Linux keyring was found (safeStorage would use a fixed built-in key); install and unlock gnome-keyring or kwallet, or pass --password-store=gnome-libsecret';
  }
  return null;
}
