import { ValidationError } from '../../core/index.js';
import { estimatePitch, type PitchOptions } from './pitch.js';
import type { ProsodyFrame } from './types.js';

export interface ProsodyOptions extends PitchOptions {
  /** Frame length; frames do not overlap. */
  frameMs: number;
  /** Call-timeline time of the first sample pushed. */
  startMs: number;
  /** Frames at or above this RMS level (dBFS) are active. */
  activityFloorDb: number;
}

export const DEFAULT_PROSODY_OPTIONS: Readonly<ProsodyOptions> = Object.freeze({
  frameMs: 40,
  startMs: 0,
  activityFloorDb: -45,
  minPitchHz: 70,
  maxPitchHz: 400,
  voicingThreshold: 0.6,
});

export interface ProsodyTracker {
  /** Adds PCM; returns the frames it completed. A trailing part-frame waits for the next chunk. */
  push(pcm: Int16Array): ProsodyFrame[];
  /** Timeline position (ms) of the next sample. */
  readonly positionMs: number;
}

/** Pitch is estimated on audio decimated to about this rate: enough for voices, cheap at 48 kHz. */
const PITCH_RATE = 8000;
const SILENCE_DB = -100;

/**
 * Frame-level loudness and pitch of one channel (docs/metrics.md, "Prosody frames"). RMS over each
 * frame in dBFS; pitch by autocorrelation on active frames, after decimating to ~8 kHz by averaging.
 * About 1 ms of CPU per second of 8 kHz audio.
 */
export function createProsodyTracker(rate: number, options: Partial<ProsodyOptions> = {}): ProsodyTracker {
  const o = { ...DEFAULT_PROSODY_OPTIONS, ...options };
  if (!Number.isInteger(rate) || rate < 4000) throw new ValidationError(`unsupported sample rate ${rate}`, 'rate');
  const frameLen = Math.round((rate * o.frameMs) / 1000);
  if (frameLen < 32) throw new ValidationError(`frameMs ${o.frameMs} too short at ${rate} Hz`, 'frameMs');
  const factor = Math.max(1, Math.floor(rate / PITCH_RATE));
  const pitchRate = rate / factor;
  const buf = new Int16Array(frameLen);
  let fill = 0;
  let frames = 0;

  function analyse(): ProsodyFrame {
    let sum = 0;
    for (let i = 0; i < frameLen; i++) sum += buf[i] * buf[i];
    const rms = Math.sqrt(sum / frameLen) / 32768;
    const rmsDb = rms > 0 ? Math.max(SILENCE_DB, 20 * Math.log10(rms)) : SILENCE_DB;
    const active = rmsDb >= o.activityFloorDb;
    let pitchHz: number | null = null;
    if (active) {
      const dec = new Float64Array(Math.floor(frameLen / factor));
      for (let i = 0; i < dec.length; i++) {
        let acc = 0;
        for (let k = 0; k < factor; k++) acc += buf[i * factor + k];
        dec[i] = acc / factor;
      }
      pitchHz = estimatePitch(dec, pitchRate, o);
    }
    const startMs = o.startMs + (frames * frameLen * 1000) / rate;
    frames++;
    return { startMs, endMs: o.startMs + (frames * frameLen * 1000) / rate, rmsDb, active, pitchHz };
  }

  return {
    push(pcm) {
      const out: ProsodyFrame[] = [];
      let off = 0;
      while (off < pcm.length) {
        const n = Math.min(frameLen - fill, pcm.length - off);
        buf.set(pcm.subarray(off, off + n), fill);
        fill += n;
        off += n;
        if (fill === frameLen) {
          out.push(analyse());
          fill = 0;
        }
      }
      return out;
    },
    get positionMs() {
      return o.startMs + ((frames * frameLen + fill) * 1000) / rate;
    },
  };
}
