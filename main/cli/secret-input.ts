import { UsageError } from './errors.ts';

/** Secrets come from stdin, never argv: `ps`, /proc and shell history show argv to other users and to later readers. */
export async function readStdinSecret(prompt = 'Enter the secret, then press Enter and Ctrl-D:'): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write(`${prompt}\n`);
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/**
 * The `--secret` flag stays declared so that using it gets this message rather than commander's "unknown option";
 * the value is never used.
 */
export const ARGV_SECRET_FLAG = ['--secret <secret>', 'refused: a secret on the command line leaks; use --secret-stdin'] as const;

/** The secret for a create/rotate command: from stdin with --secret-stdin, else undefined (the core generates one). */
export async function secretFromOptions(o: { secret?: unknown; secretStdin?: unknown }): Promise<string | undefined> {
  if (o.secret !== undefined) {
    throw new UsageError('a secret on the command line is refused (ps and shell history keep it): pipe it with --secret-stdin, or omit it to have one generated');
  }
  if (!o.secretStdin) return undefined;
  const secret = await readStdinSecret();
  if (!secret) throw new UsageError('--secret-stdin read an empty secret');
  return secret;
}
