import type { CallRegistry } from '../../calls/index.js';
import type { Logger } from '../../core/index.js';
import { createCallFloor } from './call-floor.js';
import { createCallListenTap, type CallListenTap } from './call-listen-tap.js';
import { createListenEncoderPool, type ListenEncoderPool } from './encoder-pool.js';
import type { MonitorMetrics } from './metrics.js';
import type { MonitorRelay } from './types.js';

/**
 * The monitor relay for calls tapped on this node: listen audio from a FrameSink on the call's session (encoded on
 * the encoder pool's threads), supervisor audio into `session.inject`. Nothing crosses a process boundary.
 */
export function createLocalMonitorRelay(o: {
  registry: Pick<CallRegistry, 'get'>; log: Logger; metrics: MonitorMetrics; listenBitrate?: number;
  /** Where listen streams are encoded (default: worker threads, see encoder-pool.ts). */
  encoders?: ListenEncoderPool;
}): MonitorRelay {
  const taps = new Map<string, CallListenTap>();
  const encoders = o.encoders ?? createListenEncoderPool({ log: o.log });
  const floor = createCallFloor({ log: o.log, metrics: o.metrics });
  const live = (callId: string) => {
    const s = o.registry.get(callId);
    return s?.status === 'live' ? s : undefined;
  };

  return {
    async describe(callId) {
      const s = live(callId);
      return s && { callId, rate: s.rate, capabilities: s.capabilities, connected: s.connected };
    },
    listen(callId, streams, handlers) {
      const s = live(callId);
      if (!s) return undefined;
      let tap = taps.get(callId);
      if (!tap) {
        const created = createCallListenTap({
          callId, rate: s.rate, addSink: (sink) => s.addSink(sink), log: o.log, metrics: o.metrics, encoders, bitrate: o.listenBitrate,
          onIdle: () => { if (taps.get(callId) === created) taps.delete(callId); },
        });
        tap = created;
        taps.set(callId, tap);
      }
      return tap.subscribe(streams, handlers);
    },
    async openInjection(callId, target, who, opts) {
      const s = live(callId);
      if (!s) return { ok: false, reason: 'the call is not live' };
      return floor.open(s, target, who, opts);
    },
    async close() {
      taps.clear();
      await encoders.close();
    },
  };
}
