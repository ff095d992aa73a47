/** A stretch of one channel's audio on the call timeline. */
export interface Chunk {
  startMs: number;
  pcm: Int16Array;
}

/**
 * Decides which audio of one channel reaches the recogniser: only speech. Audio waits in a pre-roll while the
 * voice activity detector decides (it reports a start only once speech has lasted a while, so the start lies in
 * the past); a start releases the pre-roll from the speech's start on, and audio then passes until the speech ends.
 * Skipping silence saves the recogniser's CPU; the padding keeps word edges.
 */
export interface SpeechGate {
  /** Audio in; returns what to recognise now (nothing while closed). */
  push(chunk: Chunk): Chunk[];
  /** Speech started at `startMs`: opens the gate and returns the held audio from there on. */
  open(startMs: number): Chunk[];
  /** Speech ended: closes the gate. True when it was open (the recogniser should finish its utterance). */
  close(): boolean;
  readonly isOpen: boolean;
}

export function createSpeechGate(opts: { rate: number; preRollMs: number }): SpeechGate {
  let held: Chunk[] = [];
  let open = false;
  const msOf = (c: Chunk) => (c.pcm.length * 1000) / opts.rate;

  function trim(): void {
    const last = held.at(-1);
    if (!last) return;
    const keepFrom = last.startMs + msOf(last) - opts.preRollMs;
    while (held.length > 1 && held[0].startMs + msOf(held[0]) <= keepFrom) held.shift();
  }

  return {
    push(chunk) {
      if (open) return [chunk];
      held.push(chunk);
      trim();
      return [];
    },
    open(startMs) {
      open = true;
      const out: Chunk[] = [];
      for (const c of held) {
        const endMs = c.startMs + msOf(c);
        if (endMs <= startMs) continue;
        const skip = Math.max(0, Math.round(((startMs - c.startMs) * opts.rate) / 1000));
        out.push(skip > 0 ? { startMs: c.startMs + (skip * 1000) / opts.rate, pcm: c.pcm.subarray(skip) } : c);
      }
      held = [];
      return out;
    },
    close() {
      const was = open;
      open = false;
      return was;
    },
    get isOpen() {
      return open;
    },
  };
}
