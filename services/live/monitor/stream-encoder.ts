import { createOpusEncoder, type OpusEncoder } from '../../audio/index.js';
import type { SampleRate } from '../../calls/index.js';

/** Listen frames are 20 ms: what browsers' Opus decoders and jitter buffers expect. */
export const LISTEN_FRAME_MS = 20;

export interface EncodedFrame {
  /** Frame index on the call timeline: timestampMs / 20. */
  seq: number;
  timestampMs: number;
  opus: Buffer;
}

export interface StreamEncoder {
  /** Feeds audio that starts at `startSample` on the call timeline; returns the 20 ms frames it completed. */
  push(startSample: number, pcm: Int16Array): EncodedFrame[];
  /** Timeline sample where the frame being filled ends (or, with none begun, the next starts); undefined before any input. */
  readonly boundary: number | undefined;
}

/**
 * Cuts one listen stream into 20 ms frames aligned to the call timeline (frame k covers [20k, 20k + 20) ms, so the
 * sequence number follows from the timestamp and several listeners, or a later encoder, agree on it) and encodes
 * each as Opus at the call's own rate: libopus takes 8, 16 and 48 kHz, so nothing is resampled, and an Opus packet
 * decodes at whatever rate the client's decoder runs. A gap in the input restarts at the next frame boundary.
 */
export function createStreamEncoder(rate: SampleRate, bitrate?: number): StreamEncoder {
  const frameSamples = (rate * LISTEN_FRAME_MS) / 1000;
  const encoder: OpusEncoder = createOpusEncoder(rate, 1, bitrate);
  const frame = new Int16Array(frameSamples);
  let fill = 0;
  /** Timeline sample where the frame being filled starts; undefined before the first input. */
  let frameStart: number | undefined;
  /** Timeline sample the next input is expected at. */
  let expected = -1;

  return {
    get boundary() { return frameStart === undefined ? undefined : fill > 0 ? frameStart + frameSamples : frameStart; },
    push(startSample, pcm) {
      const out: EncodedFrame[] = [];
      if (frameStart === undefined || startSample !== expected) {
        fill = 0;
        frameStart = Math.ceil(startSample / frameSamples) * frameSamples;
      }
      expected = startSample + pcm.length;
      // Where the frame being filled continues in this input (past its start while still before the first boundary).
      let off = frameStart + fill - startSample;
      while (off < pcm.length) {
        const n = Math.min(frameSamples - fill, pcm.length - off);
        frame.set(pcm.subarray(off, off + n), fill);
        fill += n;
        off += n;
        if (fill === frameSamples) {
          const seq = frameStart / frameSamples;
          out.push({ seq, timestampMs: seq * LISTEN_FRAME_MS, opus: encoder.encode(frame) });
          frameStart += frameSamples;
          fill = 0;
        }
      }
      return out;
    },
  };
}
