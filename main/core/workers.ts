/** A background loop of the core (delivery worker, executor, relay receiver, ...). */
export interface BackgroundWorker {
  readonly name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}
