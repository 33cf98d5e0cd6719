import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import exifr from 'exifr';
import { assertNoLocalFiles } from '../../egress/untrusted.ts';
import { defineTool, ToolError, type ProducedEntity, type ProducedLink } from '../types.ts';
import { assertOk, httpRequest, safeHost } from '../http.ts';
import type { BuiltinDeps } from './deps.ts';
import { int } from './params.ts';

const Params = z.object({
  maxBytes: int(1024, 200 * 1024 * 1024).default(50 * 1024 * 1024).describe('Largest image read, in bytes'),
  timeoutMs: int(100, 300_000).optional().describe('Download timeout when the image is a URL (ms)'),
});

const isUrl = (v: string) => /^https?:\/\//i.test(v);

async function readLocal(path: string, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const file = isAbsolute(path) ? path : resolve(path);
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'EMFILE' || code === 'ENFILE' || code === 'EBUSY' || code === 'EAGAIN') throw ToolError.transient(`cannot open ${file} right now (${code})`);
    throw ToolError.permanent(`cannot read ${file} (${code ?? (e as Error).message})`);
  }
  try {
    const { size } = await fh.stat();
    if (size > maxBytes) throw ToolError.permanent(`${file} is ${size} bytes, more than the ${maxBytes} byte limit`);
    const buf = Buffer.alloc(size);
    await fh.read(buf, 0, size, 0);
    if (signal.aborted) throw signal.reason;
    return buf;
  } finally {
    await fh.close();
  }
}

/**
 * EXIF times carry no time zone: exifr builds the Date in local time, so its
 * local fields give back the camera's clock reading, shown without a zone.
 */
function iso(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (!(v instanceof Date) || Number.isNaN(v.getTime())) return null;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${v.getFullYear()}-${p(v.getMonth() + 1)}-${p(v.getDate())}T${p(v.getHours())}:${p(v.getMinutes())}:${p(v.getSeconds())}`;
}

export function imageExifTool(deps: BuiltinDeps) {
  return defineTool({
    name: 'image.exif',
    title: 'Read image metadata (EXIF)',
    description: 'Reads camera, timestamps and GPS position from an image file (local path or http(s) URL); a GPS position becomes a location.',
    accepts: ['image'] as const,
    params: Params,
    hosts: (_p, input) => (isUrl(input.value) ? [safeHost(input.value)] : []),
    rateLimit: { perSecond: 50, burst: 50 },
    egress: 'proxied',
    validateInput(input) {
      const v = input.value.trim();
      if (!v || v.includes('\0')) throw ToolError.permanent('the image must be a file path or an http(s) URL');
    },
    async run(input, p, ctx) {
      const src = input.value.trim();
      let buf: Buffer;
      let sha256: string | undefined;
      if (isUrl(src)) {
        const res = assertOk(
          await httpRequest({
            url: src,
            signal: ctx.signal,
            egress: ctx.egress,
            gate: ctx.gate,
            maxRedirects: 5,
            maxBytes: p.maxBytes,
            timeoutMs: p.timeoutMs ?? (await deps.settings.get('tools.http.timeoutMs')),
          }),
          'image download',
        );
        if (res.truncated) throw ToolError.permanent(`the image at ${safeHost(src)} is larger than ${p.maxBytes} bytes`);
        buf = res.body;
        sha256 = res.sha256;
      } else {
        assertNoLocalFiles(ctx.egress, `"${src}"`);
        buf = await readLocal(src, p.maxBytes, ctx.signal);
      }
      sha256 ??= createHash('sha256').update(buf).digest('hex');

      let tags: Record<string, unknown> | undefined;
      try {
        tags = (await exifr.parse(buf, { tiff: true, exif: true, gps: true, ifd0: {}, xmp: false, icc: false, iptc: false })) as Record<string, unknown> | undefined;
      } catch (e) {
        throw ToolError.permanent(`not a readable image: ${(e as Error).message}`);
      }
      const t = tags ?? {};
      const lat = typeof t.latitude === 'number' ? t.latitude : null;
      const lon = typeof t.longitude === 'number' ? t.longitude : null;
      const facts = {
        camera: [t.Make, t.Model].filter((x) => typeof x === 'string').join(' ').trim() || null,
        make: (t.Make as string) ?? null,
        model: (t.Model as string) ?? null,
        software: (t.Software as string) ?? null,
        taken: iso(t.DateTimeOriginal) ?? iso(t.CreateDate),
        modified: iso(t.ModifyDate),
        latitude: lat,
        longitude: lon,
        altitude: typeof t.GPSAltitude === 'number' ? t.GPSAltitude : null,
        width: (t.ExifImageWidth as number) ?? (t.ImageWidth as number) ?? null,
        height: (t.ExifImageHeight as number) ?? (t.ImageHeight as number) ?? null,
        sha256,
        bytes: buf.length,
      };
      const observedAt = new Date().toISOString();
      const entities: ProducedEntity[] = [{ ref: 'self', type: 'image', value: src, properties: { exif: facts } }];
      const links: ProducedLink[] = [];
      if (lat !== null && lon !== null) {
        entities.push({
          ref: 'gps',
          type: 'location',
          value: `${lat.toFixed(6)},${lon.toFixed(6)}`,
          label: `GPS ${lat.toFixed(5)}, ${lon.toFixed(5)}`,
          properties: { latitude: lat, longitude: lon, altitude: facts.altitude, source: 'EXIF GPS' },
          evidence: { observedAt, sha256, tool: 'image.exif', taken: facts.taken },
        });
        links.push({ source: 'input', target: 'gps', type: 'located_at', properties: { source: 'EXIF GPS', taken: facts.taken } });
      }
      const parts = [facts.camera, facts.taken ? `taken ${facts.taken}` : null, lat !== null ? `GPS ${lat.toFixed(5)}, ${lon!.toFixed(5)}` : 'no GPS'].filter(Boolean);
      return { entities, links, summary: tags ? parts.join(', ') : 'no EXIF metadata', output: facts };
    },
  });
}
