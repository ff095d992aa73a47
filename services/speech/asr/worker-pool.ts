import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { EngineError, type Logger, type Metrics } from '../../core/index.js';
import { capabilitiesOf } from './engine-spec.js';
import { createRemoteRecognizer, type RecognizerHost, type RemoteRecognizer } from './remote-recognizer.js';
import { assertSupported } from './support.js';
import type { AsrEngine, EngineSpec } from './types.js';
import type { CrashMode, FromWorker, ToWorker, WorkerData } from './worker-protocol.js';

export interface AsrPoolOptions {
  /** Worker threads (default: one per core). */
  size?: number;
  /** Audio sent to a worker and not yet processed, per recognizer, before `accept` waits. */
  maxInFlightMs?: number;
  log?: Logger;
  /** Registers queue depth, in-flight audio, wait time, restarts and lost audio for /metrics. */
  metrics?: Metrics;
  /** Lets `crashWorkerForTest` kill a worker. */
  testHooks?: boolean;
  /** Delay before restarting a worker that keeps crashing (doubles per crash, the first restart is immediate). */
  restartDelayMs?: number;
}

export interface AsrPoolStats {
  workers: number;
  liveWorkers: number;
  recognizers: number;
  /** Audio sent to workers and not yet processed (ms, all recognizers). */
  inFlightMs: number;
  /** Requests waiting for in-flight room. */
  queueDepth: number;
  /** `accept` calls that had to wait, and how long in total / at most. */
  waits: number;
  waitMsTotal: number;
  waitMsMax: number;
  restarts: number;
  /** Call audio reported lost because a worker died (ms). */
  lostMs: number;
  /** Audio recognised and the workers' processing time for it (ms): busyMs / audioMs is the real-time factor. */
  audioMs: number;
  busyMs: number;
}

export interface AsrWorkerPool {
  readonly size: number;
  /** An engine whose recognizers run in this pool. Vosk specs must be prepared first (`prepareSpec`). */
  engine(spec: EngineSpec): AsrEngine;
  stats(): AsrPoolStats;
  /** Test only (needs `testHooks`): makes worker `index` die. */
  crashWorkerForTest(index: number, mode?: CrashMode): void;
  close(): Promise<void>;
}

interface Slot {
  index: number;
  worker: Worker | null;
  recognizers: Map<number, RemoteRecognizer>;
  crashes: number;
  timer?: NodeJS.Timeout;
}

/** How to start a worker from here: the .js build directly, the .ts sources through the tsx bootstrap. */
function workerTarget(): { url: URL; entry?: string } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return { url: new URL('./worker-bootstrap.mjs', here), entry: new URL('./worker.ts', here).href };
  }
  return { url: new URL('./worker.js', here) };
}

/**
 * Recognition off the event loop: worker threads, each hosting recognizers (a recognizer stays on its worker).
 * A worker that dies is restarted, its recognizers are recreated, and each reports the call time it lost.
 * Note: threads isolate JavaScript failures, not native crashes — a segfault in a native library ends the process.
 */
export function createAsrWorkerPool(opts: AsrPoolOptions = {}): AsrWorkerPool {
  const size = Math.max(1, opts.size ?? availableParallelism());
  const maxInFlightMs = opts.maxInFlightMs ?? 2000;
  const restartDelayMs = opts.restartDelayMs ?? 500;
  const log = opts.log?.child({ stage: 'asr-pool' });
  const target = workerTarget();
  const totals = { waits: 0, waitMsTotal: 0, waitMsMax: 0, restarts: 0, lostMs: 0, audioMs: 0, busyMs: 0 };
  const waitSummary = opts.metrics?.summary('callsight_asr_backpressure_wait_seconds', 'Time an ASR accept waited for in-flight room');
  const restartCounter = opts.metrics?.counter('callsight_asr_worker_restarts_total', 'ASR worker threads restarted after dying');
  const lostCounter = opts.metrics?.counter('callsight_asr_lost_audio_seconds_total', 'Call audio not transcribed because an ASR worker died');
  let nextId = 1;
  let closed = false;

  const slots: Slot[] = Array.from({ length: size }, (_, index) => ({ index, worker: null, recognizers: new Map(), crashes: 0 }));

  function spawn(slot: Slot): void {
    const data: WorkerData = { entry: target.entry, testHooks: opts.testHooks ?? false };
    const w = new Worker(target.url, { workerData: data, name: `asr-${slot.index}` });
    slot.worker = w;
    w.on('message', (msg: FromWorker) => {
      if (slot.worker !== w || msg.type === 'ready') return;
      if (msg.type === 'done') slot.crashes = 0;
      slot.recognizers.get(msg.id)?.onMessage(msg);
    });
    w.on('error', (err) => log?.error({ err, worker: slot.index }, 'asr worker failed'));
    w.on('exit', (code) => {
      if (slot.worker !== w || closed) return;
      slot.worker = null;
      lost(slot, `ASR worker stopped (exit code ${code}); restarted`);
    });
    for (const r of slot.recognizers.values()) r.attach();
  }

  function lost(slot: Slot, reason: string): void {
    slot.crashes++;
    totals.restarts++;
    restartCounter?.inc();
    for (const r of slot.recognizers.values()) {
      const ms = r.onWorkerLost(reason);
      totals.lostMs += ms;
      lostCounter?.inc(ms / 1000);
    }
    const delay = slot.crashes <= 1 ? 0 : Math.min(restartDelayMs * 2 ** (slot.crashes - 2), 30_000);
    log?.warn({ worker: slot.index, recognizers: slot.recognizers.size, crashes: slot.crashes, delayMs: delay }, 'restarting asr worker');
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      if (!closed) spawn(slot);
    }, delay);
  }

  function hostFor(slot: Slot): RecognizerHost {
    return {
      maxInFlightMs,
      post(msg: ToWorker, transfer?: ArrayBuffer[]) {
        if (!slot.worker) return false;
        slot.worker.postMessage(msg, transfer);
        return true;
      },
      waited(ms) {
        totals.waits++;
        totals.waitMsTotal += ms;
        totals.waitMsMax = Math.max(totals.waitMsMax, ms);
        waitSummary?.observe(ms / 1000);
      },
      processed(audioMs, busyMs) {
        totals.audioMs += audioMs;
        totals.busyMs += busyMs;
      },
      closed: (r) => void slot.recognizers.delete(r.id),
    };
  }

  const all = () => slots.flatMap((s) => [...s.recognizers.values()]);
  const stats = (): AsrPoolStats => ({
    workers: size,
    liveWorkers: slots.filter((s) => s.worker).length,
    recognizers: all().length,
    inFlightMs: all().reduce((n, r) => n + r.inFlightMs, 0),
    queueDepth: all().reduce((n, r) => n + r.queueDepth, 0),
    ...totals,
  });

  if (opts.metrics) {
    opts.metrics.gauge('callsight_asr_queue_depth', 'ASR requests waiting for in-flight room (backpressure)', () => stats().queueDepth);
    opts.metrics.gauge('callsight_asr_inflight_seconds', 'Audio sent to ASR workers and not yet processed', () => stats().inFlightMs / 1000);
    opts.metrics.gauge('callsight_asr_recognizers', 'Recognizers open in the ASR pool', () => stats().recognizers);
  }

  for (const s of slots) spawn(s);

  return {
    size,
    engine(spec) {
      if (spec.kind === 'vosk' && spec.modelHandle === undefined) {
        throw new EngineError('a Vosk spec must be prepared (model loaded once per process) before it goes to the pool', false);
      }
      const capabilities = capabilitiesOf(spec);
      return {
        name: spec.kind,
        capabilities,
        createRecognizer(options) {
          if (closed) throw new EngineError('the ASR worker pool is closed', false);
          assertSupported(spec.kind, capabilities, options);
          const slot = slots.reduce((a, b) => (b.recognizers.size < a.recognizers.size ? b : a));
          const r = createRemoteRecognizer(nextId++, spec, options, hostFor(slot));
          slot.recognizers.set(r.id, r);
          r.attach();
          return r;
        },
      };
    },
    stats,
    crashWorkerForTest(index, mode = 'throw') {
      if (!opts.testHooks) throw new EngineError('crashWorkerForTest needs a pool created with testHooks', false);
      slots[index]?.worker?.postMessage({ type: 'test-crash', mode } satisfies ToWorker);
    },
    async close() {
      closed = true;
      for (const s of slots) clearTimeout(s.timer);
      await Promise.all(slots.map((s) => s.worker?.terminate()));
      for (const s of slots) {
        s.worker = null;
        for (const r of s.recognizers.values()) r.abort(new EngineError('the ASR worker pool is closed', false));
        s.recognizers.clear();
      }
    },
  };
}
