import { describe, expect, it } from 'vitest';
import { isPermissionGranted } from './permissions.ts';
import { rendererFileUrl } from './trusted-sender.ts';

const ours = rendererFileUrl('/opt/Dossier/resources/app.asar/renderer/dist/index.html');

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
    expect(isPermissionGranted('clipboard-sanitized-write', { isMainFrame: true }, ours)).toBe(false);
  });
});
