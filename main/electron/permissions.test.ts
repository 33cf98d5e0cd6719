import { describe, expect, it } from 'vitest';
import { isPermissionGranted } from './permissions.ts';
import { rendererFileUrl } from './trusted-sender.ts';
import { RENDERER_URL } from './app-protocol.ts';

const ours = RENDERER_URL;

describe('isPermissionGranted', () => {
  it('lets our renderer write to the clipboard (the copy buttons)', () => {
    expect(isPermissionGranted('clipboard-sanitized-write', { requestingUrl: `${ours}#/relay`, isMainFrame: true }, ours)).toBe(true);
  });

  it('denies every other permission, even to our renderer', () => {
    for (const permission of ['clipboard-read', 'media', 'geolocation', 'notifications', 'openExternal', 'fullscreen', 'hid', 'usb', 'unknown']) {
      expect(isPermissionGranted(permission, { requestingUrl: ours, isMainFrame: true }, ours), permission).toBe(false);
    }
  });

  it('denies the clipboard to frames and documents that are not our renderer', () => {
    expect(isPermissionGranted('clipboard-sanitized-write', { requestingUrl: ours, isMainFrame: false }, ours)).toBe(false);
    expect(isPermissionGranted('clipboard-sanitized-write', { requestingUrl: 'https://evil.example/', isMainFrame: true }, ours)).toBe(false);
    expect(isPermissionGranted('clipboard-sanitized-write', { requestingUrl: 'file:///tmp/x.html', isMainFrame: true }, ours)).toBe(false);
    // The same built file opened as file:// is not the app.
    expect(isPermissionGranted('clipboard-sanitized-write', { requestingUrl: rendererFileUrl('/index.html'), isMainFrame: true }, ours)).toBe(false);
    expect(isPermissionGranted('clipboard-sanitized-write', { isMainFrame: true }, ours)).toBe(false);
  });
});
