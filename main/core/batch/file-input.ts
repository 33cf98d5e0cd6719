import { createReadStream, existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { DossierError } from '../../../preload/contract/errors.ts';
import { BATCH_VALUE_MAX, type FilePreview } from '../../../preload/contract/batches.ts';

/**
 * Streams the values of one column of a CSV file, or the lines of a TXT file,
 * in chunks: memory stays flat however long the file is. Every problem is an
 * `invalid_input` error naming the file and the line, raised before or while
 * streaming (the caller's transaction then creates nothing).
 */

export const MAX_VALUE_LENGTH = BATCH_VALUE_MAX;

export type FileFormat = 'csv' | 'txt';

export function formatOf(path: string): FileFormat {
  const ext = extname(path).toLowerCase();
  return ext === '.csv' || ext === '.tsv' ? 'csv' : 'txt';
}

async function checkReadable(path: string, label: string): Promise<void> {
  if (!existsSync(path)) throw new DossierError('invalid_input', `${label}: file not found`);
  const st = statSync(path);
  if (!st.isFile()) throw new DossierError('invalid_input', `${label}: not a file`);
  if (st.size === 0) throw new DossierError('invalid_input', `${label}: the file is empty`);
  // A NUL byte in the first block means a binary file (an image, a spreadsheet), not text.
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(8192, st.size));
    await fh.read(buf, 0, buf.length, 0);
    if (buf.includes(0)) throw new DossierError('invalid_input', `${label}: not a text file (binary content)`);
  } finally {
    await fh.close();
  }
}

function csvParser(path: string) {
  return createReadStream(path).pipe(
    parse({
      bom: true,
      delimiter: delimiterOf(path),
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }),
  );
}

function csvError(label: string, e: unknown): DossierError {
  if (DossierError.is(e)) return e;
  const err = e as { message?: string; lines?: number };
  return new DossierError('invalid_input', `${label}: malformed CSV${err.lines ? ` near line ${err.lines}` : ''}: ${err.message ?? String(e)}`);
}

function delimiterOf(path: string): string {
  return extname(path).toLowerCase() === '.tsv' ? '\t' : ',';
}

function quotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) n++;
  return n;
}

/**
 * CSV records, streamed in blocks of lines that end outside quotes. A block
 * without any quote (most target lists) is split on the delimiter directly,
 * several times faster than a full parser; a block with quotes goes through
 * csv-parse in one call, so quoting, escaped quotes and their errors are the
 * library's. Fields are trimmed, blank lines skipped, rows may have any
 * number of columns.
 */
async function* csvRecords(path: string, label: string): AsyncGenerator<string[]> {
  const delimiter = delimiterOf(path);
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let block: string[] = [];
  let blockQuotes = 0;
  let blockStart = 1;
  let line = 0;
  function* flush(): Generator<string[]> {
    if (block.length === 0) return;
    if (blockQuotes === 0) {
      for (const l of block) if (l.trim() !== '') yield l.split(delimiter).map((f) => f.trim());
    } else {
      try {
        yield* parseSync(block.join('\n'), { delimiter, trim: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
      } catch (e) {
        const at = (e as { lines?: number }).lines;
        throw new DossierError('invalid_input', `${label}: malformed CSV near line ${at ? blockStart + at - 1 : blockStart}: ${(e as Error).message}`);
      }
    }
    block = [];
    blockQuotes = 0;
  }
  try {
    for await (const raw of rl) {
      line++;
      const l = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (block.length === 0) blockStart = line;
      block.push(l);
      blockQuotes += quotes(l);
      // Cut only where the quotes balance: a quoted field may span lines.
      if (block.length >= 2000 && blockQuotes % 2 === 0) yield* flush();
    }
    yield* flush();
  } finally {
    rl.close();
  }
}

/** Header name (exact, then case-insensitive) or 1-based column number. */
export function resolveColumn(header: string[], column: string | undefined, label: string): number {
  if (column === undefined) return 0;
  let i = header.indexOf(column);
  if (i < 0) i = header.findIndex((h) => h.toLowerCase() === column.toLowerCase());
  if (i < 0 && /^\d+$/.test(column)) {
    const n = Number(column);
    if (n >= 1 && n <= header.length) i = n - 1;
  }
  if (i < 0) throw new DossierError('invalid_input', `${label}: no column "${column}" (columns: ${header.join(', ')})`);
  return i;
}

/** Yields chunks of values; blank values are skipped. */
export async function* readFileValues(path: string, opts: { column?: string; label?: string; chunk?: number } = {}): AsyncGenerator<string[]> {
  const label = opts.label ?? path;
  const size = opts.chunk ?? 2000;
  await checkReadable(path, label);
  const format = formatOf(path);
  let chunk: string[] = [];
  const push = (v: string | undefined, line: number) => {
    if (v === undefined) return;
    const t = v.trim();
    if (!t) return;
    if (t.length > MAX_VALUE_LENGTH) throw new DossierError('invalid_input', `${label}: line ${line}: value longer than ${MAX_VALUE_LENGTH} characters`);
    chunk.push(t);
  };
  if (format === 'txt') {
    if (opts.column !== undefined) throw new DossierError('invalid_input', `${label}: a column can only be chosen in a CSV file`);
    const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    let line = 0;
    for await (const l of rl) {
      line++;
      push(line === 1 ? l.replace(/^\uFEFF/, '') : l, line);
      if (chunk.length >= size) {
        yield chunk;
        chunk = [];
      }
    }
  } else {
    let col = -1;
    let line = 0;
    try {
      for await (const rec of csvRecords(path, label)) {
        line++;
        if (col < 0) {
          col = resolveColumn(rec, opts.column, label);
          continue;
        }
        push(rec[col], line);
        if (chunk.length >= size) {
          yield chunk;
          chunk = [];
        }
      }
    } catch (e) {
      throw csvError(label, e);
    }
  }
  if (chunk.length) yield chunk;
}

/** The columns and first rows, so a user can pick the column before importing. */
export async function previewFile(path: string, label = path, rows = 5): Promise<FilePreview> {
  await checkReadable(path, label);
  const format = formatOf(path);
  if (format === 'txt') {
    const out: string[][] = [];
    const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    for await (const l of rl) {
      const t = l.replace(/^\uFEFF/, '').trim();
      if (t) out.push([t]);
      if (out.length >= rows) break;
    }
    rl.close();
    return { format, columns: [], rows: out };
  }
  const parser = csvParser(path);
  let columns: string[] | null = null;
  const out: string[][] = [];
  try {
    for await (const rec of parser as AsyncIterable<string[]>) {
      if (!columns) columns = rec;
      else out.push(rec);
      if (columns && out.length >= rows) break;
    }
  } catch (e) {
    throw csvError(label, e);
  } finally {
    parser.destroy();
  }
  return { format, columns: columns ?? [], rows: out };
}

/** The CSV header row (empty for TXT files). */
export async function csvHeader(path: string, label = path): Promise<string[]> {
  if (formatOf(path) !== 'csv') return [];
  return (await previewFile(path, label, 0)).columns;
}

/**
 * Rows of a CSV file as records: `pick` maps a name (a template placeholder)
 * to a column index. A row yields the names whose cells are not blank.
 */
export async function* readFileRecords(
  path: string,
  pick: Map<string, number>,
  opts: { label?: string; chunk?: number } = {},
): AsyncGenerator<Record<string, string>[]> {
  const label = opts.label ?? path;
  const size = opts.chunk ?? 2000;
  await checkReadable(path, label);
  let chunk: Record<string, string>[] = [];
  let line = 0;
  try {
    for await (const rec of csvRecords(path, label)) {
      if (line++ === 0) continue;
      const row: Record<string, string> = {};
      for (const [name, i] of pick) {
        const v = rec[i]?.trim();
        if (!v) continue;
        if (v.length > MAX_VALUE_LENGTH) throw new DossierError('invalid_input', `${label}: line ${line}: value longer than ${MAX_VALUE_LENGTH} characters`);
        row[name] = v;
      }
      if (Object.keys(row).length) chunk.push(row);
      if (chunk.length >= size) {
        yield chunk;
        chunk = [];
      }
    }
  } catch (e) {
    throw csvError(label, e);
  }
  if (chunk.length) yield chunk;
}
