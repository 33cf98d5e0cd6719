import { describe, expect, it } from 'vitest';
import { LABEL_MAX_PX, LARGE_LABEL_MIN_SCALE, labelMinScale, networkOptions } from './network-options.ts';
import { canvasLabel, nodeCaption, nodeTitle, toVisNode } from './to-vis.ts';

describe('graph labels', () => {
  it('hides a large graph’s labels until zoomed in enough for them not to pile up, and caps their size', () => {
    const large = networkOptions(true, false);
    expect(labelMinScale(large)).toBeCloseTo(LARGE_LABEL_MIN_SCALE, 5);
    expect(labelMinScale(large)).toBeGreaterThanOrEqual(1.2);
    expect(large.nodes?.scaling?.label).toMatchObject({ maxVisible: LABEL_MAX_PX });
    // A small graph keeps its labels until they would be unreadable anyway.
    expect(labelMinScale(networkOptions(false, false))).toBeLessThan(0.6);
  });

  it('shows the value with the label on the canvas, and everything in the tooltip, at any size', () => {
    const account = { id: 'a', type: 'account' as const, value: 'https://github.com/alice/', label: 'GitHub' };
    expect(canvasLabel(account)).toBe('GitHub\ngithub.com/alice');
    expect(canvasLabel({ value: 'alice', label: null })).toBe('alice');
    expect(canvasLabel({ value: 'https://x.example/averyveryverylongpathsegment/1', label: null })).toMatch(/^x\.example\/.{10,}…$/);
    expect(nodeTitle(account)).toBe('account: GitHub\nhttps://github.com/alice/');
    expect(toVisNode(account, false)).toMatchObject({
      label: 'GitHub\ngithub.com/alice',
      title: 'account: GitHub\nhttps://github.com/alice/',
      group: 'account',
    });
    // Lists and headings keep the short caption.
    expect(nodeCaption(account)).toBe('GitHub');
  });
});
