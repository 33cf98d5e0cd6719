import { EventEmitter } from 'node:events';
import type { CoreEventEnvelope, CoreEventName, CoreEvents } from '../../../preload/contract/events.ts';

/** Typed in-process bus for live UI events (not webhooks: those go through the outbox). */
export class EventBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  emit<K extends CoreEventName>(name: K, payload: CoreEvents[K]): void {
    this.emitter.emit('event', { name, payload } satisfies CoreEventEnvelope<K>);
  }
  /** Subscribe to every event; returns the unsubscribe function. */
  subscribe(fn: (e: CoreEventEnvelope) => void): () => void {
    this.emitter.on('event', fn);
    return () => this.emitter.off('event', fn);
  }
  on<K extends CoreEventName>(name: K, fn: (payload: CoreEvents[K]) => void): () => void {
    return this.subscribe((e) => {
      if (e.name === name) fn(e.payload as CoreEvents[K]);
    });
  }
}
