import type { Logger } from '../core/index.js';
import { AppError } from '../core/index.js';
import { createTimeline, type AlignedBlock } from './timeline.js';
import type {
  AudioFrame, CallMeta, CallStats, CallStatus, Capabilities, Channel, FrameSink, InjectTarget, SampleRate, TapPort,
} from './types.js';

const NO_CAPABILITIES: Capabilities = { listen: true, whisper: false, barge: false, playToCustomer: false };

export interface CallSession {
  readonly id: string;
  readonly meta: CallMeta;
  readonly rate: SampleRate;
  readonly startedAt: Date;
  readonly status: CallStatus;
  readonly capabilities: Capabilities;
  readonly connected: boolean;
  readonly stats: CallStats;
  /** Current end of the aligned timeline in ms. */
  readonly durationMs: number;
  /** Writes one channel's PCM at `atSample` on the call timeline (default: appended). */
  write(channel: Channel, pcm: Int16Array, atSample?: number): void;
  /** Both channels jump to `atSample`; the skipped stretch becomes silence (pause, discard). */
  skipTo(atSample: number): void;
  /** Sends PCM (at the call's rate) toward a party; refused with a reason when the tap cannot. */
  inject(target: InjectTarget, pcm: Int16Array): void;
  addSink(sink: FrameSink): () => void;
  attach(port: TapPort): void;
  detach(): void;
  /** Flushes the timeline, lets every sink finish, and sets the final status. Idempotent. */
  finish(status: Exclude<CallStatus, 'live'>): Promise<void>;
}

/** Why a target cannot be reached, or undefined when it can. */
export function injectionRefusal(caps: Capabilities, target: InjectTarget, connected: boolean): string | undefined {
  if (!connected) return 'the call\'s tap is not connected';
  switch (target) {
    case 'agent': return caps.whisper ? undefined : 'this call\'s tap cannot send audio to the agent only (no whisper)';
    case 'both': return caps.barge ? undefined : 'this call\'s tap cannot send audio to both parties (no barge)';
    case 'customer': return caps.playToCustomer || caps.barge ? undefined : 'this call\'s tap cannot send audio to the customer';
  }
}

export function createCallSession(opts: {
  id: string; meta: CallMeta; rate: SampleRate; port: TapPort; maxSkewMs: number; log: Logger; startedAt?: Date;
}): CallSession {
  const { id, meta, rate, log } = opts;
  const timeline = createTimeline(Math.round((opts.maxSkewMs * rate) / 1000));
  const sinks = new Set<FrameSink>();
  const stats: CallStats = { framesIn: 0, gapSamples: 0, lateSamples: 0, alignedSamples: 0 };
  let port: TapPort | undefined = opts.port;
  let capabilities = opts.port.capabilities;
  let status: CallStatus = 'live';
  let seq = 0;
  let finishing: Promise<void> | undefined;

  function emit(block: AlignedBlock | undefined): void {
    stats.gapSamples = timeline.counters.gapSamples;
    stats.lateSamples = timeline.counters.lateSamples;
    if (!block) return;
    stats.alignedSamples = block.startSample + block.agent.length;
    const startMs = (block.startSample * 1000) / rate;
    const s = seq++;
    const agent: AudioFrame = { callId: id, channel: 'agent', seq: s, startMs, pcm: block.agent, rate };
    const customer: AudioFrame = { callId: id, channel: 'customer', seq: s, startMs, pcm: block.customer, rate };
    for (const sink of sinks) {
      try {
        sink.onFrames(agent, customer);
      } catch (err) {
        log.error({ err, callId: id }, 'frame sink failed');
      }
    }
  }

  return {
    id, meta, rate,
    startedAt: opts.startedAt ?? new Date(),
    get status() { return status; },
    get capabilities() { return capabilities; },
    get connected() { return port !== undefined; },
    get stats() { return stats; },
    get durationMs() { return (timeline.emitted * 1000) / rate; },
    write(channel, pcm, atSample) {
      if (status !== 'live') return;
      stats.framesIn++;
      emit(timeline.write(channel, pcm, atSample));
    },
    skipTo(atSample) {
      if (status !== 'live') return;
      emit(timeline.skipTo(atSample));
    },
    inject(target, pcm) {
      const refusal = injectionRefusal(capabilities, target, port !== undefined);
      if (refusal) throw new AppError(refusal, { status: 409 });
      port!.inject(target, pcm);
    },
    addSink(sink) {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
    attach(p) {
      port = p;
      capabilities = p.capabilities;
    },
    detach() {
      port = undefined;
    },
    finish(final) {
      finishing ??= (async () => {
        emit(timeline.flush());
        status = final;
        port = undefined;
        capabilities = NO_CAPABILITIES;
        const results = await Promise.allSettled([...sinks].map(async (s) => s.onEnd?.(final)));
        for (const r of results) if (r.status === 'rejected') log.error({ err: r.reason, callId: id }, 'sink failed at call end');
        sinks.clear();
      })();
      return finishing;
    },
  };
}
