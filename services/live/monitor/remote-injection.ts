import { randomUUID } from 'node:crypto';
import type { InjectTarget } from '../../calls/index.js';
import type { Logger } from '../../core/index.js';
import type { Relay } from '../relay.js';
import type { ClusterClient } from './cluster-client.js';
import { channel, LEASE_RENEW_MS, stamp } from './cluster-protocol.js';
import type { MonitorMetrics } from './metrics.js';
import type { InjectionHandle, InjectionResult, Monitorer } from './types.js';

const NO_ANSWER = 'the server holding the call did not answer; try again';

/**
 * Talking into a call held by another node: the holder takes the call's floor and opens the injection there; this
 * node sends the supervisor's Opus packets on the injection's channel as they come (decoded on the holder) and
 * renews the lease. A lease given back or lapsed frees the floor on the holder.
 */
export async function injectRemotely(o: {
  client: ClusterClient; relay: Relay; log: Logger; metrics: MonitorMetrics;
  callId: string; target: InjectTarget; who: Monitorer; notifyTone: boolean;
}): Promise<InjectionResult> {
  const { client, callId } = o;
  const injection = randomUUID();
  const reply = await client.ask({ op: 'inject', callId, injection, target: o.target, who: o.who, notifyTone: o.notifyTone });
  if (!reply) {
    client.tell({ op: 'uninject', callId, injection }); // in case the answer was only late
    return { ok: false, reason: NO_ANSWER };
  }
  if (!reply.ok) return reply;
  let current = o.target;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    client.tell({ op: 'uninject', callId, injection });
  };
  const timer = setInterval(() => {
    void client.ask({ op: 'renew-injection', callId, injection }).then((r) => {
      if (r && !r.ok) {
        o.log.info({ callId, reason: r.reason }, 'remote injection ended by the node holding the call');
        close();
      }
    });
  }, LEASE_RENEW_MS);
  timer.unref();

  const handle: InjectionHandle = {
    get target() { return current; },
    async retarget(next) {
      if (closed) return 'the injection was closed';
      const r = await client.ask({ op: 'retarget', callId, injection, target: next });
      if (!r) return NO_ANSWER;
      if (!r.ok) return r.reason;
      current = next;
      return undefined;
    },
    send(opus, receivedAt) {
      if (closed) {
        o.metrics.injectDropped('not_talking');
        return;
      }
      o.relay.publish(channel.inject(injection), stamp(receivedAt, opus));
    },
    close,
  };
  return { ok: true, handle };
}
