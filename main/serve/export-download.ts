import { createReadStream } from 'node:fs';
import type { Request, Response, Router } from 'express';
import type { DossierCore } from '../core/core.ts';
import { exportFile } from '../core/reports/export.ts';
import { EXPORT_CONTENT_TYPES } from '../core/reports/content-types.ts';
import { sendError } from './server.ts';

/**
 * `GET /api/exports/:id/:name`: browser mode's download of a finished export
 * (`reports.export` answers with the id and file names). Behind the same
 * token guard as every API call, so the renderer fetches it with its token
 * and saves the blob. Only files inside that export's folder are served.
 */
export function mountExportDownloads(api: Router, core: DossierCore): void {
  api.get('/exports/:id/:name', (req: Request, res: Response) => {
    try {
      const id = String(req.params.id);
      const name = String(req.params.name);
      const path = exportFile(core.ctx.dataDir, id, name);
      const ext = name.slice(name.lastIndexOf('.') + 1);
      res.setHeader('content-type', EXPORT_CONTENT_TYPES[ext] ?? 'application/octet-stream');
      res.setHeader('content-disposition', `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`);
      res.setHeader('cache-control', 'no-store');
      createReadStream(path).pipe(res);
    } catch (e) {
      sendError(res, e);
    }
  });
}
