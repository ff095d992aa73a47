import { randomUUID } from 'node:crypto';
import type { Logger } from '../../core/index.js';
import type { Relay } from '../relay.js';
import {
  channel, parseJson, replyEnvelope, REQUEST_TIMEOUT_MS, toPayload, type ClusterReply, type ClusterRequest,
} from './cluster-protocol.js';

export interface ClusterClient {
  /** Asks the node holding the call; undefined when no node answered in time (no node holds it, or it died). */
  ask(request: ClusterRequest): Promise<ClusterReply | undefined>;
  /** Tells the holder something that needs no answer (a lease given back). */
  tell(request: ClusterRequest): void;
  close(): void;
}

/** The asking side of cluster monitoring: requests on the broadcast channel, answers on this node's reply channel. */
export function createClusterClient(o: { relay: Relay; log: Logger }): ClusterClient {
  const node = randomUUID();
  const pending = new Map<number, (reply: ClusterReply | undefined) => void>();
  let nextId = 1;
  const offReplies = o.relay.subscribe(channel.replies(node), (payload) => {
    const parsed = replyEnvelope.safeParse(parseJson(payload));
    if (!parsed.success) {
      o.log.warn('malformed monitor reply from another node ignored');
      return;
    }
    pending.get(parsed.data.id)?.(parsed.data as ClusterReply);
  });
  const ready = o.relay.whenSubscribed();

  return {
    async ask(request) {
      // Redis unreachable: the request is dropped and times out like one nobody answers, instead of waiting for it.
      await Promise.race([ready, new Promise((r) => setTimeout(r, REQUEST_TIMEOUT_MS).unref())]);
      const id = nextId++;
      return new Promise((resolve) => {
        const sentAt = performance.now();
        const timer = setTimeout(() => {
          o.log.debug({ op: request.op, callId: request.callId, waitedMs: Math.round(performance.now() - sentAt) }, 'no node answered a monitor request');
          settle(undefined);
        }, REQUEST_TIMEOUT_MS);
        const settle = (reply: ClusterReply | undefined) => {
          clearTimeout(timer);
          pending.delete(id);
          resolve(reply);
        };
        pending.set(id, settle);
        o.relay.publish(channel.requests, toPayload({ from: node, id, request }));
      });
    },
    tell(request) {
      o.relay.publish(channel.requests, toPayload({ from: node, id: 0, request }));
    },
    close() {
      offReplies();
      for (const settle of [...pending.values()]) settle(undefined);
    },
  };
}
