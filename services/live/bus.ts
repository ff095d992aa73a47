import type { BusEvent } from './events.js';

export type BusHandler = (event: BusEvent) => void;

/** The event bus: in-process by default, Redis when REDIS_URL is set (one contract, two implementations). */
export interface EventBus {
  publish(event: BusEvent): void;
  subscribe(handler: BusHandler): () => void;
  close(): Promise<void>;
}

export function createInProcessBus(onHandlerError: (err: unknown) => void = () => {}): EventBus {
  const handlers = new Set<BusHandler>();
  return {
    publish(event) {
      for (const h of handlers) {
        try { h(event); } catch (err) { onHandlerError(err); }
      }
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() { handlers.clear(); },
  };
}
