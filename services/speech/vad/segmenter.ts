import type { Channel } from '../../calls/index.js';
import type { VadEvent, VadSegmenterOptions } from './types.js';

/** Silero v4 chunk: 512 samples at 16 kHz, 256 at 8 kHz. */
export const CHUNK_MS = 32;
/** Energy frames used to place boundaries (64 samples at 16 kHz, 32 at 8 kHz). */
export const FRAME_MS = 4;
export const FRAMES_PER_CHUNK = CHUNK_MS / FRAME_MS;
/** dB of digital silence (energy 0 is clamped here). */
const SILENCE_DB = -120;
/** Noise floor tracking per non-speech chunk: quick to fall, slow to rise (~1 s). */
const FLOOR_FALL = 0.3;
const FLOOR_RISE = 0.03;

export interface VadSegmenterConfig {
  callId: string;
  speaker: Channel;
  options: VadSegmenterOptions;
}

/**
 * The per-channel decision logic, pure and synchronous: model probabilities and frame energies in, speech
 * events out (hysteresis as in Silero's VADIterator; boundaries refined on the signal, see `refine`).
 * Time starts at the `originMs` of the first `push`; chunk k covers originMs + [32k, 32k + 32).
 */
export interface VadSegmenter {
  /**
   * The model's verdicts for the next chunks: `probs` has one value per chunk, `energies` the mean square of
   * the normalised samples per 4 ms frame (8 per chunk). `validMs` is the audio they cover (less than
   * 32 ms per chunk only for a zero-padded last chunk).
   */
  push(originMs: number, probs: Float32Array, energies: Float32Array, validMs?: number): VadEvent[];
  /** End of the audio: closes an open segment there and resets (the next push sets a new origin). */
  finish(): VadEvent[];
  readonly isSpeech: boolean;
  readonly processedMs: number;
}

interface Open {
  /** Unpadded start, in frames from the origin. */
  startFrame: number;
  /** Padded start (ms on the call timeline). */
  startMs: number;
  confirmed: boolean;
  /** Chunk at which the pending end began (first chunk below negThreshold), or null. */
  silentFrom: number | null;
  /** Last chunk at or above negThreshold. */
  lastVoiced: number;
}

export function createVadSegmenter(so: VadSegmenterConfig): VadSegmenter {
  const o = so.options;
  const { callId, speaker } = so;
  const capacity = Math.ceil((Math.max(o.refineOnsetMs, o.refineOffsetMs) + o.minSilenceMs + o.refineBridgeMs) / FRAME_MS) + 4 * FRAMES_PER_CHUNK;
  const ring = new Float32Array(capacity);
  const onsetFrames = Math.round(o.refineOnsetMs / FRAME_MS);
  const offsetFrames = Math.round(o.refineOffsetMs / FRAME_MS);
  const bridgeFrames = Math.round(o.refineBridgeMs / FRAME_MS);

  let origin: number | null = null;
  let chunks = 0;
  let frames = 0;
  let validMsTotal = 0;
  let floorDb: number | null = null;
  /** Last frame above the energy threshold (as it was when the frame arrived). */
  let lastActiveFrame = -1;
  let open: Open | null = null;
  /** Previous segment's unpadded end frame and padded end (ms): the next one may not reach back over it. */
  let prevEndFrame = 0;
  let prevEndMs = -Infinity;
  /** Where the audio ended at the last `finish`. */
  let finishedMs = 0;

  const at = (frame: number) => (origin ?? 0) + frame * FRAME_MS;
  const audioEndMs = () => (origin ?? 0) + validMsTotal;
  const threshold = () => Math.max(o.energyFloorDb, (floorDb ?? -Infinity) + o.noiseMarginDb);

  /** Whether frame f is above the energy threshold; undefined when it is outside the kept history. */
  function active(f: number, thr: number): boolean | undefined {
    if (f < 0 || f >= frames || f < frames - capacity) return undefined;
    return ring[f % capacity] > thr;
  }

  function trackFloor(chunk: number): void {
    let sum = 0;
    for (let i = 0; i < FRAMES_PER_CHUNK; i++) sum += ring[(chunk * FRAMES_PER_CHUNK + i) % capacity];
    const db = Math.max(-100, sum / FRAMES_PER_CHUNK);
    if (floorDb === null) floorDb = db;
    else floorDb += (db < floorDb ? FLOOR_FALL : FLOOR_RISE) * (db - floorDb);
  }

  /** Segment start for a trigger at `chunk`: the onset of the active stretch it belongs to. */
  function startFrameFor(chunk: number): number {
    const first = chunk * FRAMES_PER_CHUNK;
    if (!o.refine) return first;
    const thr = threshold();
    let j = first;
    while (j < first + FRAMES_PER_CHUNK && !active(j, thr)) j++;
    if (j === first + FRAMES_PER_CHUNK) return first;
    const limit = Math.max(j - onsetFrames, prevEndFrame);
    let best = j;
    for (let i = j - 1; i >= limit && best - i <= bridgeFrames + 1; i--) {
      const a = active(i, thr);
      if (a === undefined) break;
      if (a) best = i;
    }
    return best;
  }

  /** Segment end: the last active frame near where the model last heard speech, following a trailing burst. */
  function endFrameFor(seg: Open, fromFrame: number): number {
    if (!o.refine) return fromFrame;
    const thr = threshold();
    const limit = Math.max(fromFrame - offsetFrames, seg.startFrame);
    let j = fromFrame - 1;
    while (j >= limit && active(j, thr) === false) j--;
    if (j < limit || active(j, thr) !== true) return fromFrame;
    let best = j;
    const hi = Math.min(frames, fromFrame + bridgeFrames);
    for (let i = j + 1; i < hi && i - best <= bridgeFrames + 1; i++) if (active(i, thr)) best = i;
    return best + 1;
  }

  function close(seg: Open, endFrame: number, detectedMs: number, out: VadEvent[]): void {
    open = null;
    const long = (endFrame - seg.startFrame) * FRAME_MS >= o.minSpeechMs;
    if (!seg.confirmed && !long) return;
    const endMs = Math.max(seg.startMs, Math.min(at(endFrame) + o.speechPadMs, audioEndMs()));
    if (!seg.confirmed) out.push({ type: 'speech.started', callId, speaker, startMs: seg.startMs, detectedMs });
    out.push({ type: 'speech.ended', callId, speaker, span: { speaker, startMs: seg.startMs, endMs }, detectedMs });
    prevEndFrame = endFrame;
    prevEndMs = endMs;
  }

  function confirm(seg: Open, nowFrame: number, out: VadEvent[]): void {
    if (seg.confirmed) return;
    let extent = seg.silentFrom === null ? nowFrame : seg.silentFrom * FRAMES_PER_CHUNK;
    if (o.refine) extent = Math.min(extent, lastActiveFrame + 1);
    if ((extent - seg.startFrame) * FRAME_MS < o.minSpeechMs) return;
    seg.confirmed = true;
    out.push({ type: 'speech.started', callId, speaker, startMs: seg.startMs, detectedMs: at(nowFrame) });
  }

  /** Marks the chunk's active frames; whether it has any. */
  function scanEnergy(chunk: number): boolean {
    const thr = threshold();
    let any = false;
    for (let f = chunk * FRAMES_PER_CHUNK; f < (chunk + 1) * FRAMES_PER_CHUNK; f++) {
      if (active(f, thr)) {
        lastActiveFrame = f;
        any = true;
      }
    }
    return any;
  }

  /**
   * One chunk. The model decides (hysteresis on `p`); with `refine` the energy also has a say: a trigger needs
   * an active frame in its chunk, and `minSilenceMs` without any active frame ends a segment even while the
   * model still hears speech (Silero's probability can stay above negThreshold for a second in steady noise).
   */
  function step(chunk: number, p: number, out: VadEvent[]): void {
    const end = (chunk + 1) * FRAMES_PER_CHUNK;
    if (p >= o.negThreshold && open) open.lastVoiced = chunk;
    if (p < o.negThreshold) trackFloor(chunk);
    const energetic = scanEnergy(chunk);
    if (p >= o.threshold) {
      if (!open && (energetic || !o.refine)) {
        const startFrame = startFrameFor(chunk);
        const startMs = Math.max(at(startFrame) - o.speechPadMs, prevEndMs, origin ?? 0);
        open = { startFrame, startMs, confirmed: false, silentFrom: null, lastVoiced: chunk };
      }
      if (open) open.silentFrom = null;
    } else if (p < o.negThreshold && open) {
      open.silentFrom ??= chunk;
      if ((chunk + 1 - open.silentFrom) * CHUNK_MS >= o.minSilenceMs) {
        const from = o.refine ? (open.lastVoiced + 1) * FRAMES_PER_CHUNK : open.silentFrom * FRAMES_PER_CHUNK;
        close(open, endFrameFor(open, from), at(end), out);
        return;
      }
    }
    if (open && o.refine && (end - lastActiveFrame - 1) * FRAME_MS >= o.minSilenceMs) {
      close(open, endFrameFor(open, lastActiveFrame + 1), at(end), out);
      return;
    }
    if (open) confirm(open, end, out);
  }

  return {
    push(originMs, probs, energies, validMs) {
      if (energies.length !== probs.length * FRAMES_PER_CHUNK) {
        throw new RangeError(`${probs.length} chunks need ${probs.length * FRAMES_PER_CHUNK} energies, got ${energies.length}`);
      }
      origin ??= originMs;
      const out: VadEvent[] = [];
      for (let c = 0; c < probs.length; c++) {
        for (let i = 0; i < FRAMES_PER_CHUNK; i++) {
          const e = energies[c * FRAMES_PER_CHUNK + i];
          ring[frames % capacity] = e > 0 ? Math.max(SILENCE_DB, 10 * Math.log10(e)) : SILENCE_DB;
          frames++;
        }
        validMsTotal += c === probs.length - 1 && validMs !== undefined ? validMs - (probs.length - 1) * CHUNK_MS : CHUNK_MS;
        step(chunks++, probs[c], out);
      }
      return out;
    },
    finish() {
      const out: VadEvent[] = [];
      if (open) {
        const seg = open;
        const from = seg.silentFrom !== null && !o.refine ? seg.silentFrom * FRAMES_PER_CHUNK
          : seg.silentFrom !== null ? (seg.lastVoiced + 1) * FRAMES_PER_CHUNK
            : Math.ceil(validMsTotal / FRAME_MS);
        close(seg, endFrameFor(seg, from), audioEndMs(), out);
      }
      if (origin !== null) finishedMs = audioEndMs();
      origin = null;
      chunks = 0;
      frames = 0;
      validMsTotal = 0;
      floorDb = null;
      lastActiveFrame = -1;
      open = null;
      prevEndFrame = 0;
      prevEndMs = -Infinity;
      return out;
    },
    get isSpeech() {
      return open?.confirmed === true;
    },
    get processedMs() {
      return origin === null ? finishedMs : audioEndMs();
    },
  };
}
