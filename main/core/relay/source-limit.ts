import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

const WINDOW_S = 10;

/**
 * Requests per source address per 10 s window (`relay.rateLimit.perSource`;
 * 0 = off). Over the limit the receiver answers 429 without reading the
 * body or writing the log, so a flood costs neither disk nor the commit path.
 */
export class SourceLimit {
  private readonly limiter: RateLimiterMemory | null;
  constructor(perWindow: number) {
    this.limiter = perWindow > 0 ? new RateLimiterMemory({ keyPrefix: 'relay', points: perWindow, duration: WINDOW_S }) : null;
  }

  /** null when allowed, else the seconds until the source may send again. */
  async take(source: string): Promise<number | null> {
    if (!this.limiter) return null;
    try {
      await this.limiter.consume(source);
      return null;
    } catch (e) {
      if (e instanceof RateLimiterRes) return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      throw e;
    }
  }
}
