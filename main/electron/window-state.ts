import { z } from 'zod';

/** Smallest window the UI lays out well in (navigation + a table). */
export const MIN_WIDTH = 900;
export const MIN_HEIGHT = 600;
export const DEFAULT_WIDTH = 1280;
export const DEFAULT_HEIGHT = 820;

export const windowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(MIN_WIDTH).max(32_000),
  height: z.number().int().min(MIN_HEIGHT).max(32_000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof windowStateSchema>;

/** Shell-only preferences (app settings live in the core's SQLite store). */
export const preferencesSchema = z.object({
  window: windowStateSchema,
  zoomFactor: z.number().min(0.5).max(3),
});
export type Preferences = z.infer<typeof preferencesSchema>;

export const DEFAULT_PREFERENCES: Preferences = {
  window: { width: DEFAULT_WIDTH, height: DEFAULT_HEIGHT, maximized: false },
  zoomFactor: 1,
};

/**
 * Read preferences from whatever is on disk. A hand-edited or corrupt entry falls
 * back to its default on its own, so one bad value never discards the others.
 */
export function parsePreferences(raw: unknown): Preferences {
  const obj = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const window = windowStateSchema.safeParse(obj.window);
  const zoom = preferencesSchema.shape.zoomFactor.safeParse(obj.zoomFactor);
  return {
    window: window.success ? window.data : DEFAULT_PREFERENCES.window,
    zoomFactor: zoom.success ? zoom.data : DEFAULT_PREFERENCES.zoomFactor,
  };
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The title bar strip, and how much of its width must be on a screen for the user to grab it. */
const TITLE_BAR_HEIGHT = 24;
const GRAB_WIDTH = 100;

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * Where to open the window: the saved bounds when their title bar is still on one of
 * the current displays (a monitor may have been unplugged since), otherwise the saved
 * size centred by the OS. Never larger than the display it lands on.
 */
export function placeWindow(saved: WindowState, workAreas: Rect[]): { x?: number; y?: number; width: number; height: number } {
  const fit = (area: Rect | undefined) => ({
    width: area ? Math.max(Math.min(saved.width, area.width), Math.min(MIN_WIDTH, area.width)) : saved.width,
    height: area ? Math.max(Math.min(saved.height, area.height), Math.min(MIN_HEIGHT, area.height)) : saved.height,
  });
  if (saved.x !== undefined && saved.y !== undefined) {
    const titleBar: Rect = { x: saved.x, y: saved.y, width: saved.width, height: TITLE_BAR_HEIGHT };
    const home = workAreas.find((area) => {
      const o = overlap(titleBar, area);
      return o.width >= GRAB_WIDTH && o.height > 0;
    });
    if (home) {
      const size = fit(home);
      // Keep the title bar below the top edge of the display (macOS menu bar, top panels).
      return { x: saved.x, y: Math.max(saved.y, home.y), ...size };
    }
  }
  return fit(workAreas[0]);
}
