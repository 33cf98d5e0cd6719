/** A background loop of the core (delivery worker, executor, relay receiver, ...). */
export interface BackgroundWorker {
  readonly name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

/**
 * A housekeeping loop: `tick` at start and then every `everyMs`, its failures logged (never thrown), the timer
 * unref'd so it never keeps a process alive. Retention, sweeps and the like share this one shape.
 */
export function intervalWorker(name: string, everyMs: number, tick: () => Promise<unknown> | unknown, log: { error(o: object, msg: string): void }): BackgroundWorker {
  let timer: NodeJS.Timeout | null = null;
  const run = () => {
    try {
      void Promise.resolve(tick()).catch((e: unknown) => log.error({ err: (e as Error).message }, `${name} failed`));
    } catch (e) {
      log.error({ err: (e as Error).message }, `${name} failed`);
    }
  };
  return {
    name,
    start() {
      run();
      timer = setInterval(run, everyMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
