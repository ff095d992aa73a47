import { performance } from 'node:perf_hooks';
import { mixMono } from '../../audio/index.js';
import type { AudioFrame, CallStatus, FrameSink, SampleRate } from '../../calls/index.js';
import type { Logger } from '../../core/index.js';
import { encodeAudioFrame, STREAM_ID } from './audio-frame.js';
import type { ListenEncoderPool, PooledEncoder } from './encoder-pool.js';
import type { MonitorMetrics } from './metrics.js';
import type { EncodedFrame } from './stream-encoder.js';
import { LISTEN_STREAMS, type ListenHandlers, type ListenStream, type ListenSubscription } from './types.js';

interface Listener { streams: Set<ListenStream>; handlers: ListenHandlers }

export interface CallListenTap {
  subscribe(streams: readonly ListenStream[], handlers: ListenHandlers): ListenSubscription;
  readonly listeners: number;
}

/**
 * The listen side of one call: a FrameSink on the call that exists only while someone listens. Each stream that
 * anyone wants is encoded once per frame (on the encoder pool's thread) and the same packet goes to all its
 * listeners, so the cost does not grow with the number of listeners. The sink only copies and posts audio: the
 * call's frame path never waits for encoding or for a listener (listeners queue; see the supervisor's audio outlet).
 */
export function createCallListenTap(o: {
  callId: string;
  rate: SampleRate;
  addSink(sink: FrameSink): () => void;
  log: Logger;
  metrics: MonitorMetrics;
  encoders: ListenEncoderPool;
  /** Opus bitrate in bit/s; undefined lets libopus choose for the rate. */
  bitrate?: number;
  /** The last listener left (or the call ended): the owner forgets this tap. */
  onIdle(): void;
}): CallListenTap {
  const listeners = new Set<Listener>();
  const encoders = new Map<ListenStream, PooledEncoder>();
  let removeSink: (() => void) | undefined;
  let ended = false;

  function refreshEncoders(): void {
    const wanted = new Set<ListenStream>();
    for (const l of listeners) for (const s of l.streams) wanted.add(s);
    for (const [s, enc] of encoders) {
      if (wanted.has(s)) continue;
      enc.close();
      encoders.delete(s);
    }
    for (const s of wanted) if (!encoders.has(s)) encoders.set(s, openEncoder(s));
  }

  function openEncoder(stream: ListenStream): PooledEncoder {
    return o.encoders.open(o.rate, o.bitrate, (frames, at) => emit(stream, frames, at), (n) => o.metrics.listenFramesDropped('encoder_behind', n));
  }

  function emit(stream: ListenStream, frames: EncodedFrame[], capturedAt: number): void {
    for (const f of frames) {
      const packet = { stream, seq: f.seq, timestampMs: f.timestampMs, data: encodeAudioFrame(STREAM_ID[stream], f.seq, f.timestampMs, f.opus), capturedAt };
      for (const l of listeners) {
        if (!l.streams.has(stream)) continue;
        try {
          l.handlers.onPacket(packet);
        } catch (err) {
          o.log.error({ err, callId: o.callId }, 'listener failed');
        }
      }
    }
  }

  function deliver(stream: ListenStream, startSample: number, pcm: Int16Array, capturedAt: number): void {
    const encoder = encoders.get(stream);
    if (!encoder) return;
    try {
      encoder.push(startSample, pcm, capturedAt);
    } catch (err) {
      o.metrics.listenFramesDropped('encode_error');
      o.log.error({ err, callId: o.callId, stream }, 'listen encoding failed');
      encoder.close();
      encoders.set(stream, openEncoder(stream));
    }
  }

  const sink: FrameSink = {
    onFrames(agent: AudioFrame, customer: AudioFrame) {
      if (!encoders.size) return;
      const capturedAt = performance.now();
      const startSample = Math.round((agent.startMs * o.rate) / 1000);
      if (encoders.has('mixed')) deliver('mixed', startSample, mixMono(agent.pcm, customer.pcm), capturedAt);
      deliver('agent', startSample, agent.pcm, capturedAt);
      deliver('customer', startSample, customer.pcm, capturedAt);
    },
    onEnd(status: CallStatus) {
      ended = true;
      removeSink = undefined;
      const reason = status === 'interrupted' ? 'call-interrupted' : 'call-ended';
      for (const l of [...listeners]) {
        try {
          l.handlers.onEnded(reason);
        } catch (err) {
          o.log.error({ err, callId: o.callId }, 'listener failed at call end');
        }
      }
      listeners.clear();
      for (const enc of encoders.values()) enc.close();
      encoders.clear();
      o.onIdle();
    },
  };

  function release(l: Listener): void {
    if (!listeners.delete(l)) return;
    refreshEncoders();
    if (listeners.size === 0 && !ended) {
      removeSink?.();
      removeSink = undefined;
      o.onIdle();
    }
  }

  return {
    get listeners() { return listeners.size; },
    subscribe(streams, handlers) {
      const l: Listener = { streams: new Set(streams.filter((s) => LISTEN_STREAMS.includes(s))), handlers };
      listeners.add(l);
      refreshEncoders();
      removeSink ??= o.addSink(sink);
      return {
        setStreams(next) {
          if (!listeners.has(l)) return;
          l.streams = new Set(next.filter((s) => LISTEN_STREAMS.includes(s)));
          refreshEncoders();
        },
        close: () => release(l),
      };
    },
  };
}
