import pino, { type Logger } from 'pino';

/** Field names whose values never reach a log line, wherever they sit. */
export const REDACTED_KEYS = [
  'secret',
  'secrets',
  'password',
  'token',
  'apiKey',
  'api_key',
  'authorization',
  'cookie',
  'credential',
  'value_sealed',
];

export function createLogger(opts: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `headers["${k}"]`, `*.headers["${k}"]`]);
  return pino(
    {
      level: opts.level ?? process.env.DOSSIER_LOG_LEVEL ?? 'warn',
      redact: { paths, censor: '[redacted]' },
      base: undefined,
    },
    opts.destination ?? pino.destination(2),
  );
}
export type { Logger };
