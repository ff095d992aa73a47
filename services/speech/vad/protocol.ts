/** Messages between the VAD client (main thread, vad.ts) and its worker (worker.ts). */
export type ModelRate = 8000 | 16000;

export interface VadWorkerData {
  modelPath: string;
  /** ONNX Runtime intra-op threads. */
  threads: number;
  /** The .ts worker module the bootstrap imports (sources under tsx or vitest). */
  entry?: string;
}

/** Main thread → worker. Requests of one channel are answered in order; `audio` and `flush` carry a seq. */
export type ToVadWorker =
  | { type: 'open'; id: number; inRate: number; modelRate: ModelRate }
  | { type: 'audio'; id: number; seq: number; pcm: Int16Array }
  | { type: 'flush'; id: number; seq: number }
  | { type: 'close'; id: number };

/** Worker → main thread. */
export type FromVadWorker =
  | { type: 'ready' }
  | {
    type: 'result'; id: number; seq: number;
    /** Speech probability per 32 ms chunk completed by this request. */
    probs: Float32Array;
    /** Mean square of the normalised samples per 4 ms frame (8 per chunk). */
    energies: Float32Array;
    /** Audio the chunks cover (the last chunk of a flush is zero-padded). */
    validMs: number;
  }
  | { type: 'round'; busyMs: number; audioMs: number; runs: number; chunks: number }
  | { type: 'failed'; id: number | null; seq: number | null; message: string };
