import { performance } from 'node:perf_hooks';
import type { CallMeta, CallRegistry, CallSession, Channel, SampleRate, TapPort, TapProtocol } from '../../calls/index.js';
import { ProtocolError, type Logger } from '../../core/index.js';
import type { DropReason, TapMetrics } from './metrics.js';

/** Close code for "this call is already connected on another socket" (docs/native-protocol.md). */
export const CLOSE_ALREADY_CONNECTED = 4409;

/**
 * One connection's link to the call registry: opens or resumes the call, writes audio (counting frames and timing
 * them), and ends it properly or reports the connection lost. A connection has at most one call.
 */
export interface CallBinding {
  readonly session: CallSession | undefined;
  /** Whether the call was ended properly (or is being ended). */
  readonly ended: boolean;
  /** The live call this protocol has under `externalId`, if any. */
  live(externalId: string): CallSession | undefined;
  /** Opens or resumes the call. Throws ProtocolError(4409) when it is connected on another socket. */
  open(meta: CallMeta, rate: SampleRate, port: TapPort): { session: CallSession; resumed: boolean };
  /** Writes one channel's PCM; returns how many of its samples were dropped as late. */
  write(channel: Channel, pcm: Int16Array, atSample?: number): number;
  skipTo(atSample: number): void;
  /** The frame that arrived at `arrivedAt` (performance.now()) is on the timeline: count it and observe its latency. */
  accepted(arrivedAt: number): void;
  dropped(reason: DropReason, count?: number): void;
  /** The tap ended the call properly: flush, let sinks finish, mark it ended. */
  end(): Promise<void>;
  /** The socket went away without a proper end: the call waits for a resume, then is interrupted. */
  lost(): void;
}

export function createCallBinding(opts: {
  protocol: TapProtocol; registry: CallRegistry; metrics: TapMetrics; log: Logger;
}): CallBinding {
  const { protocol, registry, metrics } = opts;
  let session: CallSession | undefined;
  let ending: Promise<void> | undefined;

  return {
    get session() { return session; },
    get ended() { return ending !== undefined; },
    live(externalId) {
      return registry.live().find((s) => s.meta.protocol === protocol && s.meta.externalId === externalId);
    },
    open(meta, rate, port) {
      if (session) throw new Error('this connection already has a call');
      const existing = this.live(meta.externalId);
      if (existing?.connected) throw new ProtocolError(`call ${meta.externalId} is already connected on another socket`, CLOSE_ALREADY_CONNECTED);
      const result = registry.open(meta, rate, port);
      session = result.session;
      return result;
    },
    write(channel, pcm, atSample) {
      if (!session) return pcm.length;
      const before = session.stats.lateSamples;
      session.write(channel, pcm, atSample);
      return session.stats.lateSamples - before;
    },
    skipTo(atSample) {
      session?.skipTo(atSample);
    },
    accepted(arrivedAt) {
      metrics.frame(protocol);
      metrics.handling((performance.now() - arrivedAt) / 1000);
    },
    dropped(reason, count) {
      metrics.dropped(protocol, reason, count);
    },
    end() {
      if (!session) return Promise.resolve();
      const s = session;
      ending ??= registry.end(s);
      return ending;
    },
    lost() {
      if (!session || ending) return;
      opts.log.warn({ callId: session.id }, 'tap connection lost without ending the call');
      registry.disconnected(session);
    },
  };
}
