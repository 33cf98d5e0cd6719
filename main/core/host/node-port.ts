import { fork, type Serializable } from 'node:child_process';
import type { HostPort } from './protocol.ts';
import type { ClosablePort } from './run-host.ts';
import type { HostChild } from './client.ts';

/** The host's end under plain Node: the IPC channel of a process started with `child_process.fork`. */
export function processPort(proc: NodeJS.Process = process): ClosablePort {
  if (!proc.send) throw new Error('the core host must be started with an IPC channel (child_process.fork)');
  return {
    // After the face has gone there is nobody to tell; the host then shuts down through onClose.
    send: (m) => {
      if (proc.connected) proc.send!(m as Serializable);
    },
    onMessage(listener) {
      proc.on('message', listener);
      return () => proc.off('message', listener);
    },
    onClose: (listener) => proc.once('disconnect', listener),
  };
}

/**
 * The face's end under plain Node: `entry` forked with an IPC channel. Structured clone ('advanced')
 * like Electron's utility process, so both carry the same values.
 */
export function forkHost(entry: string, opts: { execArgv?: string[]; env?: NodeJS.ProcessEnv } = {}): HostChild {
  const child = fork(entry, [], {
    execArgv: opts.execArgv ?? [],
    env: opts.env ?? process.env,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // A write racing the child's death fails with EPIPE; its exit is reported through onExit instead.
  child.on('error', () => {});
  const port: HostPort = {
    send: (m) => {
      if (child.connected) child.send(m as Serializable, (err) => void err);
    },
    onMessage(listener) {
      child.on('message', listener);
      return () => child.off('message', listener);
    },
  };
  return {
    port,
    pid: child.pid,
    onExit: (listener) => child.once('exit', (code, signal) => listener({ code, signal })),
    kill: () => child.kill('SIGKILL'),
  };
}
