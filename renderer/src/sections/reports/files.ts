import { DossierError, isErrorCode, type SerializedError } from '../../../../preload/contract/errors.ts';
import type { ExportResult } from '../../../../preload/contract/reports.ts';
import { transport } from '../../api/transport.ts';
import { uploadBatchFile } from '../batches/upload.ts';

/**
 * Hands a finished export to the user: the desktop's save dialog (one per
 * file), or in browser mode a download of each file fetched with the token.
 */
export async function saveExport(r: ExportResult): Promise<string[]> {
  const saved: string[] = [];
  for (const f of r.files) {
    if (transport.kind === 'ipc' && window.dossier) {
      const res = await window.dossier.saveExport(r.id, f.name);
      if (res.saved && res.path) saved.push(res.path);
      continue;
    }
    const res = await fetch(`/api/exports/${encodeURIComponent(r.id)}/${encodeURIComponent(f.name)}`, { headers: { authorization: `Bearer ${transport.token ?? ''}` } });
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { error?: SerializedError };
      const e = body.error;
      throw e && isErrorCode(e.code) ? new DossierError(e.code, e.message) : new DossierError('internal', `download failed (HTTP ${res.status})`);
    }
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = f.name;
    document.body.append(a);
    a.click();
    a.remove();
    // Give the browser the blob before it is released.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    saved.push(f.name);
  }
  return saved;
}

/** A file to import as the contract takes it: an upload in browser mode, a path in the desktop. */
export async function importSource(file: File | null, path: string): Promise<{ uploadId: string } | { path: string }> {
  if (transport.kind === 'http') {
    if (!file) throw new DossierError('invalid_input', 'choose a file');
    // The upload route takes raw bytes; a .json file would otherwise be sent as application/json.
    const raw = new File([file], file.name, { type: 'application/octet-stream' });
    return { uploadId: (await uploadBatchFile(raw)).uploadId };
  }
  if (!path.trim()) throw new DossierError('invalid_input', 'give the path of the file');
  return { path: path.trim() };
}

export const canUpload = () => transport.kind === 'http';
