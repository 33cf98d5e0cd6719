import { describe, expect, it } from 'vitest';
import { describeNode, fromDraft, newCondition, newGroup, toDraft, updateNode, withoutPart } from './draft.ts';
import type { Filter } from '../../../../preload/contract/filters.ts';

describe('filter builder draft', () => {
  it('round-trips a filter through the draft', () => {
    const f: Filter = {
      or: [
        { field: 'value', op: 'ends_with', value: '.ru' },
        { and: [{ field: 'firstSeen', op: 'between', value: ['2026-11-30', '2026-12-02'] }, { field: 'type', op: 'is_any_of', value: ['email', 'domain'] }] },
        { field: 'httpStatus', op: 'gte', value: 400 },
      ],
    };
    expect(fromDraft('entities', toDraft(f))).toEqual(f);
  });

  it('leaves out incomplete conditions and empty groups, and refuses what the core would', () => {
    const d = newGroup('and', [newCondition('entities', 'value'), newGroup('or', [])]);
    expect(fromDraft('entities', d)).toBeNull();
    const c = d.children[0]!;
    const filled = updateNode(d, c.key, (n) => ({ ...n, value: 'x' }) as typeof c);
    expect(fromDraft('entities', filled)).toEqual({ and: [{ field: 'value', op: 'equals', value: 'x' }] });
    const num = newCondition('entities', 'httpStatus');
    expect(fromDraft('entities', newGroup('and', [{ ...num, value: 'abc' }]))).toBeNull();
    const late = newCondition('entities', 'firstSeen');
    expect(fromDraft('entities', newGroup('and', [{ ...late, op: 'between', value: '2026-12-05', value2: '2026-12-01' }]))).toBeNull();
  });

  it('describes parts for badges and removes one part', () => {
    const f: Filter = { and: [{ field: 'value', op: 'ends_with', value: '.ru' }, { field: 'type', op: 'is', value: 'email' }] };
    expect(describeNode('entities', f.and[0]!)).toBe('Value ends with “.ru”');
    expect(withoutPart(f, 0)).toEqual({ and: [{ field: 'type', op: 'is', value: 'email' }] });
    expect(withoutPart({ and: [f.and[0]!] }, 0)).toBeNull();
  });
});
