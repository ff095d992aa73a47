import { ValidationError } from '../../core/index.js';
import { median } from './median.js';
import { resolveAgitationOptions } from './options.js';
import type { AgitationOptions, AgitationReading, AgitationSummary, ProsodyFrame } from './types.js';

export interface AgitationTracker {
  /** Feeds one speaker's frames in time order. Returns the readings they completed. */
  push(frames: readonly ProsodyFrame[]): AgitationReading[];
  summary(): AgitationSummary;
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/**
 * Agitation of one speaker relative to their own baseline (docs/metrics.md, "Agitation"). The first
 * `baselineMs` of active frames give the reference loudness (median dBFS) and pitch (median Hz); after
 * that, every `hopMs` on the timeline the last `windowMs` of active frames are compared with it:
 *   score = ½·clamp(ΔdB / loudnessFullScaleDb) + ½·clamp(Δsemitones / pitchFullScaleSemitones).
 * A reading at time g is taken once a frame starting at or after g arrives, so it depends only on frames
 * before g: feeding frames in any chunking gives the same readings.
 */
export function createAgitationTracker(input: Partial<AgitationOptions> = {}): AgitationTracker {
  const o = resolveAgitationOptions(input);
  const baseFrames: ProsodyFrame[] = [];
  let baseActiveMs = 0;
  let baseline: AgitationSummary['baseline'] = null;
  let nextGridMs = 0;
  let lastStartMs = -Infinity;
  const window: ProsodyFrame[] = [];
  let current: AgitationReading | null = null;
  let peak: AgitationReading | null = null;
  let agitatedMs = 0;
  const episodes: AgitationSummary['episodes'] = [];
  let lastAgitatedAtMs: number | null = null;

  function read(atMs: number): AgitationReading | null {
    if (!baseline) return null;
    while (window.length > 0 && window[0].startMs < atMs - o.windowMs) window.shift();
    const activeMs = window.reduce((sum, f) => sum + (f.endMs - f.startMs), 0);
    if (activeMs < o.minActiveMs) return null;
    const loudnessRiseDb = (median(window.map((f) => f.rmsDb)) ?? baseline.loudnessDb) - baseline.loudnessDb;
    const pitches = window.flatMap((f) => (f.pitchHz === null ? [] : [f.pitchHz]));
    const pitchRiseSemitones = baseline.pitchHz !== null && pitches.length >= o.minVoicedFrames
      ? 12 * Math.log2((median(pitches) ?? baseline.pitchHz) / baseline.pitchHz)
      : null;
    const score = 0.5 * clamp01(loudnessRiseDb / o.loudnessFullScaleDb)
      + 0.5 * clamp01((pitchRiseSemitones ?? 0) / o.pitchFullScaleSemitones);
    return { atMs, score, loudnessRiseDb, pitchRiseSemitones };
  }

  function record(r: AgitationReading): void {
    current = r;
    if (!peak || r.score > peak.score) peak = r;
    if (r.score < o.threshold) return;
    agitatedMs += o.hopMs;
    const last = episodes[episodes.length - 1];
    if (last && lastAgitatedAtMs === r.atMs - o.hopMs) {
      last.endMs = r.atMs;
      last.durationMs = last.endMs - last.startMs;
      last.peakScore = Math.max(last.peakScore, r.score);
    } else {
      episodes.push({ startMs: r.atMs - o.hopMs, endMs: r.atMs, durationMs: o.hopMs, peakScore: r.score });
    }
    lastAgitatedAtMs = r.atMs;
  }

  function takeBaseline(f: ProsodyFrame): void {
    baseFrames.push(f);
    baseActiveMs += f.endMs - f.startMs;
    if (baseActiveMs < o.baselineMs) return;
    const pitches = baseFrames.flatMap((b) => (b.pitchHz === null ? [] : [b.pitchHz]));
    baseline = {
      loudnessDb: median(baseFrames.map((b) => b.rmsDb)) ?? 0,
      pitchHz: pitches.length >= 2 * o.minVoicedFrames ? median(pitches) : null,
      readyAtMs: f.endMs,
    };
    nextGridMs = Math.ceil(f.endMs / o.hopMs) * o.hopMs;
    baseFrames.length = 0;
  }

  return {
    push(frames) {
      const out: AgitationReading[] = [];
      for (const f of frames) {
        if (!(f.startMs >= lastStartMs) || !(f.endMs > f.startMs)) {
          throw new ValidationError(`prosody frame at ${f.startMs} ms is out of order or empty`, 'prosody');
        }
        lastStartMs = f.startMs;
        if (baseline) {
          while (nextGridMs <= f.startMs) {
            const r = read(nextGridMs);
            if (r) { record(r); out.push(r); }
            nextGridMs += o.hopMs;
            // Nothing left in the window: skip straight to the grid point before this frame.
            if (window.length === 0 && nextGridMs <= f.startMs) nextGridMs = Math.floor(f.startMs / o.hopMs) * o.hopMs;
          }
        }
        if (!f.active) continue;
        window.push(f);
        if (!baseline) takeBaseline(f);
      }
      return out;
    },
    summary() {
      return {
        baseline: baseline && { ...baseline },
        current: current && { ...current },
        peak: peak && { ...peak },
        agitatedMs,
        episodes: episodes.map((e) => ({ ...e })),
      };
    },
  };
}
