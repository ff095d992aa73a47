import { EngineError } from '../../core/index.js';
import type { AsrResult, EngineSpec, Recognizer, RecognizerOptions } from './types.js';
import type { FromWorker, PendingAudio, ToWorker } from './worker-protocol.js';

/** The slot (worker) a remote recognizer lives on, as the recognizer sees it. */
export interface RecognizerHost {
  readonly maxInFlightMs: number;
  /** Posts to the slot's worker; false while it is being restarted. */
  post(msg: ToWorker, transfer?: ArrayBuffer[]): boolean;
  /** An `accept` waited `ms` for in-flight room. */
  waited(ms: number): void;
  /** Audio processed (`audioMs`) and how long the worker took (`busyMs`). */
  processed(audioMs: number, busyMs: number): void;
  closed(r: RemoteRecognizer): void;
}

/** A recognizer whose decoder lives in a worker thread. */
export interface RemoteRecognizer extends Recognizer {
  readonly id: number;
  readonly inFlightMs: number;
  readonly queueDepth: number;
  /** Sends the creation request (again, after a restart) and whatever is queued. */
  attach(): void;
  onMessage(msg: Exclude<FromWorker, { type: 'ready' }>): void;
  /** The worker died: reports the call time that will not be transcribed and forgets what was in flight. */
  onWorkerLost(reason: string): number;
  /** The pool is closing: everything waiting fails with `err`. */
  abort(err: EngineError): void;
}

type Queued =
  | { kind: 'audio'; pcm: Int16Array; startMs: number; ms: number; since: number; resolve: (r: AsrResult[]) => void; reject: (e: unknown) => void }
  | { kind: 'flush' | 'close'; resolve: (r: AsrResult[]) => void; reject: (e: unknown) => void };

interface Sent {
  kind: 'audio' | 'flush' | 'close';
  fromMs: number;
  ms: number;
  resolve?: (r: AsrResult[]) => void;
  reject?: (e: unknown) => void;
}

/**
 * Backpressure: at most `maxInFlightMs` of audio is sent and unprocessed per recognizer. Beyond that `accept`
 * returns a promise that resolves once the audio is sent (never dropped); requests keep their order.
 */
export function createRemoteRecognizer(id: number, spec: EngineSpec, options: RecognizerOptions, host: RecognizerHost): RemoteRecognizer {
  const engine = spec.kind;
  const sent = new Map<number, Sent>();
  const queue: Queued[] = [];
  let results: AsrResult[] = [];
  let seq = 0;
  let inFlightMs = 0;
  let error: EngineError | null = null;
  let pending: PendingAudio | null = null;
  let sentToMs: number | null = null;
  let closing = false;

  const drain = () => {
    const out = results;
    results = [];
    return out;
  };
  const room = (ms: number) => inFlightMs === 0 || inFlightMs + ms <= host.maxInFlightMs;
  const throwIfFailed = () => {
    if (!error) return;
    const e = error;
    error = null;
    throw e;
  };

  function sendAudio(pcm: Int16Array, startMs: number, ms: number): boolean {
    const copy = pcm.slice(); // transfer our own copy: the caller's buffer stays usable
    const s = ++seq;
    if (!host.post({ type: 'audio', id, seq: s, startMs, pcm: copy }, [copy.buffer as ArrayBuffer])) return false;
    sent.set(s, { kind: 'audio', fromMs: startMs, ms });
    inFlightMs += ms;
    sentToMs = startMs + ms;
    return true;
  }

  function pump(): void {
    while (queue.length) {
      const head = queue[0];
      if (head.kind === 'audio') {
        if (!room(head.ms) || !sendAudio(head.pcm, head.startMs, head.ms)) return;
        queue.shift();
        host.waited(performance.now() - head.since);
        head.resolve(drain());
        continue;
      }
      const s = ++seq;
      if (!host.post({ type: head.kind, id, seq: s })) return;
      queue.shift();
      sent.set(s, { kind: head.kind, fromMs: 0, ms: 0, resolve: head.resolve, reject: head.reject });
    }
  }

  function enqueue(kind: 'flush' | 'close'): Promise<AsrResult[]> {
    return new Promise((resolve, reject) => {
      queue.push({ kind, resolve, reject });
      pump();
    });
  }

  const self: RemoteRecognizer = {
    id,
    engine,
    get inFlightMs() {
      return inFlightMs;
    },
    get queueDepth() {
      return queue.length;
    },
    accept(pcm, startMs) {
      if (closing) throw new EngineError(`${engine} recognizer for ${options.callId}/${options.speaker} is closed`, false);
      throwIfFailed();
      const ms = (pcm.length * 1000) / options.sampleRate;
      if (pcm.length === 0) return drain();
      if (!queue.length && room(ms) && sendAudio(pcm, startMs, ms)) return drain();
      return new Promise<AsrResult[]>((resolve, reject) => {
        queue.push({ kind: 'audio', pcm: pcm.slice(), startMs, ms, since: performance.now(), resolve, reject });
        pump();
      });
    },
    async flush() {
      throwIfFailed();
      const out = await enqueue('flush');
      throwIfFailed();
      return out;
    },
    async close() {
      if (closing) return;
      closing = true;
      try {
        await enqueue('close');
      } catch {
        // the worker could not free it: it goes with the worker
      } finally {
        host.closed(self);
      }
    },
    attach() {
      if (closing && !queue.length) return; // its close was answered (or lost with the worker)
      host.post({ type: 'create', id, spec, options });
      pump();
    },
    onMessage(msg) {
      const s = sent.get(msg.seq);
      if (!s) return; // from before a restart
      sent.delete(msg.seq);
      if (s.kind === 'audio') inFlightMs = Math.max(0, inFlightMs - s.ms);
      if (msg.type === 'done') {
        results.push(...msg.results);
        pending = msg.pending;
        host.processed(s.ms, msg.busyMs);
        s.resolve?.(drain());
      } else {
        const e = new EngineError(msg.message, msg.retryable);
        if (s.reject) s.reject(e);
        else error = e;
      }
      pump();
    },
    onWorkerLost(reason) {
      const unprocessed = [...sent.values()].filter((s) => s.kind === 'audio');
      const fromMs = Math.min(pending?.fromMs ?? Infinity, unprocessed[0]?.fromMs ?? Infinity);
      const toMs = sentToMs ?? fromMs;
      let lostMs = 0;
      if (Number.isFinite(fromMs) && toMs > fromMs) {
        lostMs = toMs - fromMs;
        const { callId, speaker } = options;
        results.push({ type: 'lost', callId, speaker, lostFromMs: Math.round(fromMs), lostToMs: Math.round(toMs), reason, ...(pending?.utteranceId ? { utteranceId: pending.utteranceId } : {}) });
      }
      for (const s of sent.values()) s.resolve?.(drain());
      sent.clear();
      inFlightMs = 0;
      pending = null;
      return lostMs;
    },
    abort(err) {
      closing = true;
      for (const q of queue.splice(0)) q.reject(err);
      for (const s of sent.values()) s.reject?.(err);
      sent.clear();
      inFlightMs = 0;
    },
  };
  return self;
}
