import type { AsrResult, EngineSpec, RecognizerOptions } from './types.js';

/** How a worker may be made to fail, for crash-recovery tests (honoured only when the pool enables test hooks). */
export type CrashMode = 'throw' | 'exit' | 'abort';

export interface WorkerData {
  /** The .ts/.js worker module the bootstrap imports. */
  entry?: string;
  testHooks: boolean;
}

/** Main thread → worker. `seq` numbers a recognizer's requests; every request is answered with its seq. */
export type ToWorker =
  | { type: 'create'; id: number; spec: EngineSpec; options: RecognizerOptions }
  | { type: 'audio'; id: number; seq: number; startMs: number; pcm: Int16Array }
  | { type: 'flush'; id: number; seq: number }
  | { type: 'close'; id: number; seq: number }
  | { type: 'test-crash'; mode: CrashMode };

export interface PendingAudio {
  fromMs: number;
  utteranceId?: string;
}

/** Worker → main thread. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; id: number; seq: number; results: AsrResult[]; pending: PendingAudio | null; busyMs: number }
  | { type: 'failed'; id: number; seq: number; message: string; retryable: boolean };
