import { setTimeout as sleep } from 'node:timers/promises';
import type { HostState } from '../../../preload/contract/batches.ts';
import { ToolError, type HostGate, type RateLimit } from '../tools/types.ts';
import { ToolAbortError } from '../tools/errors.ts';
import type { Clock } from '../util/time.ts';
import { iso } from '../util/time.ts';

export interface GateSettings {
  /** Per-host overrides by `host[:port]` (the URL's host, as the HTTP client reports it). */
  hostRates: Record<string, RateLimit>;
  /** Requests per second for a host when neither the host nor the tool sets a limit. */
  defaultRate: number;
  /** Consecutive transient failures that open a circuit. */
  breakerFailures: number;
  /** How long an open circuit refuses before letting one probe through. */
  breakerCooldownMs: number;
}

/** Refused because the host's circuit is open; transient, and the executor reschedules it without spending a retry. */
export class CircuitOpenError extends ToolError {
  constructor(host: string, retryAfterMs: number) {
    super('transient', `circuit open for ${host}: too many consecutive failures, next probe in ${Math.ceil(retryAfterMs / 1000)} s`, { host, retryAfterMs, errorCode: 'circuit_open' });
    this.name = 'CircuitOpenError';
  }
}

interface HostEntry {
  host: string;
  perSecond: number;
  burst: number;
  /** May go negative: each waiter reserves its token and sleeps off the deficit (FIFO without a queue). */
  tokens: number;
  refilledAt: number;
  blockedUntil: number;
  circuit: HostState['circuit'];
  failures: number;
  probeAt: number;
  /** When the half-open probe was let through (0 = none in flight). */
  probeSince: number;
}

/**
 * The executor's HostGate: a token bucket per host (Retry-After pushes the
 * bucket's start into the future) and a circuit breaker per host
 * (closed → open after N consecutive transient failures → half-open after a
 * cool-down, when one probe may pass → closed on success, open again on failure).
 */
export class ExecutorGate {
  private readonly hosts = new Map<string, HostEntry>();

  constructor(
    private settings: GateSettings,
    private readonly clock: Clock,
    private readonly onChange: (s: HostState) => void = () => undefined,
  ) {}

  update(settings: GateSettings): void {
    this.settings = settings;
    for (const e of this.hosts.values()) {
      const o = settings.hostRates[e.host];
      if (o) {
        e.perSecond = o.perSecond;
        e.burst = o.burst;
      }
    }
  }

  /** The gate a tool run receives; `rate` is the tool's declared limit, used for hosts without an override. `who` is told of the trips its reports cause. */
  forTool(rate?: RateLimit, who?: { onTrip(host: string, at: number): void }): HostGate {
    return {
      acquire: (host, signal) => this.acquire(host, signal, rate),
      report: (host, outcome) => {
        if (this.report(host, outcome) && who) who.onTrip(host, this.clock.now());
      },
    };
  }

  /** Would a request to `host` be refused right now? Returns ms until a probe may pass, or 0. */
  refusalMs(host: string): number {
    const e = this.hosts.get(host);
    if (!e) return 0;
    const now = this.clock.now();
    if (e.circuit === 'open' && now < e.probeAt) return e.probeAt - now;
    if (e.circuit === 'half_open' && e.probeSince && now - e.probeSince < this.settings.breakerCooldownMs) return this.settings.breakerCooldownMs;
    return 0;
  }

  async acquire(host: string, signal: AbortSignal, rate?: RateLimit): Promise<void> {
    const e = this.entry(host, rate);
    this.admitCircuit(e);
    try {
      for (;;) {
        if (signal.aborted) throw new ToolAbortError(signal.reason);
        let now = this.clock.now();
        if (now < e.blockedUntil) {
          await sleep(e.blockedUntil - now, undefined, { signal });
          continue;
        }
        this.refill(e, now);
        e.tokens -= 1;
        if (e.tokens >= 0) return;
        try {
          await sleep(Math.ceil((-e.tokens / e.perSecond) * 1000), undefined, { signal });
        } catch (err) {
          e.tokens += 1;
          throw err;
        }
        now = this.clock.now();
        // A Retry-After arrived while we waited: give the reservation back and queue behind the block.
        if (now < e.blockedUntil) {
          e.tokens += 1;
          continue;
        }
        return;
      }
    } catch (err) {
      if (e.probeSince) e.probeSince = 0; // the probe never went out: let the next caller probe
      if (err instanceof Error && err.name === 'AbortError' && !(err instanceof ToolAbortError)) throw new ToolAbortError(signal.reason);
      throw err;
    }
  }

  /** Returns true when this report tripped the circuit (closed or half-open → open). */
  report(host: string, outcome: { ok: boolean; transient?: boolean; retryAfterMs?: number }): boolean {
    const e = this.entry(host);
    const now = this.clock.now();
    let changed = false;
    let tripped = false;
    if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > 0) {
      const until = now + outcome.retryAfterMs;
      if (until > e.blockedUntil) {
        e.blockedUntil = until;
        // Nothing accrues while blocked; the bucket restarts empty when the block ends.
        e.tokens = Math.min(e.tokens, 0);
        e.refilledAt = until;
        changed = true;
      }
    }
    if (outcome.ok) {
      if (e.circuit !== 'closed') changed = true;
      e.failures = 0;
      e.circuit = 'closed';
      e.probeSince = 0;
    } else if (outcome.transient) {
      e.failures++;
      if (e.circuit === 'half_open' || (e.circuit === 'closed' && e.failures >= this.settings.breakerFailures)) {
        e.circuit = 'open';
        e.probeAt = now + this.settings.breakerCooldownMs;
        e.probeSince = 0;
        changed = true;
        tripped = true;
      }
    }
    if (changed) this.onChange(this.state(e));
    return tripped;
  }

  states(): HostState[] {
    return [...this.hosts.values()].sort((a, b) => a.host.localeCompare(b.host)).map((e) => this.state(e));
  }

  private admitCircuit(e: HostEntry): void {
    const now = this.clock.now();
    if (e.circuit === 'open') {
      if (now < e.probeAt) throw new CircuitOpenError(e.host, e.probeAt - now);
      e.circuit = 'half_open';
      e.probeSince = 0;
      this.onChange(this.state(e));
    }
    if (e.circuit === 'half_open') {
      // One probe at a time; a probe that never reported is given up after a cool-down.
      if (e.probeSince && now - e.probeSince < this.settings.breakerCooldownMs) {
        throw new CircuitOpenError(e.host, this.settings.breakerCooldownMs - (now - e.probeSince));
      }
      e.probeSince = now;
    }
  }

  private refill(e: HostEntry, now: number): void {
    if (now <= e.refilledAt) return;
    e.tokens = Math.min(e.burst, e.tokens + ((now - e.refilledAt) / 1000) * e.perSecond);
    e.refilledAt = now;
  }

  private entry(host: string, rate?: RateLimit): HostEntry {
    let e = this.hosts.get(host);
    if (!e) {
      const r = this.settings.hostRates[host] ?? (rate && rate.perSecond > 0 ? rate : { perSecond: this.settings.defaultRate, burst: Math.max(1, Math.ceil(this.settings.defaultRate)) });
      e = {
        host,
        perSecond: r.perSecond,
        burst: Math.max(1, r.burst),
        tokens: Math.max(1, r.burst),
        refilledAt: this.clock.now(),
        blockedUntil: 0,
        circuit: 'closed',
        failures: 0,
        probeAt: 0,
        probeSince: 0,
      };
      this.hosts.set(host, e);
    }
    return e;
  }

  private state(e: HostEntry): HostState {
    const now = this.clock.now();
    return {
      host: e.host,
      circuit: e.circuit,
      consecutiveFailures: e.failures,
      probeAt: e.circuit === 'open' ? iso(e.probeAt) : null,
      blockedUntil: e.blockedUntil > now ? iso(e.blockedUntil) : null,
      perSecond: e.perSecond,
      burst: e.burst,
      tokens: Math.max(0, Math.floor(e.tokens)),
    };
  }
}
