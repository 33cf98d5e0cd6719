import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-core.ts';
import { UPLOAD_MAX_AGE_MS, saveUpload, sweepUploads } from './uploads.ts';

let dataDir = '';
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('upload sweep', () => {
  it('removes uploads left unused past the age limit and keeps fresh ones', async () => {
    dataDir = tempDir('dossier-uploads-');
    const now = Date.UTC(2026, 11, 3, 12);
    const old = await saveUpload(dataDir, Readable.from([Buffer.from('a@example.com\n')]), 'old.txt');
    const fresh = await saveUpload(dataDir, Readable.from([Buffer.from('b@example.com\n')]), 'fresh.txt');
    const stale = (now - UPLOAD_MAX_AGE_MS - 60_000) / 1000;
    utimesSync(join(dataDir, 'uploads', old.uploadId), stale, stale);
    const recent = (now - UPLOAD_MAX_AGE_MS + 60_000) / 1000;
    utimesSync(join(dataDir, 'uploads', fresh.uploadId), recent, recent);
    expect(sweepUploads(dataDir, now)).toBe(1);
    expect(existsSync(join(dataDir, 'uploads', old.uploadId))).toBe(false);
    expect(existsSync(join(dataDir, 'uploads', fresh.uploadId, 'fresh.txt'))).toBe(true);
  });

  it('is a no-op without an uploads folder, and ignores stray files', () => {
    dataDir = tempDir('dossier-uploads-');
    expect(sweepUploads(dataDir, Date.now())).toBe(0);
    mkdirSync(join(dataDir, 'uploads'));
    writeFileSync(join(dataDir, 'uploads', 'stray'), 'x');
    expect(sweepUploads(dataDir, Date.now())).toBe(0);
  });
});
