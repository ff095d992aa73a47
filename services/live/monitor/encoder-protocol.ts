/** Messages between the listen encoder pool and its worker threads (encoder-pool.ts, encoder-worker.ts). */
export type ToEncoderWorker =
  | { t: 'open'; id: number; rate: 8000 | 16000 | 48000; bitrate?: number }
  /** `pcm` is transferred; `at` (performance.now() on the main thread) comes back with the frames. */
  | { t: 'push'; id: number; start: number; pcm: Int16Array; at: number }
  | { t: 'close'; id: number }
  /** Finish: encode nothing more (the `stopping` flag already says so) and exit once this message is reached. */
  | { t: 'stop' };

export type FromEncoderWorker =
  | { t: 'ready' }
  /** `to`: the timeline sample up to which this encoder's audio has now been taken in. */
  | { t: 'frames'; id: number; at: number; to: number; frames: { seq: number; timestampMs: number; opus: Uint8Array }[] }
  | { t: 'failed'; id: number; message: string };

export interface EncoderWorkerData {
  /** The worker module to import (from TypeScript sources, through the bootstrap). */
  entry?: string;
  /** Int32Array over shared memory: [0] becomes 1 when the pool closes, so queued audio is skipped, not encoded. */
  stopping: SharedArrayBuffer;
}
