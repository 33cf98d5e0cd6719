import { describe, expect, it } from 'vitest';
import { describeProblem, parsePastedLines } from './paste-list.ts';
import { BATCH_LIST_MAX } from '../../../../preload/contract/batches.ts';

const values = (text: string) => parsePastedLines(text).values;

describe('parsePastedLines', () => {
  it('takes one value per line, trimmed, without blanks or repeats, in first-seen order', () => {
    expect(values('alice\r\n  bob \n\n\nalice\ncarol\n')).toEqual(['alice', 'bob', 'carol']);
  });

  it('splits cells pasted from a spreadsheet row', () => {
    expect(values('alice\tbob\ncarol, dave')).toEqual(['alice', 'bob', 'carol', 'dave']);
  });

  it('gives nothing for whitespace only', () => {
    expect(parsePastedLines(' \n\t ,')).toEqual({ values: [], problem: null });
  });

  it('names the first line too long for a batch, by its number in the paste (blank lines and repeats counted), with its start', () => {
    const text = ['alice', '', 'alice', 'bob', 'x'.repeat(5000), 'y'.repeat(6000)].join('\r\n');
    const { problem } = parsePastedLines(text);
    expect(problem).toEqual({ line: 5, excerpt: `${'x'.repeat(40)}…`, reason: 'is longer than 4,096 characters (5,000)' });
    expect(describeProblem(problem!)).toBe(`Line 5: “${'x'.repeat(40)}…” is longer than 4,096 characters (5,000).`);
  });

  it('names the line where a list passes the most a pasted list takes', () => {
    const lines = Array.from({ length: BATCH_LIST_MAX + 5 }, (_, i) => `v${i}`);
    const { values: got, problem } = parsePastedLines(lines.join('\n'));
    expect(got).toHaveLength(BATCH_LIST_MAX + 5);
    expect(problem).toMatchObject({ line: BATCH_LIST_MAX + 1, excerpt: `v${BATCH_LIST_MAX}` });
    expect(problem!.reason).toContain('at most 200,000');
  });
});
