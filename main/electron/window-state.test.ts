import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES, MIN_HEIGHT, MIN_WIDTH, parsePreferences, placeWindow, type Rect } from './window-state.ts';

const laptop: Rect = { x: 0, y: 0, width: 1440, height: 900 };
const external: Rect = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('parsePreferences', () => {
  it('keeps valid saved preferences', () => {
    const saved = { window: { x: 10, y: 20, width: 1000, height: 700, maximized: true }, zoomFactor: 1.25 };
    expect(parsePreferences(saved)).toEqual(saved);
  });

  it('replaces only the entries that are corrupt with their defaults', () => {
    expect(parsePreferences({ window: { width: 'wide', height: 700, maximized: false }, zoomFactor: 1.5 })).toEqual({
      window: DEFAULT_PREFERENCES.window,
      zoomFactor: 1.5,
    });
    expect(parsePreferences({ window: { width: 1000, height: 700, maximized: false }, zoomFactor: 40 }).zoomFactor).toBe(1);
    expect(parsePreferences({ window: { width: 10, height: 10, maximized: false } }).window).toEqual(DEFAULT_PREFERENCES.window);
    expect(parsePreferences(null)).toEqual(DEFAULT_PREFERENCES);
    expect(parsePreferences('garbage')).toEqual(DEFAULT_PREFERENCES);
  });
});

describe('placeWindow', () => {
  it('reopens where the window was when that place is still on a screen', () => {
    const saved = { x: 2000, y: 100, width: 1600, height: 1000, maximized: false };
    expect(placeWindow(saved, [laptop, external])).toEqual({ x: 2000, y: 100, width: 1600, height: 1000 });
  });

  it('lets the OS centre the window when its monitor was unplugged', () => {
    const saved = { x: 2000, y: 100, width: 1600, height: 1000, maximized: false };
    const placed = placeWindow(saved, [laptop]);
    expect(placed.x).toBeUndefined();
    expect(placed.y).toBeUndefined();
    // ...and shrinks it to fit the remaining screen.
    expect(placed).toMatchObject({ width: 1440, height: 900 });
  });

  it('does not keep a window whose title bar is out of reach', () => {
    // Only a 50px sliver of the title bar is on screen: too little to grab.
    const saved = { x: 1390, y: 100, width: 1000, height: 700, maximized: false };
    expect(placeWindow(saved, [laptop]).x).toBeUndefined();
    // A title bar entirely above the top edge is out of reach too.
    expect(placeWindow({ ...saved, x: 100, y: -40 }, [laptop]).x).toBeUndefined();
  });

  it('moves a title bar that pokes above the top edge down onto the screen', () => {
    const saved = { x: 100, y: -10, width: 1000, height: 700, maximized: false };
    expect(placeWindow(saved, [laptop])).toEqual({ x: 100, y: 0, width: 1000, height: 700 });
  });

  it('never opens below the minimum size unless the screen itself is smaller', () => {
    const tiny: Rect = { x: 0, y: 0, width: 800, height: 560 };
    expect(placeWindow({ width: MIN_WIDTH, height: MIN_HEIGHT, maximized: false }, [tiny])).toEqual({ width: 800, height: 560 });
    expect(placeWindow({ width: MIN_WIDTH, height: MIN_HEIGHT, maximized: false }, [laptop])).toEqual({ width: MIN_WIDTH, height: MIN_HEIGHT });
  });
});
