import { parentPort, workerData } from 'node:worker_threads';
import type { EncoderWorkerData, FromEncoderWorker, ToEncoderWorker } from './encoder-protocol.js';
import { createStreamEncoder, type StreamEncoder } from './stream-encoder.js';

/**
 * The listen encoder worker: hosts stream encoders by id and answers each push with the 20 ms Opus frames it
 * completed (possibly none). Messages are handled in order, so frames return in the order their audio was pushed.
 * Closing sets a shared flag first, so the queue drains without encoding and the thread ends between two messages:
 * terminating it in the middle of a native encode aborts the whole process.
 */
const port = parentPort!;
const stopping = new Int32Array((workerData as EncoderWorkerData).stopping);
const encoders = new Map<number, StreamEncoder>();
const post = (m: FromEncoderWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

port.on('message', (m: ToEncoderWorker) => {
  if (m.t === 'stop') {
    encoders.clear();
    port.close();
    return;
  }
  if (Atomics.load(stopping, 0) === 1) return;
  switch (m.t) {
    case 'open':
      try {
        encoders.set(m.id, createStreamEncoder(m.rate, m.bitrate));
      } catch (err) {
        post({ t: 'failed', id: m.id, message: err instanceof Error ? err.message : String(err) });
      }
      return;
    case 'close':
      encoders.delete(m.id);
      return;
    case 'push': {
      const enc = encoders.get(m.id);
      if (!enc) return;
      let frames;
      try {
        frames = enc.push(m.start, m.pcm);
      } catch (err) {
        encoders.delete(m.id);
        post({ t: 'failed', id: m.id, message: err instanceof Error ? err.message : String(err) });
        return;
      }
      if (!frames.length) return;
      const out = frames.map((f) => ({ seq: f.seq, timestampMs: f.timestampMs, opus: new Uint8Array(f.opus) }));
      post({ t: 'frames', id: m.id, at: m.at, to: m.start + m.pcm.length, frames: out }, out.map((f) => f.opus.buffer as ArrayBuffer));
      return;
    }
  }
});
post({ t: 'ready' });
