import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../testing/temp-core.ts';
import { commandOutputBudget } from './output-budget.ts';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { toolHarness, type ToolHarness } from '../../testing/tool-harness.ts';
import { ToolError } from '../types.ts';
import { isAbort } from '../invoke.ts';
import { splitArgs } from './command.ts';

const CLI = fileURLToPath(new URL('../../testing/fixtures/fake-osint-cli.mjs', import.meta.url));
let h: ToolHarness;

beforeAll(async () => {
  h = await toolHarness();
});
afterAll(() => h.dispose());

/** Signal 0 checks the process exists without touching it. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const node = (args: string[], extra: Record<string, unknown> = {}) => ({ command: process.execPath, args: [CLI, ...args], ...extra });

describe('command', () => {
  it('runs the executable itself and maps JSON output with JSONPath, with the stdout hash as evidence', async () => {
    const run = await h.run('command', { type: 'username', value: 'alice' }, {
      command: CLI,
      args: 'json {input}',
      parser: 'json',
      mappings: JSON.stringify([
        { type: 'account', from: '$.accounts[*].url', link: 'has_account' },
        { type: 'email', from: '$.emails[*]', link: 'has_email' },
      ]),
    });
    expect(run.status).toBe('succeeded');
    expect(run.entities.map((e) => `${e.type}:${e.value}`)).toEqual(['account:https://github.com/alice', 'account:https://gitlab.com/alice', 'email:alice@example.test']);
    const stdout = execFileSync(CLI, ['json', 'alice']);
    expect(run.entities[0]!.evidence!.sha256).toBe(createHash('sha256').update(stdout).digest('hex'));
    const links = (await h.core.call('links.list', { investigationId: h.inv })).items.map((l) => l.type).sort();
    expect(links).toEqual(['has_account', 'has_account', 'has_email']);
  });

  it('parses JSON lines, CSV and lines with a regex (a sherlock-style report)', async () => {
    const jsonl = await h.run('command', { type: 'username', value: 'bob' }, node(['jsonl', '{input}'], { parser: 'jsonl', mappings: [{ type: 'account', from: '$.url', label: '$.site' }] }));
    expect(jsonl.entities.map((e) => [e.value, e.label])).toEqual([
      ['https://github.com/bob', 'GitHub'],
      ['https://keybase.io/bob', 'Keybase'],
    ]);
    const csv = await h.run('command', { type: 'domain', value: 'example.test' }, node(['csv', '{input}'], { parser: 'csv', mappings: [{ type: 'domain', from: 'host' }, { type: 'ip', from: 'ip', link: 'resolves_to' }] }));
    expect(csv.entities.map((e) => `${e.type}:${e.value}`)).toEqual(['domain:mail.example.test', 'ip:192.0.2.1', 'domain:www.example.test', 'ip:192.0.2.2']);
    const lines = await h.run('command', { type: 'username', value: 'carol' }, node(['lines', '{input}'], {
      parser: 'lines',
      regex: '^\\[\\+\\] (?<site>[^:]+): (?<url>https?://\\S+)$',
      mappings: [{ type: 'account', from: 'url', label: 'site', link: 'has_account' }],
    }));
    expect(lines.entities.map((e) => e.value)).toEqual(['https://github.com/carol', 'https://www.reddit.com/user/carol']);
  });

  it('passes the input as one argument without a shell', async () => {
    const hostile = 'x$(touch /tmp/pwned);`id` | cat';
    const r = await h.invoke('command', { type: 'other', value: hostile }, node(['args', '{input}'], { parser: 'json', mappings: [{ type: 'other', from: '$[1]' }] }));
    expect(r.ok).toBe(true);
    expect((r as { result: { entities: { value: string }[] } }).result.entities[0]!.value).toBe(hostile);
    expect(splitArgs(`--flag "two words" 'it''s' {input}`)).toEqual(['--flag', 'two words', 'its', '{input}']);
  });

  it('refuses bad params or an option-looking input before running, and writes nothing', async () => {
    const before = await h.counts();
    await expect(h.run('command', { type: 'username', value: 'alice' }, { command: CLI, parser: 'json' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(h.run('command', { type: 'username', value: 'alice' }, { command: CLI, mappings: 'not json' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(h.run('command', { type: 'username', value: 'alice' }, { command: CLI, parser: 'lines', regex: '([', mappings: [{ type: 'url', from: '1' }] })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(h.run('command', { type: 'username', value: '--help' }, { command: CLI, mappings: [{ type: 'url', from: '0' }] })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await h.counts()).toEqual(before);
  });

  it('fails permanently on a missing command, a non-zero exit or unparseable output', async () => {
    const missing = await h.invoke('command', { type: 'username', value: 'a' }, { command: '/nonexistent/sherlock', mappings: [{ type: 'url', from: '0' }] });
    expect((missing as { error: ToolError }).error).toMatchObject({ kind: 'permanent', message: expect.stringContaining('command not found') });
    const fail = await h.invoke('command', { type: 'username', value: 'a' }, node(['fail'], { mappings: [{ type: 'url', from: '0' }] }));
    expect((fail as { error: ToolError }).error).toMatchObject({ kind: 'permanent', message: expect.stringContaining('boom: the target refused') });
    const bad = await h.run('command', { type: 'username', value: 'a' }, node(['badjson'], { parser: 'json', mappings: [{ type: 'url', from: '$.x' }] }));
    expect(bad).toMatchObject({ status: 'failed', errorKind: 'permanent' });
  });

  it('classifies a timeout and exit code 75 as transient, and kills the process on abort', async () => {
    const tmp = await h.invoke('command', { type: 'username', value: 'a' }, node(['tempfail'], { mappings: [{ type: 'url', from: '0' }] }));
    expect((tmp as { error: ToolError }).error.kind).toBe('transient');
    const slow = await h.invoke('command', { type: 'username', value: '5000' }, node(['sleep', '{input}'], { timeoutMs: 200, mappings: [{ type: 'url', from: '0' }] }));
    expect((slow as { error: ToolError }).error).toMatchObject({ kind: 'transient', message: expect.stringContaining('did not finish') });
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 100);
    const aborted = await h.invoke('command', { type: 'username', value: '5000' }, node(['sleep', '{input}'], { mappings: [{ type: 'url', from: '0' }] }), ctrl.signal);
    expect(isAbort((aborted as { error: Error }).error)).toBe(true);
  });

  // Long enough for two node processes to start on a loaded machine (the pid file must exist before the kill).
  const GRANDCHILD_TIMEOUT_MS = 8000;
  it.skipIf(process.platform === 'win32')('a timeout kills what the program started too (its own process group)', async () => {
    const pidFile = join(tempDir('dossier-cmd-'), 'grandchild.pid');
    const run = h.invoke('command', { type: 'other', value: pidFile }, node(['grandchild', '{input}'], { timeoutMs: GRANDCHILD_TIMEOUT_MS, mappings: [{ type: 'url', from: '0' }] }));
    const r = await run;
    expect((r as { error: ToolError }).error).toMatchObject({ kind: 'transient', message: expect.stringContaining('did not finish') });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    // SIGKILL to the group is delivered at once; give the kernel a moment to reap it.
    await vi.waitFor(() => expect(alive(pid)).toBe(false), { timeout: 5000, interval: 50 });
  }, 30_000);

  it('output held by all runs in flight is bounded: past the shared budget a run is stopped, transient, and the budget is given back', async () => {
    const free = commandOutputBudget.total - commandOutputBudget.inUse;
    expect(commandOutputBudget.take(free - 64 * 1024)).toBe(true);
    try {
      const r = await h.invoke('command', { type: 'username', value: String(1024 * 1024) }, node(['big', '{input}'], { mappings: [{ type: 'url', from: '0' }] }));
      expect((r as { error: ToolError }).error).toMatchObject({ kind: 'transient', message: expect.stringContaining('will be retried') });
    } finally {
      commandOutputBudget.give(free - 64 * 1024);
    }
    expect(commandOutputBudget.inUse).toBe(0);
    const ok = await h.invoke('command', { type: 'username', value: String(1024 * 1024) }, node(['big', '{input}'], { parser: 'lines', regex: '^(x)', mappings: [{ type: 'other', from: '1' }] }));
    expect(ok.ok).toBe(true);
    expect(commandOutputBudget.inUse).toBe(0);
  });

  it('gives the program a minimal environment: PATH, HOME, TMP and the locale, the names in passEnv, and no inherited proxy or secret', async () => {
    const secret = 'tok_' + 'x'.repeat(20);
    const saved = { ...process.env };
    Object.assign(process.env, { DOSSIER_TEST_API_TOKEN: secret, AWS_SECRET_ACCESS_KEY: secret, HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '*', LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8', MY_TOOL_HOME: '/opt/tool', TMPDIR: '/tmp/dossier-cmd' });
    try {
      const names = async (extra: Record<string, unknown> = {}) => {
        const r = await h.invoke('command', { type: 'username', value: 'a' }, node(['env'], { parser: 'json', mappings: [{ type: 'other', from: '$.names[*]' }], ...extra }));
        expect(r.ok).toBe(true);
        return (r as { result: { entities: { value: string }[]; output: unknown } }).result;
      };
      const plain = await names();
      const got = plain.entities.map((e) => e.value);
      // Only names from the minimal base (which of them exist depends on the machine), never anything else.
      for (const n of got) expect(['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'LANGUAGE', 'TZ'].includes(n) || /^LC_[A-Z]+$/.test(n), n).toBe(true);
      expect(got).toEqual(expect.arrayContaining(['PATH', 'TMPDIR', 'LANG', 'LC_ALL']));
      expect(got).not.toContain('HTTPS_PROXY');
      expect(got).not.toContain('NO_PROXY');
      expect(got).not.toContain('DOSSIER_TEST_API_TOKEN');
      expect(JSON.stringify(plain)).not.toContain(secret);

      // passEnv adds named variables; proxy variables cannot be passed this way.
      const passed = await names({ passEnv: 'MY_TOOL_HOME, DOSSIER_TEST_API_TOKEN' });
      expect(passed.entities.map((e) => e.value)).toEqual(expect.arrayContaining(['MY_TOOL_HOME', 'DOSSIER_TEST_API_TOKEN']));
      expect(passed.entities.map((e) => e.value)).not.toContain('AWS_SECRET_ACCESS_KEY');
      await expect(h.run('command', { type: 'username', value: 'a' }, node(['env'], { parser: 'json', mappings: [{ type: 'other', from: '$.names[*]' }], passEnv: 'HTTPS_PROXY' }))).rejects.toMatchObject({ code: 'invalid_input' });
    } finally {
      process.env = saved;
    }
  });
});
