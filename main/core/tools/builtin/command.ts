import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parse as parseCsv } from 'csv-parse/sync';
import { defineTool, ToolError } from '../types.ts';
import { ToolAbortError } from '../errors.ts';
import { excerpt } from '../http.ts';
import { ENTITY_TYPES } from '../../../../preload/contract/entities.ts';
import { int, jsonValue } from './params.ts';
import { checkMappingPaths, EntityCollector, jsonPathValues, Mappings, type Mapping } from './mapping.ts';
import { commandEnvironment, passableEnvName, PROXY_ENV_NAMES } from '../../egress/env.ts';
import { commandOutputBudget, type OutputBudget } from './output-budget.ts';

/** `{input}` in an argument is replaced by the input value, as one argument: there is no shell to split or expand it. */
export const INPUT_PLACEHOLDER = '{input}';

/** Split "a 'b c' d" into arguments the way a user types them, without any shell expansion. */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: '"' | "'" | null = null;
  let has = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < s.length) cur += s[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
      has = true;
    }
  }
  if (quote) throw new Error('unclosed quote in the argument template');
  if (has || cur) out.push(cur);
  return out;
}

const Params = z
  .object({
    command: z.string().trim().min(1).max(1000).describe('Executable (path or a name on PATH), e.g. sherlock'),
    args: z
      .union([z.string().max(10_000), z.array(z.string().max(10_000)).max(200)])
      .default([INPUT_PLACEHOLDER])
      .describe('Argument template; {input} is replaced by the input value'),
    parser: z.enum(['json', 'jsonl', 'csv', 'lines']).default('lines').describe('How to read standard output'),
    regex: z.string().max(1000).optional().describe('lines: a regular expression; each match of a line gives values by group'),
    mappings: jsonValue(Mappings).describe('JSON list of {type, from, label?, link?}: JSONPath (json/jsonl), column (csv) or group (lines)'),
    timeoutMs: int(100, 3_600_000).default(120_000).describe('Kill the command after this many ms'),
    transientExitCodes: z
      .union([z.string(), z.array(z.number().int())])
      .default([75])
      .transform((v) => (Array.isArray(v) ? v : v.split(',').map((s) => Number(s.trim())).filter(Number.isInteger)))
      .describe('Exit codes meaning "try again later" (75 = EX_TEMPFAIL)'),
    maxOutputBytes: int(1024, 256 * 1024 * 1024).default(32 * 1024 * 1024),
    passEnv: z
      .union([z.string().max(2000), z.array(z.string().max(200)).max(50)])
      .default([])
      .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
      .refine((names) => names.every(passableEnvName), { message: 'variable names only (letters, digits, _); proxy variables come from the egress setting' })
      .describe('Variables passed on from Dossier’s environment, comma-separated (the program otherwise gets only PATH, HOME, TMP, the locale and the egress proxy)'),
  })
  .superRefine((p, ctx) => {
    if (p.parser === 'json' || p.parser === 'jsonl') checkMappingPaths(p.mappings as Mapping[], ctx, 'mappings');
    if (p.parser === 'lines' && p.regex) {
      try {
        new RegExp(p.regex);
      } catch {
        ctx.addIssue({ code: 'custom', path: ['regex'], message: 'not a valid regular expression' });
      }
    }
    if (typeof p.args === 'string') {
      try {
        splitArgs(p.args);
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['args'], message: (e as Error).message });
      }
    }
  });

interface Exec {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
}

function execute(
  command: string,
  args: string[],
  timeoutMs: number,
  maxBytes: number,
  signal: AbortSignal,
  env: NodeJS.ProcessEnv,
  budget: OutputBudget = commandOutputBudget,
): Promise<Exec> {
  return new Promise((resolve, reject) => {
    let child;
    // Its own process group (POSIX): a timeout or a cancel kills what it started too (sherlock's workers, a shell's
    // children). Without it a grandchild keeps running and holds stdout open, so 'close' never comes.
    const ownGroup = process.platform !== 'win32';
    try {
      child = spawn(command, args, { shell: false, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, env, detached: ownGroup });
    } catch (e) {
      reject(ToolError.permanent(`cannot start ${command}: ${(e as Error).message}`));
      return;
    }
    const out: Buffer[] = [];
    let size = 0;
    let err = '';
    let timedOut = false;
    let tooBig = false;
    let starved = false;
    let held = 0;
    const kill = () => {
      if (ownGroup && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
          return;
        } catch {
          // The group is gone already (or never formed): fall back to the child itself.
        }
      }
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    const onAbort = () => kill();
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (c: Buffer) => {
      if (tooBig || starved) return;
      size += c.length;
      if (size > maxBytes) {
        tooBig = true;
        kill();
      } else if (!budget.take(c.length)) {
        starved = true;
        kill();
      } else {
        held += c.length;
        out.push(c);
      }
    });
    child.stderr.on('data', (c: Buffer) => {
      if (err.length < 8192) err += c.toString('utf8');
    });
    const release = () => {
      budget.give(held);
      held = 0;
    };
    child.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      release();
      if (e.code === 'ENOENT') reject(ToolError.permanent(`command not found: ${command} (is it installed and on PATH?)`));
      else if (e.code === 'EACCES') reject(ToolError.permanent(`not allowed to run ${command} (EACCES)`));
      else if (e.code === 'EAGAIN' || e.code === 'EMFILE') reject(ToolError.transient(`cannot start ${command} right now (${e.code})`));
      else reject(ToolError.permanent(`cannot start ${command}: ${e.message}`));
    });
    child.once('exit', () => {
      // The child is gone; whatever it left behind in its group goes with it, so the pipes close and 'close' comes.
      if (ownGroup && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Nothing left in the group.
        }
      }
    });
    child.once('close', (code, sig) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      const stdout = Buffer.concat(out);
      release();
      if (signal.aborted) return reject(new ToolAbortError(signal.reason));
      if (tooBig) return reject(ToolError.permanent(`${command} wrote more than ${maxBytes} bytes`));
      if (starved) return reject(ToolError.transient(`command output of the runs in flight reached ${budget.total} bytes; ${command} was stopped and will be retried`));
      resolve({ code, signal: sig, stdout, stderr: err, timedOut });
    });
  });
}

function records(parser: 'json' | 'jsonl' | 'csv' | 'lines', text: string, regex: string | undefined): unknown[] {
  if (parser === 'json') {
    const doc = JSON.parse(text) as unknown;
    return [doc];
  }
  if (parser === 'jsonl') {
    return text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l, i) => {
        try {
          return JSON.parse(l) as unknown;
        } catch {
          throw new SyntaxError(`line ${i + 1} is not JSON`);
        }
      });
  }
  if (parser === 'csv') return parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as Record<string, string>[];
  const re = regex ? new RegExp(regex) : null;
  return text
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim())
    .flatMap((line) => {
      if (!re) return [{ 0: line.trim() }];
      const m = re.exec(line);
      if (!m) return [];
      return [{ ...Object.fromEntries(m.map((v, i) => [String(i), v])), ...(m.groups ?? {}) }];
    });
}

function valuesOf(parser: string, rec: unknown, from: string): string[] {
  if (parser === 'json' || parser === 'jsonl') return jsonPathValues(rec, from);
  const v = (rec as Record<string, unknown>)[from];
  return typeof v === 'string' && v.trim() ? [v.trim()] : [];
}

export function commandTool() {
  return defineTool({
    name: 'command',
    title: 'External command',
    description: 'Runs a command-line tool you name (sherlock, theHarvester, maigret...) without a shell, and maps its output (JSON, JSON lines, CSV or lines with a regex) to entities. It gets a minimal environment (PATH, HOME, TMP, the locale, and variables named in passEnv); with a proxy egress also HTTPS_PROXY/HTTP_PROXY/ALL_PROXY, which the program must honour itself.',
    accepts: ENTITY_TYPES,
    params: Params,
    hosts: () => ['local'],
    rateLimit: { perSecond: 10, burst: 10 },
    egress: 'environment',
    validateInput(input) {
      // Without a shell there is no injection, but a leading "-" would still be read as an option.
      if (input.value.trim().startsWith('-')) throw ToolError.permanent(`"${input.value}" starts with "-", which the command would read as an option`);
    },
    async run(input, p, ctx) {
      const template = typeof p.args === 'string' ? splitArgs(p.args) : p.args;
      const value = input.value.trim();
      const args = template.map((a) => a.split(INPUT_PLACEHOLDER).join(value));
      const started = Date.now();
      const proxied = ctx.egress.config.mode !== 'direct';
      const r = await execute(p.command, args, p.timeoutMs, p.maxOutputBytes, ctx.signal, commandEnvironment(process.env, ctx.egress, p.passEnv));
      if (r.timedOut) throw ToolError.transient(`${p.command} did not finish within ${p.timeoutMs} ms and was stopped`);
      if (r.code !== 0) {
        const tail = excerpt(r.stderr.slice(-600), 300);
        const kind = r.code !== null && p.transientExitCodes.includes(r.code) ? 'transient' : 'permanent';
        throw new ToolError(kind, `${p.command} exited with ${r.code ?? r.signal}${tail ? `: ${tail}` : ''}`);
      }
      const text = r.stdout.toString('utf8');
      const sha256 = createHash('sha256').update(r.stdout).digest('hex');
      const observedAt = new Date().toISOString();
      const collector = new EntityCollector({ observedAt, sha256, excerpt: excerpt(text, 300), tool: 'command', command: p.command });
      const recs = records(p.parser, text, p.regex);
      for (const rec of recs) {
        for (const m of p.mappings as Mapping[]) {
          const label = m.label ? valuesOf(p.parser, rec, m.label)[0] : undefined;
          for (const v of valuesOf(p.parser, rec, m.from)) collector.add(m, v, label);
        }
      }
      return {
        entities: collector.entities,
        links: collector.links,
        summary: `${p.command}: ${collector.entities.length} entit${collector.entities.length === 1 ? 'y' : 'ies'} from ${recs.length} record${recs.length === 1 ? '' : 's'}`,
        output: { command: p.command, args, egress: ctx.egress.label, proxyEnv: proxied ? [...PROXY_ENV_NAMES] : [], passEnv: p.passEnv, exitCode: r.code, records: recs.length, durationMs: Date.now() - started, stderr: excerpt(r.stderr, 500), sha256 },
      };
    },
  });
}
