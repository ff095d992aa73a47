import type { Logger } from '../../core/index.js';
import type { Relay } from '../relay.js';
import { createClusterClient } from './cluster-client.js';
import { createClusterResponder } from './cluster-responder.js';
import type { MonitorMetrics } from './metrics.js';
import { injectRemotely } from './remote-injection.js';
import { listenRemotely } from './remote-listen.js';
import type { MonitorRelay } from './types.js';

/**
 * The monitor relay of one node among several (REDIS_URL): calls tapped here go through `local`, as on a single
 * node; calls tapped elsewhere are reached over `relay` (see cluster-protocol.ts) — listen audio encoded once on the
 * holder, supervisor audio decoded and injected there, the floor held there. This node answers the others about its
 * own calls at the same time.
 */
export function createClusterMonitorRelay(o: {
  local: MonitorRelay; relay: Relay; isLocal: (callId: string) => boolean; log: Logger; metrics: MonitorMetrics;
}): MonitorRelay {
  const log = o.log.child({ stage: 'monitor-cluster' });
  const responder = createClusterResponder({ local: o.local, relay: o.relay, log });
  const client = createClusterClient({ relay: o.relay, log });

  return {
    async describe(callId) {
      if (o.isLocal(callId)) return o.local.describe(callId);
      const reply = await client.ask({ op: 'describe', callId });
      return reply?.ok ? reply.info : undefined;
    },
    listen(callId, streams, handlers) {
      if (o.isLocal(callId)) return o.local.listen(callId, streams, handlers);
      return listenRemotely({ client, relay: o.relay, callId, streams, handlers });
    },
    openInjection(callId, target, who, opts) {
      if (o.isLocal(callId)) return o.local.openInjection(callId, target, who, opts);
      return injectRemotely({ client, relay: o.relay, log, metrics: o.metrics, callId, target, who, notifyTone: !!opts?.notifyTone });
    },
    async close() {
      responder.close();
      client.close();
      await o.local.close();
      await o.relay.close();
    },
  };
}
