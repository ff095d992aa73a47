import { EngineError, ValidationError } from '../../core/index.js';
import type { FromVadWorker, ModelRate, ToVadWorker } from './protocol.js';
import { createVadSegmenter } from './segmenter.js';
import type { VadChannel, VadChannelOptions, VadEvent, VadSegmenterOptions } from './types.js';

/** The worker a channel lives on, as the channel sees it. */
export interface ChannelHost {
  readonly maxInFlightMs: number;
  /** Posts to the worker; throws when the worker is gone. */
  post(msg: ToVadWorker, transfer?: ArrayBuffer[]): void;
  /** A push waited `ms` for in-flight room. */
  waited(ms: number): void;
  closed(id: number): void;
}

export interface RemoteVadChannel extends VadChannel {
  readonly id: number;
  readonly inFlightMs: number;
  onMessage(msg: Extract<FromVadWorker, { type: 'result' | 'failed' }>): void;
  /** The worker is gone or the VAD is closing: everything waiting fails with `err`, and so does every later call. */
  abort(err: EngineError): void;
}

interface Settle { resolve: (e: VadEvent[]) => void; reject: (e: unknown) => void }
type Waiting =
  | ({ kind: 'audio'; pcm: Int16Array; ms: number; originMs: number; since: number } & Settle)
  | ({ kind: 'flush' } & Settle);
interface Sent { ms: number; originMs: number; flush?: Settle }

/**
 * The main-thread side of one channel: keeps the call-timeline bookkeeping and the segmenter (cheap), sends
 * audio to the worker (model, resampling, energies). At most `maxInFlightMs` of audio is sent and
 * unprocessed; beyond that `push` waits until the worker catches up (the audio is never dropped).
 */
export function createRemoteChannel(
  id: number, co: VadChannelOptions, modelRate: ModelRate, options: VadSegmenterOptions, host: ChannelHost,
): RemoteVadChannel {
  const { callId, speaker, rate } = co;
  const label = `${callId}/${speaker}`;
  const segmenter = createVadSegmenter({ callId, speaker, options });
  const sent = new Map<number, Sent>();
  const waiting: Waiting[] = [];
  let outbox: VadEvent[] = [];
  let seq = 0;
  let inFlightMs = 0;
  let anchorMs: number | null = null;
  let pushedSamples = 0;
  let fatal: EngineError | null = null;
  let closed = false;

  host.post({ type: 'open', id, inRate: rate, modelRate });

  const drain = () => {
    const out = outbox;
    outbox = [];
    return out;
  };
  const room = (ms: number) => inFlightMs === 0 || inFlightMs + ms <= host.maxInFlightMs;
  const throwIfUnusable = () => {
    if (fatal) throw fatal;
    if (closed) throw new EngineError(`VAD channel ${label} is closed`, false);
  };

  function send(pcm: Int16Array, ms: number, originMs: number): void {
    const copy = pcm.slice(); // transfer our own copy: the caller's buffer stays usable
    const s = ++seq;
    host.post({ type: 'audio', id, seq: s, pcm: copy }, [copy.buffer as ArrayBuffer]);
    sent.set(s, { ms, originMs });
    inFlightMs += ms;
  }

  function sendFlush(settle: Settle): void {
    const s = ++seq;
    host.post({ type: 'flush', id, seq: s });
    sent.set(s, { ms: 0, originMs: 0, flush: settle });
  }

  /** Sends what is waiting, in order, as far as the in-flight limit allows (a flush needs no room). */
  function pump(): void {
    while (waiting.length && !fatal) {
      const w = waiting[0];
      if (w.kind === 'audio') {
        if (!room(w.ms)) return;
        waiting.shift();
        send(w.pcm, w.ms, w.originMs);
        host.waited(performance.now() - w.since);
        w.resolve(drain());
      } else {
        waiting.shift();
        sendFlush(w);
      }
    }
  }

  /** The samples to send for a push at `startMs`: a forward gap becomes leading silence. */
  function align(pcm: Int16Array, startMs: number): Int16Array {
    if (!Number.isFinite(startMs)) throw new ValidationError(`VAD ${label}: startMs must be finite, got ${startMs}`, 'startMs');
    anchorMs ??= startMs;
    const expected = anchorMs + (pushedSamples * 1000) / rate;
    const tolerance = Math.max(1, 1000 / rate);
    if (startMs < expected - tolerance) {
      throw new ValidationError(`VAD ${label}: audio at ${startMs} ms goes back over audio already sent (up to ${expected} ms)`, 'startMs');
    }
    if (startMs <= expected + tolerance) return pcm;
    const gap = Math.round(((startMs - expected) * rate) / 1000);
    const out = new Int16Array(gap + pcm.length);
    out.set(pcm, gap);
    return out;
  }

  const self: RemoteVadChannel = {
    id, callId, speaker, rate,
    get inFlightMs() {
      return inFlightMs;
    },
    get isSpeech() {
      return segmenter.isSpeech;
    },
    get processedMs() {
      return segmenter.processedMs;
    },
    push(pcm, startMs) {
      try {
        throwIfUnusable();
        if (pcm.length === 0) return Promise.resolve(drain());
        const samples = align(pcm, startMs);
        pushedSamples += samples.length;
        const ms = (samples.length * 1000) / rate;
        const originMs = anchorMs ?? startMs;
        if (!waiting.length && room(ms)) {
          send(samples, ms, originMs);
          return Promise.resolve(drain());
        }
        return new Promise<VadEvent[]>((resolve, reject) => {
          const copy = samples === pcm ? pcm.slice() : samples;
          waiting.push({ kind: 'audio', pcm: copy, ms, originMs, since: performance.now(), resolve, reject });
        });
      } catch (err) {
        return Promise.reject(err as Error);
      }
    },
    async flush() {
      throwIfUnusable();
      anchorMs = null;
      pushedSamples = 0;
      const done = new Promise<VadEvent[]>((resolve, reject) => {
        waiting.push({ kind: 'flush', resolve, reject });
      });
      pump();
      const out = await done;
      throwIfUnusable();
      return out;
    },
    close() {
      if (closed) return;
      closed = true;
      const err = new EngineError(`VAD channel ${label} is closed`, false);
      for (const w of waiting.splice(0)) w.reject(err);
      for (const s of sent.values()) s.flush?.reject(err);
      sent.clear();
      if (!fatal) host.post({ type: 'close', id });
      host.closed(id);
    },
    onMessage(msg) {
      if (msg.seq === null) return;
      const s = sent.get(msg.seq);
      if (!s) return;
      sent.delete(msg.seq);
      inFlightMs = Math.max(0, inFlightMs - s.ms);
      if (msg.type === 'failed') {
        // The model's state no longer matches the audio sent: the channel cannot go on.
        self.abort(new EngineError(`VAD ${label}: ${msg.message}`, false));
        s.flush?.reject(fatal);
        return;
      }
      outbox.push(...segmenter.push(s.originMs, msg.probs, msg.energies, msg.validMs));
      if (s.flush) {
        outbox.push(...segmenter.finish());
        s.flush.resolve(drain());
      }
      pump();
    },
    abort(err) {
      fatal ??= err;
      for (const w of waiting.splice(0)) w.reject(err);
      for (const s of sent.values()) s.flush?.reject(err);
      sent.clear();
      inFlightMs = 0;
    },
  };
  return self;
}
