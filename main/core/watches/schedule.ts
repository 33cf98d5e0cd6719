import { Cron } from 'croner';
import { DossierError } from '../../../preload/contract/errors.ts';
import { EVERY_MIN_MS, EVERY_RE } from '../../../preload/contract/watches.ts';

/** A watch's schedule: a fixed interval, or a cron expression read in a time zone (croner). */
export interface Schedule {
  everyMs: number | null;
  cron: string | null;
  timezone: string;
}

const UNIT_MS: Record<string, number> = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseEvery(text: string): number {
  const m = EVERY_RE.exec(text.trim());
  if (!m) throw new DossierError('invalid_input', `"${text}" is not an interval (use e.g. "6h", "every 30m", "1d")`);
  const ms = Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!;
  if (ms < EVERY_MIN_MS) throw new DossierError('invalid_input', 'a watch runs at most once a minute');
  return ms;
}

export function formatEvery(ms: number): string {
  if (ms % 86_400_000 === 0) return `every ${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `every ${ms / 3_600_000}h`;
  return `every ${Math.round(ms / 60_000)}m`;
}

function cronOf(expr: string, timezone: string): Cron {
  try {
    // paused: croner is used as a calculator only; the scheduler owns the timing (and the durable next due time).
    return new Cron(expr, { timezone, paused: true });
  } catch (e) {
    throw new DossierError('invalid_input', `cron "${expr}": ${(e as Error).message}`);
  }
}

/** Validate a schedule from the contract and turn it into what is stored. */
export function toSchedule(s: { every?: string; cron?: string; timezone: string }): Schedule {
  if (s.every) return { everyMs: parseEvery(s.every), cron: null, timezone: s.timezone };
  const cron = s.cron!.trim();
  const c = cronOf(cron, s.timezone);
  if (!c.nextRun(new Date())) throw new DossierError('invalid_input', `cron "${cron}" never fires`);
  return { everyMs: null, cron, timezone: s.timezone };
}

/**
 * The first slot strictly after `after`. Intervals count from `anchor` (the
 * previous slot, or the creation time), so slots stay on a fixed grid;
 * cron slots are wall-clock times in the schedule's time zone, so "09:00"
 * stays 09:00 across a DST change (and a time that does not exist that day
 * fires once, at the first valid time after it).
 */
export function nextSlot(s: Schedule, after: number, anchor: number = after): number {
  if (s.everyMs) {
    if (anchor > after) return anchor;
    const steps = Math.floor((after - anchor) / s.everyMs) + 1;
    return anchor + steps * s.everyMs;
  }
  const next = cronOf(s.cron!, s.timezone).nextRun(new Date(after));
  if (!next) throw new DossierError('invalid_input', `cron "${s.cron}" has no run after ${new Date(after).toISOString()}`);
  return next.getTime();
}

export function describeSchedule(s: Schedule): string {
  if (s.everyMs) return formatEvery(s.everyMs);
  return `cron "${s.cron}" (${s.timezone})`;
}
