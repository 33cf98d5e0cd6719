import type { Request, Response, Router } from 'express';
import type { DossierCore } from '../core/core.ts';
import { DossierError } from '../../preload/contract/errors.ts';
import { saveUpload } from '../core/batch/uploads.ts';
import { sendError } from './server.ts';

/**
 * `POST /api/batches/upload`: browser mode's way to give a batch a TXT/CSV
 * file (the desktop passes a path). The raw body is streamed to disk, never
 * held in memory. Send it as `text/csv`, `text/plain` or
 * `application/octet-stream` with `authorization: Bearer <token>` and an
 * optional `x-filename` (its extension picks CSV or TXT); the answer is
 * `{ result: { uploadId, filename, bytes } }` for `batches.previewFile` and
 * `batches.create({ source: { kind: 'upload', uploadId, column } })`.
 */
export function mountBatchUploads(api: Router, core: DossierCore): void {
  api.post('/batches/upload', async (req: Request, res: Response) => {
    try {
      if (req.readableEnded || (req.is('application/json') && req.body !== undefined)) {
        throw new DossierError('invalid_input', 'send the file as raw bytes (text/csv, text/plain or application/octet-stream), not JSON');
      }
      const result = await saveUpload(core.ctx.dataDir, req, uploadFilename(req.get('x-filename')));
      res.json({ result });
    } catch (e) {
      sendError(res, e);
    }
  });
}

/** `x-filename` is percent-encoded UTF-8 (headers are Latin-1); a malformed one is the sender's error, a 400. */
export function uploadFilename(header: string | undefined): string | undefined {
  if (!header) return undefined;
  try {
    return decodeURIComponent(header);
  } catch {
    throw new DossierError('invalid_input', 'x-filename must be percent-encoded UTF-8 (encodeURIComponent of the file name)');
  }
}
