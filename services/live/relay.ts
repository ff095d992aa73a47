/** Receives one payload published on a relay channel. Must be quick (it runs on the publisher's or the Redis reader's turn). */
export type RelayHandler = (payload: Buffer) => void;

/**
 * A small pub/sub for binary payloads on named channels — per-call audio between nodes (listen frames from the node
 * that holds the call to the node serving a supervisor, whisper audio the other way). Fire-and-forget: a payload is
 * delivered to every subscriber of its channel on every node (this node's at once, in order), or dropped and counted;
 * it is never queued for long (late audio is useless). Channel names are the caller's, e.g. `listen:<callId>:mixed`
 * and `inject:<callId>`; payloads are opaque bytes (the caller frames them: seq, timestamp, codec).
 *
 * Two implementations: `createInProcessRelay` (one node) and `createRedisRelay` (`REDIS_URL`), one contract
 * (test/bus-contract.int.test.ts).
 */
export interface Relay {
  publish(channel: string, payload: Buffer): void;
  /** Returns the unsubscribe function (idempotent). */
  subscribe(channel: string, handler: RelayHandler): () => void;
  /** Settles when every subscription made so far receives other nodes' payloads and this node's reach them (at once in process). */
  whenSubscribed(): Promise<void>;
  close(): Promise<void>;
}

/** The local half of every relay: channel → handlers, synchronous delivery, a throwing handler reported and skipped. */
export function createLocalFanout(onHandlerError: (err: unknown) => void = () => {}) {
  const channels = new Map<string, Set<RelayHandler>>();
  return {
    deliver(channel: string, payload: Buffer): void {
      const handlers = channels.get(channel);
      if (!handlers) return;
      for (const h of handlers) {
        try { h(payload); } catch (err) { onHandlerError(err); }
      }
    },
    /** Adds a handler; `first` is true when the channel had none. */
    add(channel: string, handler: RelayHandler): { first: boolean; remove: () => { last: boolean } } {
      let set = channels.get(channel);
      const first = !set;
      if (!set) channels.set(channel, (set = new Set()));
      const wrapped: RelayHandler = (p) => handler(p);
      set.add(wrapped);
      return {
        first,
        remove() {
          const s = channels.get(channel);
          if (!s?.delete(wrapped)) return { last: false };
          if (s.size > 0) return { last: false };
          channels.delete(channel);
          return { last: true };
        },
      };
    },
    channels: () => [...channels.keys()],
    clear: () => channels.clear(),
  };
}

export function createInProcessRelay(onHandlerError?: (err: unknown) => void): Relay {
  const fanout = createLocalFanout(onHandlerError);
  let closed = false;
  return {
    publish(channel, payload) {
      if (!closed) fanout.deliver(channel, payload);
    },
    subscribe(channel, handler) {
      if (closed) return () => {};
      const { remove } = fanout.add(channel, handler);
      return () => { remove(); };
    },
    whenSubscribed: async () => {},
    async close() {
      closed = true;
      fanout.clear();
    },
  };
}
