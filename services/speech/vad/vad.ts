import { Worker } from 'node:worker_threads';
import { EngineError, ValidationError } from '../../core/index.js';
import { createRemoteChannel, type RemoteVadChannel } from './channel.js';
import { resolveModelPath } from './model.js';
import { resolveVadOptions } from './options.js';
import type { FromVadWorker, ModelRate, ToVadWorker, VadWorkerData } from './protocol.js';
import type { Vad, VadOptions, VadStats } from './types.js';

const RATES = [8000, 16000, 48000] as const;

interface Slot {
  index: number;
  /** Set once the worker has loaded the model. */
  worker: Worker | null;
  channels: Map<number, RemoteVadChannel>;
  dead: EngineError | null;
}

/** How to start a worker from here: the .js build directly, the .ts sources through the tsx bootstrap. */
function workerTarget(): { url: URL; entry?: string } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { url: new URL('./worker-bootstrap.mjs', here), entry: new URL('./worker.ts', here).href };
  return { url: new URL('./worker.js', here) };
}

/**
 * Starts a worker and waits for its model to load. The handlers attached here stay for the worker's life
 * (removing a Worker's last 'message' listener stops its port): after start they forward to `slot`.
 */
function startWorker(index: number, data: VadWorkerData, url: URL, onMessage: (m: FromVadWorker) => void, onGone: (err: EngineError) => void): Promise<Worker> {
  const w = new Worker(url, { workerData: data, name: `vad-${index}` });
  let started = false;
  return new Promise<Worker>((resolve, reject) => {
    w.on('message', (m: FromVadWorker) => {
      if (started) return onMessage(m);
      if (m.type === 'ready') {
        started = true;
        resolve(w);
      } else if (m.type === 'failed' && m.id === null) reject(new EngineError(`VAD model failed to load: ${m.message}`, false));
    });
    w.on('error', (err) => (started ? onGone(new EngineError('VAD worker crashed', false, { cause: err })) : reject(new EngineError('VAD worker failed to start', false, { cause: err }))));
    w.on('exit', (code) => (started ? onGone(new EngineError(`VAD worker exited (${code})`, false)) : reject(new EngineError(`VAD worker exited during start (${code})`, false))));
  }).catch(async (err: unknown) => {
    await w.terminate();
    throw err;
  });
}

/**
 * Voice activity detection with Silero VAD v4 on onnxruntime-node (README.md beside this file).
 * The model runs in worker threads (default one), each serving many channels with per-channel state and
 * batching their chunks; the main thread only does bookkeeping and the per-chunk decisions.
 */
export async function createVad(opts: VadOptions = {}): Promise<Vad> {
  const options = resolveVadOptions(opts);
  const modelPath = resolveModelPath(opts.modelPath);
  const size = Math.max(1, Math.floor(opts.workers ?? 1));
  const maxInFlightMs = opts.maxInFlightMs ?? 1000;
  if (!(maxInFlightMs > 0)) throw new ValidationError('vad.maxInFlightMs must be positive', 'vad.maxInFlightMs');
  const narrowband = opts.narrowband ?? 'native';
  const log = opts.log?.child({ stage: 'vad' });
  const target = workerTarget();
  const data: VadWorkerData = { modelPath, threads: opts.threads ?? 1, entry: target.entry };
  const totals = { waits: 0, waitMsTotal: 0, waitMsMax: 0, audioMs: 0, busyMs: 0, runs: 0, chunks: 0 };
  const waitSummary = opts.metrics?.summary('callsight_vad_backpressure_wait_seconds', 'Time a VAD push waited for in-flight room');
  let nextId = 1;
  let closed = false;

  const slots: Slot[] = [];
  function kill(slot: Slot, err: EngineError): void {
    if (slot.dead) return;
    slot.dead = err;
    if (!closed) log?.error({ err, worker: slot.index, channels: slot.channels.size }, 'vad worker stopped');
    for (const ch of slot.channels.values()) ch.abort(err);
  }
  function dispatch(slot: Slot, m: FromVadWorker): void {
    switch (m.type) {
      case 'ready':
        return;
      case 'round':
        totals.audioMs += m.audioMs;
        totals.busyMs += m.busyMs;
        totals.runs += m.runs;
        totals.chunks += m.chunks;
        return;
      case 'failed':
        if (m.id === null) return kill(slot, new EngineError(m.message, false));
        slot.channels.get(m.id)?.onMessage(m);
        return;
      case 'result':
        slot.channels.get(m.id)?.onMessage(m);
        return;
    }
  }

  const started = await Promise.allSettled(Array.from({ length: size }, (_, index) => {
    const slot: Slot = { index, worker: null, channels: new Map(), dead: null };
    return startWorker(index, data, target.url, (m) => dispatch(slot, m), (err) => kill(slot, err)).then((worker) => {
      slot.worker = worker;
      slots.push(slot);
    });
  }));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(slots.map((s) => s.worker?.terminate()));
    throw failed.reason;
  }
  slots.sort((a, b) => a.index - b.index);

  const channels = () => slots.flatMap((s) => [...s.channels.values()]);
  const stats = (): VadStats => ({
    workers: size,
    channels: channels().length,
    inFlightMs: channels().reduce((n, c) => n + c.inFlightMs, 0),
    ...totals,
  });
  if (opts.metrics) {
    opts.metrics.gauge('callsight_vad_inflight_seconds', 'Audio sent to VAD workers and not yet processed', () => stats().inFlightMs / 1000);
    opts.metrics.gauge('callsight_vad_channels', 'Channels open on the VAD workers', () => stats().channels);
  }

  return {
    options,
    createChannel(co) {
      if (closed) throw new EngineError('the VAD is closed', false);
      if (!(RATES as readonly number[]).includes(co.rate)) {
        throw new ValidationError(`VAD rate must be one of ${RATES.join(', ')}, got ${co.rate}`, 'rate');
      }
      const live = slots.filter((s) => !s.dead);
      if (!live.length) throw slots[0].dead as EngineError;
      const slot = live.reduce((a, b) => (b.channels.size < a.channels.size ? b : a));
      const modelRate: ModelRate = co.rate === 8000 && narrowband === 'native' ? 8000 : 16000;
      const id = nextId++;
      const ch = createRemoteChannel(id, co, modelRate, options, {
        maxInFlightMs,
        post(msg: ToVadWorker, transfer?: ArrayBuffer[]) {
          if (slot.dead || !slot.worker) throw slot.dead ?? new EngineError('VAD worker not started', false);
          slot.worker.postMessage(msg, transfer);
        },
        waited(ms) {
          totals.waits++;
          totals.waitMsTotal += ms;
          totals.waitMsMax = Math.max(totals.waitMsMax, ms);
          waitSummary?.observe(ms / 1000);
        },
        closed: (cid) => void slot.channels.delete(cid),
      });
      slot.channels.set(id, ch);
      return ch;
    },
    stats,
    async close() {
      if (closed) return;
      closed = true;
      const err = new EngineError('the VAD is closed', false);
      for (const s of slots) kill(s, err);
      await Promise.all(slots.map((s) => s.worker?.terminate()));
      for (const s of slots) s.channels.clear();
    },
  };
}
