import { utilityProcess } from 'electron';
import type { HostChild } from '../core/host/client.ts';

/**
 * Starts the core host (core-host.ts, compiled next to this file) as an Electron utility process:
 * a Node process of its own, so a million-row import or a busy relay never blocks the window.
 */
export function spawnUtilityHost(entry: string): HostChild {
  const child = utilityProcess.fork(entry, [], { serviceName: 'Dossier core', stdio: 'inherit' });
  return {
    port: {
      send: (m) => child.postMessage(m),
      onMessage(listener) {
        child.on('message', listener);
        return () => child.off('message', listener);
      },
    },
    get pid() {
      return child.pid;
    },
    // A utility process reports only its exit code; a crash by signal shows as a non-zero code.
    onExit: (listener) => child.once('exit', (code) => listener({ code, signal: null })),
    kill: () => void child.kill(),
  };
}
