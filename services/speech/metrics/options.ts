import { ValidationError } from '../../core/index.js';
import type { AgitationOptions, MetricsOptions, MetricsOptionsInput } from './types.js';

/** Defaults, documented in docs/metrics.md. */
export const DEFAULT_AGITATION_OPTIONS: Readonly<AgitationOptions> = Object.freeze({
  baselineMs: 20_000,
  windowMs: 4_000,
  hopMs: 1_000,
  minActiveMs: 1_000,
  minVoicedFrames: 5,
  loudnessFullScaleDb: 6,
  pitchFullScaleSemitones: 4,
  threshold: 0.5,
});

export const DEFAULT_METRICS_OPTIONS: Readonly<MetricsOptions> = Object.freeze({
  minNonTalkMs: 3_000,
  minInterruptionOverlapMs: 500,
  longPauseMs: 2_000,
  minTalkMsForRate: 5_000,
  agitation: DEFAULT_AGITATION_OPTIONS,
});

export function resolveAgitationOptions(input: Partial<AgitationOptions> = {}): AgitationOptions {
  const o = { ...DEFAULT_AGITATION_OPTIONS, ...input };
  for (const [k, v] of Object.entries(o)) {
    if (!Number.isFinite(v) || v < 0) throw new ValidationError(`agitation.${k} must be a finite number ≥ 0`, `agitation.${k}`);
  }
  if (o.hopMs <= 0 || o.windowMs <= 0) throw new ValidationError('agitation.hopMs and windowMs must be > 0', 'agitation.hopMs');
  if (o.loudnessFullScaleDb <= 0 || o.pitchFullScaleSemitones <= 0) {
    throw new ValidationError('agitation full scales must be > 0', 'agitation.loudnessFullScaleDb');
  }
  return o;
}

export function resolveMetricsOptions(input: MetricsOptionsInput = {}): MetricsOptions {
  const { agitation, ...rest } = input;
  const o: MetricsOptions = { ...DEFAULT_METRICS_OPTIONS, ...rest, agitation: resolveAgitationOptions(agitation) };
  for (const k of ['minNonTalkMs', 'minInterruptionOverlapMs', 'longPauseMs', 'minTalkMsForRate'] as const) {
    if (!Number.isFinite(o[k]) || o[k] < 0) throw new ValidationError(`${k} must be a finite number ≥ 0`, k);
  }
  return o;
}
