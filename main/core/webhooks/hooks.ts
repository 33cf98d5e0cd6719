import type { Clock } from '../util/time.ts';
import { parseJson } from '../util/json.ts';
import { signingKey, type SigningKey } from './delivery/signing.ts';
import { openCustomHeaders } from './custom-headers.ts';
import type { DeliveryStatements } from './statements.ts';

/** A webhook as the worker needs it: parsed, with its signing keys ready. */
export interface LiveWebhook {
  id: string;
  url: string;
  events: Set<string>;
  headers: Record<string, string>;
  active: boolean;
  allowPrivateNetwork: boolean;
  timeoutMs: number;
  current: SigningKey;
  previous: SigningKey | null;
  previousExpiresAt: number | null;
}

/** Every webhook, parsed; cached briefly because another process may change them. */
export class HookCache {
  private readonly keyCache = new Map<string, SigningKey>();
  private hooks: Map<string, LiveWebhook> | null = null;
  private hooksAt = 0;

  constructor(
    private readonly st: DeliveryStatements,
    private readonly clock: Clock,
    private readonly decrypt: (sealed: string) => string,
  ) {}

  private key(sealed: string): SigningKey {
    let k = this.keyCache.get(sealed);
    if (!k) {
      k = signingKey(this.decrypt(sealed));
      this.keyCache.set(sealed, k);
    }
    return k;
  }

  get(now = this.clock.now()): Map<string, LiveWebhook> {
    if (this.hooks && now - this.hooksAt < 1000) return this.hooks;
    const map = new Map<string, LiveWebhook>();
    for (const r of this.st.allHooks.all()) {
      const prevValid = r.previous_secret_sealed !== null && (r.previous_secret_expires_at ?? 0) > now;
      map.set(r.id, {
        id: r.id,
        url: r.url,
        events: new Set(parseJson<string[]>(r.events, [])),
        headers: openCustomHeaders(this.decrypt, r.headers),
        active: r.active === 1,
        allowPrivateNetwork: r.allow_private_network === 1,
        timeoutMs: r.timeout_ms,
        current: this.key(r.secret_sealed),
        previous: prevValid ? this.key(r.previous_secret_sealed!) : null,
        previousExpiresAt: prevValid ? r.previous_secret_expires_at : null,
      });
    }
    this.hooks = map;
    this.hooksAt = now;
    return map;
  }

  /** Read them again on the next use. */
  forget(): void {
    this.hooks = null;
  }
}
