import { describe, expect, it } from 'vitest';
import { parsePastedList } from './paste-list.ts';

describe('parsePastedList', () => {
  it('takes one value per line, trimmed, without blanks or repeats, in first-seen order', () => {
    expect(parsePastedList('alice\r\n  bob \n\n\nalice\ncarol\n')).toEqual(['alice', 'bob', 'carol']);
  });

  it('splits cells pasted from a spreadsheet row', () => {
    expect(parsePastedList('alice\tbob\ncarol, dave')).toEqual(['alice', 'bob', 'carol', 'dave']);
  });

  it('gives nothing for whitespace only', () => {
    expect(parsePastedList(' \n\t ,')).toEqual([]);
  });
});
