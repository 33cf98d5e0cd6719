import { describe, expect, it } from 'vitest';
import { fromRows, toRows } from './property-rows.ts';

describe('property rows', () => {
  it('round-trips every kind of value unchanged', () => {
    const props = { site: 'forum', followers: 120, verified: true, tags: ['a', 'b'], id: '120' };
    expect(fromRows(toRows(props))).toEqual({ ok: true, properties: props });
  });

  it('drops empty rows, trims names, refuses a nameless value, a duplicate and bad JSON with the row', () => {
    expect(
      fromRows([
        { key: ' city ', text: 'Lyon', json: false },
        { key: '', text: '', json: false },
      ]),
    ).toEqual({ ok: true, properties: { city: 'Lyon' } });
    expect(fromRows([{ key: '', text: 'x', json: false }])).toMatchObject({ ok: false, index: 0, message: /needs a name/ });
    expect(
      fromRows([
        { key: 'a', text: '1', json: false },
        { key: 'a ', text: '2', json: false },
      ]),
    ).toMatchObject({ ok: false, index: 1 });
    expect(fromRows([{ key: 'n', text: '12x', json: true }])).toMatchObject({ ok: false, index: 0, message: /Not valid JSON/ });
  });
});
