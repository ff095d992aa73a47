import { ValidationError } from '../../core/index.js';
import type { VadSegmenterOptions } from './types.js';

/** Silero's own streaming defaults (threshold 0.5, negative threshold 0.35, 250 ms min speech), plus refinement. */
export const VAD_DEFAULTS: Readonly<VadSegmenterOptions> = Object.freeze({
  threshold: 0.5,
  negThreshold: 0.35,
  minSpeechMs: 250,
  minSilenceMs: 300,
  speechPadMs: 30,
  refine: true,
  refineOnsetMs: 500,
  refineOffsetMs: 1000,
  refineBridgeMs: 100,
  energyFloorDb: -60,
  noiseMarginDb: 6,
});

const KEYS = Object.keys(VAD_DEFAULTS) as (keyof VadSegmenterOptions)[];

function check(ok: boolean, key: string, message: string): void {
  if (!ok) throw new ValidationError(`vad.${key} ${message}`, `vad.${key}`);
}

/** Applies the defaults to the segmenter fields of `input` (other fields are ignored) and validates them. */
export function resolveVadOptions(input: Partial<VadSegmenterOptions> = {}): VadSegmenterOptions {
  const o = { ...VAD_DEFAULTS };
  for (const k of KEYS) {
    const v = input[k];
    if (v !== undefined) (o as Record<string, unknown>)[k] = v;
  }
  const finite = (k: keyof VadSegmenterOptions) => check(Number.isFinite(o[k]), k, 'must be a finite number');
  for (const k of KEYS) if (k !== 'refine') finite(k);
  check(typeof o.refine === 'boolean', 'refine', 'must be a boolean');
  check(o.threshold > 0 && o.threshold < 1, 'threshold', 'must be in (0, 1)');
  check(o.negThreshold > 0 && o.negThreshold <= o.threshold, 'negThreshold', 'must be in (0, threshold]');
  for (const k of ['minSpeechMs', 'minSilenceMs', 'speechPadMs', 'refineOnsetMs', 'refineOffsetMs', 'refineBridgeMs', 'noiseMarginDb'] as const) {
    check(o[k] >= 0, k, 'must not be negative');
  }
  check(o.energyFloorDb < 0, 'energyFloorDb', 'must be below 0 dBFS');
  return o;
}
