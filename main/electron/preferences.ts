import Store from 'electron-store';
import { DEFAULT_PREFERENCES, parsePreferences, preferencesSchema, windowStateSchema, type Preferences, type WindowState } from './window-state.ts';

/**
 * Shell preferences in `<userData>/preferences.json` (electron-store writes atomically).
 * Everything read is checked with the zod schema, so a corrupt or hand-edited file
 * yields defaults for the bad entries instead of a window off-screen or a crash.
 */
export class ShellPreferences {
  private readonly store: Store<Preferences>;

  constructor() {
    // In app.getPath('userData'), which DOSSIER_HOME moves.
    this.store = new Store<Preferences>({
      name: 'preferences',
      defaults: DEFAULT_PREFERENCES,
      // A file that is not JSON at all is reset rather than stopping the app from starting.
      clearInvalidConfig: true,
    });
  }

  get(): Preferences {
    return parsePreferences(this.store.store);
  }

  saveWindowState(state: WindowState): void {
    const parsed = windowStateSchema.safeParse(state);
    // A minimised or zero-size window reports bounds we should not restore; keep the last good ones.
    if (parsed.success) this.store.set('window', parsed.data);
  }

  saveZoomFactor(zoom: number): void {
    const parsed = preferencesSchema.shape.zoomFactor.safeParse(zoom);
    if (parsed.success) this.store.set('zoomFactor', parsed.data);
  }
}
