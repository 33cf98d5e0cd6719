import { z } from 'zod';
import { createCore } from '../core.ts';
import { createLogger } from '../log.ts';
import { processPort } from '../host/node-port.ts';
import { runCoreHost } from '../host/run-host.ts';
import { defineTool } from '../tools/types.ts';

/**
 * The core host as the host tests fork it: the real runCoreHost over Node IPC, with one test tool and
 * one broken method, so the tests can play a long call to cancel and an unexpected failure.
 */

/** Runs until its call is cancelled (then ends as an abort, like a fetch would). */
const waitTool = defineTool({
  name: 'test.wait',
  title: 'Wait',
  description: 'Waits until cancelled.',
  accepts: ['username'] as const,
  params: z.object({}).strict(),
  hosts: () => [],
  rateLimit: { perSecond: 0, burst: 1 },
  egress: 'offline',
  run: (_input, _params, ctx) =>
    new Promise((_resolve, reject) => {
      ctx.signal.addEventListener('abort', () => reject(new DOMException('cancelled', 'AbortError')), { once: true });
    }),
});

process.exitCode = await runCoreHost(processPort(), {
  // The failures these tests provoke on purpose would fill the output; DOSSIER_LOG_LEVEL shows them.
  log: createLogger({ level: process.env.DOSSIER_LOG_LEVEL ?? 'fatal' }),
  async createCore(opts) {
    const core = await createCore(opts);
    core.ctx.tools.register(waitTool);
    // app.info fails the way a handler does when something unexpected breaks (a plain TypeError).
    (core.handlers as unknown as Record<string, () => Promise<never>>)['app.info'] = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'prepare')");
    };
    return core;
  },
});
if (process.connected) process.disconnect();
setTimeout(() => process.exit(), 2_000).unref();
