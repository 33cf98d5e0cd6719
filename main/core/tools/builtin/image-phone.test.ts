import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { jpegWithExif, plainJpeg } from '../../testing/fixtures/exif-image.ts';
import { tempDir } from '../../testing/temp-core.ts';
import { toolHarness, type ToolHarness } from '../../testing/tool-harness.ts';
import { ToolError } from '../types.ts';
import { isAbort } from '../invoke.ts';
import { closeHttpAgents } from '../http.ts';

let h: ToolHarness;
let server: Server;
let base: string;
let photoPath: string;
const photo = jpegWithExif({ make: 'Canon', model: 'EOS 5D', taken: '2024:05:01 12:34:56', lat: 48.858222, lon: 2.2945, altitude: 35 });

beforeAll(async () => {
  h = await toolHarness();
  const dir = tempDir();
  photoPath = join(dir, 'eiffel.jpg');
  writeFileSync(photoPath, photo);
  writeFileSync(join(dir, 'plain.jpg'), plainJpeg());
  writeFileSync(join(dir, 'not-an-image.jpg'), 'hello, I am text');
  server = createServer((req, res) => {
    if (req.url === '/photo.jpg') {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      return res.end(photo);
    }
    if (req.url === '/busy.jpg') {
      res.writeHead(503);
      return res.end();
    }
    if (req.url === '/hang.jpg') return;
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await h.dispose();
  await closeHttpAgents();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('image.exif', () => {
  it('reads camera, time and GPS from a local file and places the image at a location', async () => {
    const run = await h.run('image.exif', { type: 'image', value: photoPath });
    expect(run.status).toBe('succeeded');
    const out = run.output as Record<string, unknown>;
    expect(out).toMatchObject({ camera: 'Canon EOS 5D', make: 'Canon', model: 'EOS 5D', altitude: 35, sha256: createHash('sha256').update(photo).digest('hex') });
    expect(out.latitude as number).toBeCloseTo(48.858222, 4);
    expect(out.longitude as number).toBeCloseTo(2.2945, 4);
    expect(out.taken).toBe('2024-05-01T12:34:56');
    const loc = run.entities.find((e) => e.type === 'location')!;
    expect(loc.value).toBe('48.858222,2.294500');
    const links = (await h.core.call('links.list', { investigationId: h.inv })).items;
    expect(links.map((l) => l.type)).toEqual(['located_at']);
  });

  it('reads an image from a URL, and says when there is no GPS', async () => {
    const remote = await h.run('image.exif', { type: 'image', value: `${base}/photo.jpg` });
    expect(remote.entities.some((e) => e.type === 'location')).toBe(true);
    const plain = await h.run('image.exif', { type: 'image', value: join(photoPath, '..', 'plain.jpg') });
    expect(plain.status).toBe('succeeded');
    expect(plain.entities.some((e) => e.type === 'location')).toBe(false);
  });

  it('fails permanently on a missing file or a file that is not an image, writing no entity', async () => {
    const before = await h.counts();
    const missing = await h.run('image.exif', { type: 'image', value: join(photoPath, '..', 'nope.jpg') });
    expect(missing).toMatchObject({ status: 'failed', errorKind: 'permanent' });
    const text = await h.run('image.exif', { type: 'image', value: join(photoPath, '..', 'not-an-image.jpg') });
    expect(text).toMatchObject({ status: 'failed', errorKind: 'permanent' });
    await expect(h.run('image.exif', { type: 'url', value: `${base}/photo.jpg` })).rejects.toMatchObject({ code: 'invalid_input' });
    const after = await h.counts();
    expect({ entities: after.entities, links: after.links }).toEqual({ entities: before.entities, links: before.links });
  });

  it('classifies a 503 while downloading as transient, and aborts a stalled download', async () => {
    const busy = await h.invoke('image.exif', { type: 'image', value: `${base}/busy.jpg` });
    expect((busy as { error: ToolError }).error).toMatchObject({ kind: 'transient', httpStatus: 503 });
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 50);
    const hung = await h.invoke('image.exif', { type: 'image', value: `${base}/hang.jpg` }, {}, ctrl.signal);
    expect(isAbort((hung as { error: Error }).error)).toBe(true);
  });
});

describe('phone.parse', () => {
  it('gives E.164, country, line type and validity, and links the country', async () => {
    const run = await h.run('phone.parse', { type: 'phone', value: '+44 20 7946 0018' });
    expect(run.output).toMatchObject({ e164: '+442079460018', country: 'GB', countryName: 'United Kingdom', lineType: 'FIXED_LINE', valid: true });
    expect(run.entities.map((e) => `${e.type}:${e.value}`).sort()).toEqual(['location:United Kingdom', 'phone:+442079460018']);
    const national = await h.run('phone.parse', { type: 'phone', value: '(415) 555-2671' }, { defaultCountry: 'us' });
    expect(national.output).toMatchObject({ e164: '+14155552671', country: 'US' });
    const mobile = await h.run('phone.parse', { type: 'phone', value: '+33 6 12 34 56 78' });
    expect(mobile.output).toMatchObject({ country: 'FR', lineType: 'MOBILE' });
  });

  it('refuses text that is not a phone number, or a bad country, and writes nothing', async () => {
    const before = await h.counts();
    await expect(h.run('phone.parse', { type: 'phone', value: 'call me maybe' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(h.run('phone.parse', { type: 'phone', value: '4155552671' }, { defaultCountry: 'USA' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await h.counts()).toEqual(before);
  });

  it('is offline (no hosts), and an already aborted signal stops it before it runs', async () => {
    expect((await h.core.call('tools.list', {})).find((t) => t.name === 'phone.parse')!.hosts).toEqual([]);
    const ctrl = new AbortController();
    ctrl.abort();
    const r = await h.invoke('phone.parse', { type: 'phone', value: '+14155552671' }, {}, ctrl.signal);
    expect(isAbort((r as { error: Error }).error)).toBe(true);
  });
});
