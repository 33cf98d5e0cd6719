import type { ParentPort } from 'electron';
import { runCoreHost } from '../core/host/run-host.ts';
import type { ClosablePort } from '../core/host/run-host.ts';

// The desktop's core process: Electron's main process starts this file with utilityProcess.fork
// (host-process.ts) and talks to it over process.parentPort. It imports nothing of Electron at
// runtime (a utility process has no app, windows or safeStorage); the protocol is runCoreHost's.

/** Electron's parentPort as the host's end of the channel (messages arrive as MessageEvents). */
function parentPortOf(parent: ParentPort): ClosablePort {
  return {
    send: (m) => parent.postMessage(m),
    onMessage(listener) {
      const onMessage = (e: Electron.MessageEvent) => listener(e.data);
      parent.on('message', onMessage);
      return () => parent.off('message', onMessage);
    },
  };
}

const code = await runCoreHost(parentPortOf(process.parentPort));
// The core is closed and its answers are posted; Electron's main process waits for this exit.
process.exit(code);
