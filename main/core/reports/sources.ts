import { basename } from 'node:path';
import type { z } from 'zod';
import type { FileSource } from '../../../preload/contract/reports.ts';
import { removeUpload, uploadPath } from '../batch/uploads.ts';

/** A file to import: a local path, or an upload from browser mode (removed once it was read). */
export function resolveSource(dataDir: string, source: z.output<typeof FileSource>): { path: string; label: string; done(): void } {
  if ('path' in source) return { path: source.path, label: basename(source.path), done: () => {} };
  const up = uploadPath(dataDir, source.uploadId);
  return { path: up.path, label: up.filename, done: () => removeUpload(dataDir, source.uploadId) };
}
