/**
 * Maps positions on a recognizer's input stream (samples accepted so far) to the call timeline. Each `accept`
 * states where its chunk starts on the call; an anchor is kept only where that breaks continuity (a gap or an
 * overlap), so a normal call keeps one anchor.
 */
export interface StreamClock {
  /** Records that the next `samples` input samples start at `startMs` on the call timeline. */
  advance(startMs: number, samples: number): void;
  /** Call time (ms) of a position given in seconds from the first input sample. */
  toMs(seconds: number): number;
  /** Input samples taken so far. */
  readonly samples: number;
  /** Call time just after the last sample taken. */
  readonly endMs: number;
}

interface Anchor {
  sample: number;
  ms: number;
}

const MAX_ANCHORS = 4096;

export function createStreamClock(rate: number): StreamClock {
  const anchors: Anchor[] = [];
  let samples = 0;
  const msAt = (a: Anchor, sample: number) => a.ms + ((sample - a.sample) * 1000) / rate;

  function anchorFor(sample: number): Anchor | undefined {
    // Anchors are few and lookups are for recent audio: scan from the end.
    for (let i = anchors.length - 1; i >= 0; i--) if (anchors[i].sample <= sample) return anchors[i];
    return anchors[0];
  }

  return {
    advance(startMs, n) {
      const last = anchors[anchors.length - 1];
      if (!last || Math.abs(msAt(last, samples) - startMs) > 1) {
        anchors.push({ sample: samples, ms: startMs });
        if (anchors.length > MAX_ANCHORS) anchors.splice(0, anchors.length - MAX_ANCHORS);
      }
      samples += n;
    },
    toMs(seconds) {
      const sample = seconds * rate;
      const a = anchorFor(sample);
      return a ? Math.round(msAt(a, sample)) : Math.round(seconds * 1000);
    },
    get samples() {
      return samples;
    },
    get endMs() {
      const last = anchors[anchors.length - 1];
      return last ? msAt(last, samples) : 0;
    },
  };
}
