import { DossierError, isErrorCode, type SerializedError } from '../../../../preload/contract/errors.ts';
import type { UploadedFile } from '../../../../preload/contract/batches.ts';
import { transport } from '../../api/transport.ts';

/**
 * Stream a TXT/CSV file to the core (browser mode), as the batches contract
 * describes: the raw body to POST /api/batches/upload; the answer names the
 * upload that `batches.previewFile` and a batch source then refer to.
 */
export async function uploadBatchFile(file: File): Promise<UploadedFile> {
  if (transport.kind !== 'http') {
    throw new DossierError('unavailable', 'File upload is for browser mode; in the desktop app pick the file by path.');
  }
  const res = await fetch('/api/batches/upload', {
    method: 'POST',
    headers: {
      authorization: `Bearer ${transport.token ?? ''}`,
      'content-type': file.type || 'application/octet-stream',
      // Header values must be ASCII; the name is only for display.
      'x-filename': encodeURIComponent(file.name),
    },
    body: file,
  });
  const body = (await res.json().catch(() => ({}))) as { result?: UploadedFile; error?: SerializedError };
  if (!res.ok || !body.result) {
    const e = body.error;
    throw e && isErrorCode(e.code) ? new DossierError(e.code, e.message, e.details) : new DossierError('internal', `upload failed (HTTP ${res.status})`);
  }
  return body.result;
}
