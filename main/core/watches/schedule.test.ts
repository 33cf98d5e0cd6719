import { describe, expect, it } from 'vitest';
import { nextSlot, parseEvery, toSchedule } from './schedule.ts';

const t = (s: string) => Date.parse(s);

describe('watch schedules', () => {
  it('intervals step on a fixed grid from their anchor, whatever time it is asked at', () => {
    const s = toSchedule({ every: 'every 6h', timezone: 'UTC' });
    expect(s.everyMs).toBe(6 * 3_600_000);
    const anchor = t('2026-12-01T00:00:00Z');
    expect(nextSlot(s, anchor, anchor)).toBe(t('2026-12-01T06:00:00Z'));
    // Asked well after several missed slots: the next one on the grid after now, not one per missed slot.
    expect(nextSlot(s, t('2026-12-02T01:30:00Z'), anchor)).toBe(t('2026-12-02T06:00:00Z'));
    expect(parseEvery('30m')).toBe(1_800_000);
    expect(parseEvery('1d')).toBe(86_400_000);
  });

  it('cron slots are wall-clock times in the time zone and keep their hour across a DST change', () => {
    const s = toSchedule({ cron: '0 9 * * *', timezone: 'America/New_York' });
    // 09:00 EST is 14:00Z; after the spring change (8 March 2026) 09:00 EDT is 13:00Z.
    expect(new Date(nextSlot(s, t('2026-03-07T12:00:00Z'))).toISOString()).toBe('2026-03-07T14:00:00.000Z');
    expect(new Date(nextSlot(s, t('2026-03-08T12:00:00Z'))).toISOString()).toBe('2026-03-08T13:00:00.000Z');
  });

  it('a cron time that does not exist on the DST day fires once that day, at the first valid time', () => {
    const s = toSchedule({ cron: '30 2 * * *', timezone: 'Europe/Berlin' });
    const slots: number[] = [];
    let at = t('2026-03-28T00:00:00Z');
    for (let i = 0; i < 3; i++) slots.push((at = nextSlot(s, at)));
    expect(slots.map((x) => new Date(x).toISOString())).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:00:00.000Z', // 02:30 does not exist; 03:00 CEST, once
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('refuses bad intervals and bad cron expressions with invalid_input', () => {
    expect(() => parseEvery('every 10s')).toThrow(/not an interval/);
    expect(() => parseEvery('0m')).toThrow(/at most once a minute/);
    expect(() => toSchedule({ cron: 'not a cron', timezone: 'UTC' })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => toSchedule({ cron: '61 * * * *', timezone: 'UTC' })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
