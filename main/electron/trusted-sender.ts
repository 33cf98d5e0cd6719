import { pathToFileURL } from 'node:url';
import type { IpcResult } from '../../preload/bridge.ts';

/** What the IPC handler knows about the frame that sent a call. */
export interface SenderInfo {
  /** `event.senderFrame` can be null when the frame navigated or was destroyed meanwhile. */
  hasFrame: boolean;
  /** The frame is the top-level frame (no parent), not an iframe. */
  isMainFrame: boolean;
  /** The webContents is the one of our main window. */
  fromOurWindow: boolean;
  frameUrl: string;
}

/** A file URL of a page on disk (the tests use it for documents that must never be trusted). */
export function rendererFileUrl(indexHtmlPath: string): string {
  return pathToFileURL(indexHtmlPath).href;
}

/**
 * True only for our renderer's document in our window's main frame. The hash is the
 * renderer's route (HashRouter) and may be anything; a query or another file is not ours.
 */
export function isTrustedSender(sender: SenderInfo, rendererUrl: string): boolean {
  if (!sender.hasFrame || !sender.isMainFrame || !sender.fromOurWindow) return false;
  return isRendererDocument(sender.frameUrl, rendererUrl);
}

/** The URL is our renderer's index.html (any hash route), not another file or site. */
export function isRendererDocument(documentUrl: string, rendererUrl: string): boolean {
  let actual: URL;
  let expected: URL;
  try {
    actual = new URL(documentUrl);
    expected = new URL(rendererUrl);
  } catch {
    return false;
  }
  // The window loads RENDERER_URL (app://dossier/index.html); the scheme must match exactly, so a file:// page with
  // the same path is not ours.
  return (
    (expected.protocol === 'app:' || expected.protocol === 'file:') &&
    actual.protocol === expected.protocol &&
    actual.host === expected.host &&
    actual.pathname === expected.pathname &&
    actual.search === ''
  );
}

/** The answer to a call from a frame that is not our renderer: nothing runs. */
export function refusedSender(frameUrl: string): IpcResult<never> {
  return { ok: false, error: { code: 'forbidden', message: `IPC call refused from untrusted frame ${frameUrl || '(gone)'}` } };
}
