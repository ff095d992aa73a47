import type { CallLifecycle } from '../calls/index.js';
import type { ServerContext } from './context.js';

/** What happens when a call starts and ends: stored, recorded, announced on the bus. */
export function createCallLifecycle(ctx: Omit<ServerContext, 'registry'>): CallLifecycle {
  const { bus } = ctx;
  return {
    started(session) {
      bus.publish({
        type: 'call.started', callId: session.id, at: session.startedAt.toISOString(), protocol: session.meta.protocol,
        direction: session.meta.direction, agentExternalId: session.meta.agentExternalId, queue: session.meta.queue,
        capabilities: session.capabilities,
      });
    },
    resumed(session) {
      bus.publish({ type: 'call.resumed', callId: session.id, at: new Date().toISOString() });
    },
    finished(session, status) {
      const at = new Date().toISOString();
      bus.publish(status === 'interrupted'
        ? { type: 'call.interrupted', callId: session.id, at, durationMs: session.durationMs }
        : { type: 'call.ended', callId: session.id, at, status, durationMs: session.durationMs });
    },
  };
}
