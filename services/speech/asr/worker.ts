/**
 * An ASR worker thread: hosts recognizers (one per call channel) and answers every request in order.
 * Started by the pool, directly (.js) or through worker-bootstrap.mjs (.ts sources under tsx or vitest).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EngineError } from '../../core/index.js';
import { createLocalEngine, specKey } from './engine-spec.js';
import type { AsrResult, LocalAsrEngine, SyncRecognizer } from './types.js';
import type { CrashMode, FromWorker, ToWorker, WorkerData } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const data = workerData as WorkerData;

const engines = new Map<string, LocalAsrEngine>();
/** A recognizer, or why it could not be created (reported on its first request). */
const recognizers = new Map<number, SyncRecognizer | EngineError>();

const send = (m: FromWorker) => port.postMessage(m);

function asEngineError(err: unknown): EngineError {
  return err instanceof EngineError ? err : new EngineError(err instanceof Error ? err.message : String(err), true, { cause: err });
}

function create(msg: Extract<ToWorker, { type: 'create' }>): void {
  try {
    const key = specKey(msg.spec);
    let engine = engines.get(key);
    if (!engine) engines.set(key, (engine = createLocalEngine(msg.spec)));
    recognizers.set(msg.id, engine.createRecognizer(msg.options));
  } catch (err) {
    recognizers.set(msg.id, asEngineError(err));
  }
}

function request(msg: Extract<ToWorker, { type: 'audio' | 'flush' | 'close' }>): void {
  const started = performance.now();
  const r = recognizers.get(msg.id);
  try {
    if (r === undefined) throw new EngineError(`no recognizer ${msg.id} in this worker`, false);
    if (r instanceof EngineError) throw r;
    let results: AsrResult[] = [];
    switch (msg.type) {
      case 'audio':
        results = r.accept(msg.pcm, msg.startMs);
        break;
      case 'flush':
        results = r.flush();
        break;
      case 'close':
        recognizers.delete(msg.id);
        r.close();
        break;
    }
    const pending = msg.type === 'close' ? null : r.pending();
    send({ type: 'done', id: msg.id, seq: msg.seq, results, pending, busyMs: performance.now() - started });
  } catch (err) {
    if (msg.type === 'close') recognizers.delete(msg.id);
    const e = asEngineError(err);
    send({ type: 'failed', id: msg.id, seq: msg.seq, message: e.message, retryable: e.retryable });
  }
}

function crash(mode: CrashMode): void {
  switch (mode) {
    case 'throw':
      // Uncaught (thrown from the message listener): the worker dies at once, as it would on a bug.
      throw new Error('test crash requested');
    case 'exit':
      process.exit(70);
      return;
    case 'abort':
      process.abort(); // not supported in worker threads: it throws, which ends the worker
      return;
  }
}

port.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'create':
      create(msg);
      return;
    case 'audio':
    case 'flush':
    case 'close':
      request(msg);
      return;
    case 'test-crash':
      if (data.testHooks) crash(msg.mode);
      return;
  }
});
send({ type: 'ready' });
