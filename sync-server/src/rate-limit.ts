import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { ServerConfig } from './context.ts';

export interface Limits {
  /** API calls per member per minute. */
  member: RateLimiterAbstract;
  /** Failed authentications per source address per minute. */
  authFailures: RateLimiterAbstract;
  /** Requests to one channel's public URL per minute, and to any channel from one source address. */
  channel: RateLimiterAbstract;
  hookSource: RateLimiterAbstract;
}

export const DEFAULT_PER_CHANNEL = 3000;
export const DEFAULT_PER_HOOK_SOURCE = 1200;

/**
 * On PostgreSQL the counters live in the shared `rate_limits` table (created by
 * our migration), so a limit holds across every instance behind the balancer.
 */
export function createLimits(config: ServerConfig['rateLimit'], pool: pg.Pool | null): Limits {
  const make = (keyPrefix: string, points: number): RateLimiterAbstract =>
    pool
      ? new RateLimiterPostgres({ storeClient: pool, storeType: 'pool', tableName: 'rate_limits', tableCreated: true, keyPrefix, points, duration: 60 })
      : new RateLimiterMemory({ keyPrefix, points, duration: 60 });
  return {
    member: make('member', config.perMember),
    authFailures: make('authfail', config.authFailuresPerIp),
    channel: make('channel', config.perChannel ?? DEFAULT_PER_CHANNEL),
    hookSource: make('hooksrc', config.perHookSource ?? DEFAULT_PER_HOOK_SOURCE),
  };
}

/** Consume one point: null when allowed, else the seconds to wait. */
export async function consume(limiter: RateLimiterAbstract, key: string): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (e) {
    if (e instanceof RateLimiterRes) return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
    throw e;
  }
}
