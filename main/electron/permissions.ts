import { isRendererDocument } from './trusted-sender.ts';

/**
 * Web permissions the app grants, and only to its own renderer's main frame.
 * Writing to the clipboard backs the "copy" buttons (secrets, URLs, cURL commands); the
 * browser still requires a user gesture for it and sanitises what is written. Reading
 * the clipboard, camera, notifications, geolocation and everything else stay denied.
 */
export const GRANTED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write'];

export function isPermissionGranted(permission: string, request: { requestingUrl?: string; isMainFrame: boolean }, rendererUrl: string): boolean {
  if (!GRANTED_PERMISSIONS.includes(permission)) return false;
  if (!request.isMainFrame || !request.requestingUrl) return false;
  return isRendererDocument(request.requestingUrl, rendererUrl);
}
