import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { UploadedFile } from '../../../preload/contract/batches.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { newId } from '../util/ids.ts';
import type { CoreContext } from '../context.ts';
import { intervalWorker, type BackgroundWorker } from '../workers.ts';

/**
 * Files streamed from the browser for batch inputs (browser mode cannot pass
 * a local path). Each upload is `<dataDir>/uploads/<uploadId>/<filename>`;
 * the extension decides CSV or TXT. It is removed once a batch was made from it.
 */

export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
const ID_RE = /^upl_[0-9a-f]+$/;

function dir(dataDir: string): string {
  return join(dataDir, 'uploads');
}

function safeName(name: string | undefined): string {
  const base = basename(name ?? '').replace(/[^\w.\- ]+/g, '_').slice(0, 120);
  return base && base !== '.' && base !== '..' ? base : 'upload.txt';
}

export async function saveUpload(dataDir: string, body: Readable, filename: string | undefined, maxBytes = MAX_UPLOAD_BYTES): Promise<UploadedFile> {
  const uploadId = newId('upl');
  const folder = join(dir(dataDir), uploadId);
  mkdirSync(folder, { recursive: true });
  const name = safeName(filename);
  let bytes = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > maxBytes) cb(new DossierError('payload_too_large', `upload larger than ${Math.round(maxBytes / 1024 / 1024)} MB`));
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(body, cap, createWriteStream(join(folder, name)));
  } catch (e) {
    rmSync(folder, { recursive: true, force: true });
    throw DossierError.is(e) ? e : new DossierError('invalid_input', `upload failed: ${(e as Error).message}`);
  }
  if (bytes === 0) {
    rmSync(folder, { recursive: true, force: true });
    throw new DossierError('invalid_input', 'the uploaded file is empty');
  }
  return { uploadId, filename: name, bytes };
}

export function uploadPath(dataDir: string, uploadId: string): { path: string; filename: string } {
  const folder = join(dir(dataDir), uploadId);
  if (!ID_RE.test(uploadId) || !existsSync(folder)) throw new DossierError('invalid_input', `upload ${uploadId} not found (uploads are used once)`);
  const [filename] = readdirSync(folder);
  if (!filename) throw new DossierError('invalid_input', `upload ${uploadId} not found`);
  return { path: join(folder, filename), filename };
}

export function removeUpload(dataDir: string, uploadId: string): void {
  if (!ID_RE.test(uploadId)) return;
  rmSync(join(dir(dataDir), uploadId), { recursive: true, force: true });
}

/** An upload nobody made a batch or an import from within this long is swept (the user left the dialog). */
export const UPLOAD_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** Removes uploads older than `maxAgeMs` (by the folder's mtime); returns how many went. */
export function sweepUploads(dataDir: string, now: number, maxAgeMs = UPLOAD_MAX_AGE_MS): number {
  const root = dir(dataDir);
  if (!existsSync(root)) return 0;
  let removed = 0;
  for (const name of readdirSync(root)) {
    const folder = join(root, name);
    let mtime: number;
    try {
      mtime = statSync(folder).mtimeMs;
    } catch {
      continue;
    }
    if (now - mtime < maxAgeMs) continue;
    rmSync(folder, { recursive: true, force: true });
    removed++;
  }
  return removed;
}

/** Sweeps at start and hourly (`core.startWorkers()`). */
export function uploadSweepWorker(ctx: CoreContext): BackgroundWorker {
  return intervalWorker('uploads.sweep', SWEEP_EVERY_MS, () => {
    const n = sweepUploads(ctx.dataDir, ctx.clock.now());
    if (n) ctx.log.info({ removed: n }, 'swept unused uploads');
  }, ctx.log);
}
