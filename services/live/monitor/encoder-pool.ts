import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SampleRate } from '../../calls/index.js';
import type { Logger } from '../../core/index.js';
import type { EncoderWorkerData, FromEncoderWorker, ToEncoderWorker } from './encoder-protocol.js';
import { createStreamEncoder, type EncodedFrame, type StreamEncoder } from './stream-encoder.js';

export type FramesHandler = (frames: EncodedFrame[], capturedAt: number) => void;

/** Audio an encoder may have waiting in its worker; more is dropped (the stream restarts at the next frame). */
export const MAX_ENCODER_BACKLOG_MS = 500;

export interface PooledEncoder {
  /** Feeds audio at `startSample` on the call timeline (copied: the caller's array is left alone). Frames come back through the handler given to `open`, usually a little later. */
  push(startSample: number, pcm: Int16Array, capturedAt: number): void;
  close(): void;
}

export interface ListenEncoderPool {
  /** `onDropped(frames)`: audio not encoded because the worker is that far behind (listeners may lose audio; the call never waits). */
  open(rate: SampleRate, bitrate: number | undefined, onFrames: FramesHandler, onDropped?: (frames: number) => void): PooledEncoder;
  /** Starts the threads now (they otherwise start with the first encoder); resolves once each is up or has failed. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

interface Slot {
  worker: Worker | undefined; ready: boolean; dead: boolean; encoders: Set<Remote>; stopping: SharedArrayBuffer;
  /** Resolves when the thread is up or gone. */
  settled: Promise<void>; settle(): void;
}
interface Remote {
  id: number; slot: Slot; onFrames: FramesHandler; rate: SampleRate; bitrate?: number;
  /** Encoding here: for good (no worker, or it failed) or until the worker is ready (`starting`). */
  local?: StreamEncoder; starting: boolean;
  /** Timeline sample after the last audio posted, and up to which the worker has answered. */
  postedTo: number; doneTo: number;
}

/** How to start the worker: the .js build directly, the .ts sources through the tsx bootstrap. */
function workerTarget(): { url: URL; entry?: string } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { url: new URL('./encoder-worker-bootstrap.mjs', here), entry: new URL('./encoder-worker.ts', here).href };
  return { url: new URL('./encoder-worker.js', here) };
}

/**
 * One encoder thread per four cores; below four cores none (inline). Measured on 2 cores, 50 calls with two listeners
 * each (bench:live): with one encoder thread competing with the speech workers, listen p95 was 621 ms end to end with
 * 12 % of frames dropped; inline, p95 12.5 ms, no drops, event-loop p99 17.5 ms (a 20 ms frame encodes in ~0.2 ms).
 */
export const DEFAULT_ENCODER_WORKERS = availableParallelism() >= 4 ? Math.floor(availableParallelism() / 4) : 0;

/**
 * Opus encoding of listen streams off the event loop (DESIGN.md: transcoding runs in worker threads). Each encoder
 * lives on one worker, round-robin; its frames come back in order. Workers start with the first encoder. With
 * `workers: 0`, or once a worker has failed, encoders run inline (synchronously) instead, so listening degrades to
 * costing the event loop rather than stopping.
 */
export function createListenEncoderPool(o: { log: Logger; workers?: number }): ListenEncoderPool {
  const size = Math.max(0, Math.floor(o.workers ?? DEFAULT_ENCODER_WORKERS));
  const newSlot = (): Slot => {
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => { settle = resolve; });
    return { worker: undefined, ready: false, dead: false, encoders: new Set(), stopping: new SharedArrayBuffer(4), settled, settle };
  };
  const slots: Slot[] = Array.from({ length: size }, newSlot);
  const byId = new Map<number, Remote>();
  let nextId = 1;
  let next = 0;
  let closed = false;

  function goLocal(r: Remote): void {
    r.local ??= createStreamEncoder(r.rate, r.bitrate);
    r.starting = false;
  }

  function fail(slot: Slot, why: string, err?: unknown): void {
    if (slot.dead) return;
    slot.dead = true;
    slot.worker = undefined;
    slot.settle();
    if (!closed) o.log.error({ err, reason: why, encoders: slot.encoders.size }, 'listen encoder worker failed; encoding on the event loop instead');
    for (const r of slot.encoders) goLocal(r);
  }

  function start(slot: Slot): Worker {
    const target = workerTarget();
    const data: EncoderWorkerData = { entry: target.entry, stopping: slot.stopping };
    const w = new Worker(target.url, { workerData: data, name: 'listen-encoder' });
    w.unref();
    w.on('message', (m: FromEncoderWorker) => {
      if (m.t === 'ready') {
        slot.ready = true;
        slot.settle();
        return;
      }
      const r = byId.get(m.id);
      if (!r) return;
      if (m.t === 'failed') {
        o.log.error({ reason: m.message }, 'listen encoder failed in its worker; encoding it on the event loop');
        goLocal(r);
        return;
      }
      r.doneTo = Math.max(r.doneTo, m.to);
      r.onFrames(m.frames.map((f) => ({ seq: f.seq, timestampMs: f.timestampMs, opus: Buffer.from(f.opus.buffer, f.opus.byteOffset, f.opus.byteLength) })), m.at);
    });
    w.on('error', (err) => fail(slot, 'error', err));
    w.on('exit', (code) => fail(slot, `exited with code ${code}`));
    return w;
  }

  const post = (slot: Slot, m: ToEncoderWorker, transfer: ArrayBuffer[] = []) => slot.worker?.postMessage(m, transfer);

  return {
    open(rate, bitrate, onFrames, onDropped) {
      const id = nextId++;
      const live = slots.filter((s) => !s.dead);
      const slot = live.length ? live[next++ % live.length] : undefined;
      const r: Remote = { id, slot: slot ?? { ...newSlot(), dead: true }, onFrames, rate, bitrate, starting: false, postedTo: -1, doneTo: -1 };
      const maxBacklog = (rate * MAX_ENCODER_BACKLOG_MS) / 1000;
      byId.set(id, r);
      if (!slot || closed) {
        goLocal(r);
      } else {
        slot.worker ??= start(slot);
        slot.encoders.add(r);
        post(slot, { t: 'open', id, rate, bitrate });
        // Until the thread is up (it loads its modules first), encode here rather than let audio pile up.
        if (!slot.ready) {
          r.local = createStreamEncoder(rate, bitrate);
          r.starting = true;
        }
      }
      const encodeHere = (startSample: number, pcm: Int16Array, capturedAt: number) => {
        const frames = r.local!.push(startSample, pcm);
        if (frames.length) onFrames(frames, capturedAt);
      };
      return {
        push(startSample, pcm, capturedAt) {
          if (r.local && r.starting && r.slot.ready) {
            // Hand over at a frame boundary: this side finishes its frame, the worker's encoder starts at the next.
            const boundary = r.local.boundary ?? startSample;
            const split = Math.min(pcm.length, Math.max(0, boundary - startSample));
            if (split > 0) encodeHere(startSample, pcm.subarray(0, split), capturedAt);
            if (split === pcm.length) return;
            r.local = undefined;
            r.starting = false;
            startSample += split;
            pcm = pcm.subarray(split);
          }
          if (r.local) {
            encodeHere(startSample, pcm, capturedAt);
            return;
          }
          // The first audio, or a continuation the worker has nearly caught up with, is posted; else it is dropped.
          if (r.postedTo >= 0 && r.postedTo - Math.max(r.doneTo, 0) > maxBacklog) {
            onDropped?.(Math.max(1, Math.round(pcm.length / (rate / 50))));
            return;
          }
          if (r.doneTo < 0) r.doneTo = startSample;
          const copy = pcm.slice();
          r.postedTo = startSample + pcm.length;
          post(r.slot, { t: 'push', id, start: startSample, pcm: copy, at: capturedAt }, [copy.buffer]);
        },
        close() {
          if (!byId.delete(id)) return;
          r.slot.encoders.delete(r);
          if (!r.local) post(r.slot, { t: 'close', id });
        },
      };
    },
    async warm() {
      await Promise.all(slots.map((slot) => {
        if (!slot.dead && !closed) slot.worker ??= start(slot);
        return slot.settled;
      }));
    },
    async close() {
      closed = true;
      byId.clear();
      await Promise.all(slots.map(async (s) => {
        const w = s.worker;
        s.dead = true;
        s.worker = undefined;
        s.settle();
        if (!w) return;
        // Skip the queue, then end between two messages; terminate only a worker that does not.
        Atomics.store(new Int32Array(s.stopping), 0, 1);
        const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
        w.postMessage({ t: 'stop' } satisfies ToEncoderWorker);
        const timer = setTimeout(() => void w.terminate(), 2000);
        await exited;
        clearTimeout(timer);
      }));
    },
  };
}
