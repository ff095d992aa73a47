/**
 * The VAD worker thread: one Silero session serving many channels. Each channel keeps its own LSTM state
 * (h, c), resampler and partial chunk here. Requests that arrive while a round runs are collected and run as
 * the next round, where the chunks of all channels at the same step go through the model as one batch.
 * onnxruntime-node's `session.run` executes on the calling thread, which is why this is not the event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import { createResampler, type Resampler } from '../../audio/index.js';
import type { FromVadWorker, ModelRate, ToVadWorker, VadWorkerData } from './protocol.js';
import { CHUNK_MS, FRAMES_PER_CHUNK } from './segmenter.js';

if (!parentPort) throw new Error('vad worker.ts must run in a worker thread');
const port = parentPort;
const { modelPath, threads } = workerData as VadWorkerData;
const post = (m: FromVadWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

/** h and c are [2, batch, 64]. */
const STATE = 2 * 64;

interface Chan {
  inRate: number;
  modelRate: ModelRate;
  n: number;
  resampler: Resampler | null;
  h: Float32Array;
  c: Float32Array;
  buf: Float32Array;
  bufLen: number;
}

/** What one request is owed from its channel's chunks in this round. */
interface Owner { seq: number; from: number; to: number; validMs: number }

interface Job { id: number; chan: Chan; chunks: Float32Array[]; probs: number[]; owners: Owner[]; reset: boolean; close: boolean }

const chans = new Map<number, Chan>();
let queue: ToVadWorker[] = [];
let running = false;

function newChan(inRate: number, modelRate: ModelRate): Chan {
  const n = (modelRate * CHUNK_MS) / 1000;
  return {
    inRate, modelRate, n,
    resampler: inRate === modelRate ? null : createResampler(inRate, modelRate),
    h: new Float32Array(STATE), c: new Float32Array(STATE), buf: new Float32Array(n), bufLen: 0,
  };
}

/** Appends model-rate samples to the channel, moving every completed chunk into `job`. */
function append(job: Job, pcm: Int16Array): void {
  const ch = job.chan;
  for (let i = 0; i < pcm.length; i++) {
    ch.buf[ch.bufLen++] = pcm[i] / 32768;
    if (ch.bufLen === ch.n) {
      job.chunks.push(ch.buf);
      ch.buf = new Float32Array(ch.n);
      ch.bufLen = 0;
    }
  }
}

function energiesOf(chunk: Float32Array, into: Float32Array, at: number): void {
  const len = chunk.length / FRAMES_PER_CHUNK;
  for (let f = 0; f < FRAMES_PER_CHUNK; f++) {
    let s = 0;
    for (let i = f * len; i < (f + 1) * len; i++) s += chunk[i] * chunk[i];
    into[at + f] = s / len;
  }
}

async function infer(session: ort.InferenceSession, jobs: Job[], stats: { runs: number; chunks: number }): Promise<void> {
  const byRate = new Map<ModelRate, Job[]>();
  for (const j of jobs) if (j.chunks.length) byRate.set(j.chan.modelRate, [...(byRate.get(j.chan.modelRate) ?? []), j]);
  for (const [rate, group] of byRate) {
    const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(rate)]), []);
    const n = group[0].chan.n;
    const steps = Math.max(...group.map((j) => j.chunks.length));
    for (let s = 0; s < steps; s++) {
      const rows = group.filter((j) => j.chunks.length > s);
      const b = rows.length;
      const input = new Float32Array(b * n);
      const h = new Float32Array(2 * b * 64);
      const c = new Float32Array(2 * b * 64);
      rows.forEach((j, r) => {
        input.set(j.chunks[s], r * n);
        for (let layer = 0; layer < 2; layer++) {
          h.set(j.chan.h.subarray(layer * 64, layer * 64 + 64), (layer * b + r) * 64);
          c.set(j.chan.c.subarray(layer * 64, layer * 64 + 64), (layer * b + r) * 64);
        }
      });
      const out = await session.run({
        input: new ort.Tensor('float32', input, [b, n]), sr,
        h: new ort.Tensor('float32', h, [2, b, 64]), c: new ort.Tensor('float32', c, [2, b, 64]),
      });
      const p = out.output.data as Float32Array;
      const hn = out.hn.data as Float32Array;
      const cn = out.cn.data as Float32Array;
      rows.forEach((j, r) => {
        j.probs.push(p[r]);
        for (let layer = 0; layer < 2; layer++) {
          j.chan.h.set(hn.subarray((layer * b + r) * 64, (layer * b + r) * 64 + 64), layer * 64);
          j.chan.c.set(cn.subarray((layer * b + r) * 64, (layer * b + r) * 64 + 64), layer * 64);
        }
      });
      stats.runs++;
      stats.chunks += b;
    }
  }
}

async function round(session: ort.InferenceSession): Promise<void> {
  const started = performance.now();
  const batch = queue;
  queue = [];
  const jobs = new Map<number, Job>();
  /** Channels flushed or closed in this round: their later requests wait for the next one. */
  const ended = new Set<number>();
  const deferred: ToVadWorker[] = [];
  let audioMs = 0;

  for (const m of batch) {
    if (ended.has(m.id)) {
      deferred.push(m);
      continue;
    }
    if (m.type === 'open') {
      chans.set(m.id, newChan(m.inRate, m.modelRate));
      continue;
    }
    const chan = chans.get(m.id);
    if (!chan) {
      if (m.type !== 'close') post({ type: 'failed', id: m.id, seq: m.seq, message: `no VAD channel ${m.id} in this worker` });
      continue;
    }
    let job = jobs.get(m.id);
    if (!job) jobs.set(m.id, (job = { id: m.id, chan, chunks: [], probs: [], owners: [], reset: false, close: false }));
    const from = job.chunks.length;
    switch (m.type) {
      case 'audio': {
        append(job, chan.resampler ? chan.resampler.process(m.pcm) : m.pcm);
        const validMs = (job.chunks.length - from) * CHUNK_MS;
        job.owners.push({ seq: m.seq, from, to: job.chunks.length, validMs });
        audioMs += validMs;
        break;
      }
      case 'flush': {
        if (chan.resampler) append(job, chan.resampler.flush());
        const tail = chan.bufLen;
        if (tail > 0) {
          chan.buf.fill(0, tail);
          job.chunks.push(chan.buf);
          chan.buf = new Float32Array(chan.n);
          chan.bufLen = 0;
        }
        const validMs = (job.chunks.length - from - (tail > 0 ? 1 : 0)) * CHUNK_MS + (tail * 1000) / chan.modelRate;
        job.owners.push({ seq: m.seq, from, to: job.chunks.length, validMs });
        audioMs += validMs;
        job.reset = true;
        ended.add(m.id);
        break;
      }
      case 'close':
        job.close = true;
        ended.add(m.id);
        break;
    }
  }

  const stats = { runs: 0, chunks: 0 };
  const all = [...jobs.values()];
  try {
    await infer(session, all, stats);
  } catch (err) {
    const message = `VAD inference failed: ${err instanceof Error ? err.message : String(err)}`;
    for (const j of all) for (const o of j.owners) post({ type: 'failed', id: j.id, seq: o.seq, message });
    all.length = 0;
  }
  const replies: { m: FromVadWorker; transfer: ArrayBuffer[] }[] = [];
  for (const j of all) {
    for (const o of j.owners) {
      const probs = Float32Array.from(j.probs.slice(o.from, o.to));
      const energies = new Float32Array(probs.length * FRAMES_PER_CHUNK);
      for (let k = o.from; k < o.to; k++) energiesOf(j.chunks[k], energies, (k - o.from) * FRAMES_PER_CHUNK);
      replies.push({ m: { type: 'result', id: j.id, seq: o.seq, probs, energies, validMs: o.validMs }, transfer: [probs.buffer, energies.buffer] });
    }
    if (j.close) chans.delete(j.id);
    else if (j.reset) chans.set(j.id, newChan(j.chan.inRate, j.chan.modelRate));
  }
  // the round's totals go first, so a caller whose results arrive already sees them in the stats
  post({ type: 'round', busyMs: performance.now() - started, audioMs, ...stats });
  for (const r of replies) post(r.m, r.transfer);
  queue = deferred.concat(queue);
}

async function main(): Promise<void> {
  const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: threads, interOpNumThreads: 1 });
  const missing = ['input', 'sr', 'h', 'c'].filter((n) => !session.inputNames.includes(n))
    .concat(['output', 'hn', 'cn'].filter((n) => !session.outputNames.includes(n)));
  if (missing.length) {
    throw new Error(`${modelPath} is not a Silero VAD v4 model (inputs ${session.inputNames.join(', ')}; outputs ${session.outputNames.join(', ')})`);
  }
  const drain = () => {
    if (running || !queue.length) return;
    running = true;
    round(session).then(() => {
      running = false;
      if (queue.length) setImmediate(drain);
    }, (err: unknown) => {
      post({ type: 'failed', id: null, seq: null, message: `VAD worker failed: ${err instanceof Error ? err.message : String(err)}` });
    });
  };
  port.on('message', (m: ToVadWorker) => {
    queue.push(m);
    if (!running) setImmediate(drain);
  });
  post({ type: 'ready' });
}

main().catch((err: unknown) => {
  post({ type: 'failed', id: null, seq: null, message: err instanceof Error ? err.message : String(err) });
});
