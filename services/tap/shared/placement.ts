import type { Channel } from '../../calls/index.js';

export type Placement = { kind: 'at'; at: number } | { kind: 'too_far'; jump: number };

/**
 * Places timestamped frames (Twilio, native) on the call timeline. A frame stamped within `toleranceSamples` of its
 * channel's end continues it exactly (timestamps are whole milliseconds, frames need not be); otherwise it goes where
 * its timestamp says, leaving a gap (silence) or overlapping audio already there (dropped as late by the timeline).
 * A frame more than `maxJumpSamples` beyond the end is refused: it would make the call allocate and record
 * an implausible stretch of silence.
 */
export function createPlacer(opts: { toleranceSamples: number; maxJumpSamples: number; start?: number }) {
  const ends: Record<Channel, number> = { agent: opts.start ?? 0, customer: opts.start ?? 0 };
  return {
    end: (channel: Channel): number => ends[channel],
    place(channel: Channel, atSample: number, length: number): Placement {
      const end = ends[channel];
      const jump = atSample - end;
      if (jump > opts.maxJumpSamples) return { kind: 'too_far', jump };
      const at = Math.abs(jump) <= opts.toleranceSamples ? end : atSample;
      ends[channel] = Math.max(end, at + length);
      return { kind: 'at', at };
    },
  };
}

export type Placer = ReturnType<typeof createPlacer>;

/** Splits PCM into frames of at most `size` samples (views, no copies). */
export function* frames(pcm: Int16Array, size: number): Generator<Int16Array> {
  for (let off = 0; off < pcm.length; off += size) yield pcm.subarray(off, Math.min(pcm.length, off + size));
}
