import { processPort } from './node-port.ts';
import { runCoreHost } from './run-host.ts';

// The core host under plain Node (`child_process.fork` of this file); the desktop's utility process
// runs main/electron/core-host.ts instead. Both serve the same protocol through runCoreHost.
process.exitCode = await runCoreHost(processPort());
// Closing the channel flushes what is queued on it and lets the process end once the core's handles are
// gone; a handle someone forgot to close must not keep a closed core's process around.
if (process.connected) process.disconnect();
setTimeout(() => process.exit(), 2_000).unref();
