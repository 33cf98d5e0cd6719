import { describe, expect, it } from 'vitest';
import { rateSections } from './WebhookCard.tsx';

describe('rateSections', () => {
  it('shows 50% as half green, half red, never all red', () => {
    expect(rateSections(0.5)).toEqual([
      { value: 50, color: 'green.6' },
      { value: 50, color: 'red.4' },
    ]);
    expect(rateSections(1)).toEqual([{ value: 100, color: 'green.6' }]);
    expect(rateSections(0)).toEqual([{ value: 100, color: 'red.4' }]);
    expect(rateSections(null)).toEqual([]);
  });
});
