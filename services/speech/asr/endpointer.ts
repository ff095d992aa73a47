import type { EndpointerOptions } from './types.js';

/**
 * What to do with a channel's audio, in order: open an utterance, feed it audio, close it. Audio outside
 * utterances (beyond the pre-roll) is never passed on. `atSample` counts samples from the stream's start.
 */
export type EndpointStep =
  | { kind: 'start'; atSample: number }
  | { kind: 'audio'; pcm: Int16Array; atSample: number }
  | { kind: 'end'; atSample: number; reason: EndReason };

export type EndReason = 'silence' | 'max-length' | 'flush';

export interface Endpointer {
  push(pcm: Int16Array): EndpointStep[];
  /** Closes an open utterance (with the audio held back) — at the end of a call or on request. */
  flush(): EndpointStep[];
  /** Sample where audio that may still become (or is) an utterance begins; null when nothing is pending. */
  pendingFrom(): number | null;
}

const FRAME_MS = 10;
const BLOCK_FRAMES = 10;
const WINDOW_BLOCKS = 50;
/** Assumed noise floor until the channel has shown its own (ages out of the window after 5 s). */
const PRIOR_FLOOR_DB = -60;
export const ENDPOINTER_DEFAULTS: Required<EndpointerOptions> = {
  startMs: 100,
  endSilenceMs: 600,
  prerollMs: 300,
  maxUtteranceMs: 20_000,
  thresholdDb: 9,
  minLevelDb: -50,
};

/** Frame level in dBFS (floored at -100 for digital silence). */
export function frameLevelDb(pcm: Int16Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += pcm[i] * pcm[i];
  const meanSquare = sum / Math.max(1, to - from) / (32768 * 32768);
  return meanSquare > 1e-10 ? 10 * Math.log10(meanSquare) : -100;
}

/**
 * An energy endpointer with an adaptive noise floor (minimum statistics over 5 s). Speech opens an utterance after
 * `startMs`, including `prerollMs` before it; `endSilenceMs` of non-speech closes it; utterances longer than
 * `maxUtteranceMs` are cut and continue as a new one without losing audio.
 */
export function createEndpointer(rate: number, options: EndpointerOptions = {}): Endpointer {
  const o = { ...ENDPOINTER_DEFAULTS, ...options };
  const frame = Math.round((rate * FRAME_MS) / 1000);
  const startFrames = Math.max(1, Math.round(o.startMs / FRAME_MS));
  const endFrames = Math.max(1, Math.round(o.endSilenceMs / FRAME_MS));
  const ringFrames = Math.round(o.prerollMs / FRAME_MS) + startFrames;
  const maxFrames = Math.round(o.maxUtteranceMs / FRAME_MS);

  let carry = new Int16Array(0);
  let position = 0; // samples consumed into frames
  const minima: number[] = [PRIOR_FLOOR_DB];
  let blockMin = Infinity;
  let inBlock = 0;
  let inUtterance = false;
  let speechRun = 0;
  let silenceRun = 0;
  let uttFrames = 0;
  const ring: Int16Array[] = [];
  let ringStart = 0;

  function isSpeech(level: number): boolean {
    // Noise floor = the quietest 100 ms block of the last 5 s (speech always has pauses; noise does not).
    let floorDb = blockMin;
    for (const m of minima) floorDb = Math.min(floorDb, m);
    blockMin = Math.min(blockMin, level);
    if (++inBlock === BLOCK_FRAMES) {
      minima.push(blockMin);
      if (minima.length > WINDOW_BLOCKS) minima.shift();
      blockMin = Infinity;
      inBlock = 0;
    }
    return level > Math.max(floorDb + o.thresholdDb, o.minLevelDb);
  }

  function takeFrames(pcm: Int16Array): Int16Array[] {
    const all = carry.length ? concat([carry, pcm]) : pcm;
    const frames: Int16Array[] = [];
    let i = 0;
    for (; i + frame <= all.length; i += frame) frames.push(all.slice(i, i + frame));
    carry = all.slice(i);
    return frames;
  }

  return {
    push(pcm) {
      const steps: EndpointStep[] = [];
      let run: Int16Array[] = [];
      let runAt = 0;
      const emitRun = () => {
        if (run.length) steps.push({ kind: 'audio', pcm: concat(run), atSample: runAt });
        run = [];
      };
      for (const f of takeFrames(pcm)) {
        const at = position;
        position += f.length;
        const speech = isSpeech(frameLevelDb(f, 0, f.length));
        if (!inUtterance) {
          ring.push(f);
          if (ring.length > ringFrames) ring.shift();
          ringStart = position - ring.reduce((n, r) => n + r.length, 0);
          speechRun = speech ? speechRun + 1 : 0;
          if (speechRun >= startFrames) {
            inUtterance = true;
            silenceRun = 0;
            uttFrames = ring.length;
            steps.push({ kind: 'start', atSample: ringStart });
            steps.push({ kind: 'audio', pcm: concat(ring), atSample: ringStart });
            ring.length = 0;
            speechRun = 0;
          }
          continue;
        }
        if (!run.length) runAt = at;
        run.push(f);
        uttFrames++;
        silenceRun = speech ? 0 : silenceRun + 1;
        if (silenceRun >= endFrames || uttFrames >= maxFrames) {
          emitRun();
          steps.push({ kind: 'end', atSample: position, reason: silenceRun >= endFrames ? 'silence' : 'max-length' });
          if (silenceRun >= endFrames) {
            inUtterance = false;
          } else {
            steps.push({ kind: 'start', atSample: position });
            uttFrames = 0;
          }
          silenceRun = 0;
        }
      }
      emitRun();
      return steps;
    },
    flush() {
      const steps: EndpointStep[] = [];
      if (inUtterance) {
        if (carry.length) steps.push({ kind: 'audio', pcm: carry, atSample: position });
        position += carry.length;
        steps.push({ kind: 'end', atSample: position, reason: 'flush' });
      } else {
        position += carry.length;
      }
      carry = new Int16Array(0);
      inUtterance = false;
      speechRun = 0;
      silenceRun = 0;
      ring.length = 0;
      return steps;
    },
    pendingFrom() {
      if (inUtterance) return null; // the decoder knows where its utterance started
      return speechRun > 0 ? ringStart : null;
    },
  };
}

export function concat(parts: Int16Array[]): Int16Array {
  if (parts.length === 1) return parts[0];
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
