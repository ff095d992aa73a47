export interface PitchOptions {
  minPitchHz: number;
  maxPitchHz: number;
  /** Normalised autocorrelation the best lag must reach for the frame to count as voiced. */
  voicingThreshold: number;
}

/**
 * Fundamental frequency by normalised autocorrelation over lags rate/maxPitchHz … rate/minPitchHz.
 * To avoid octave-down errors the shortest lag whose peak reaches 85 % of the best one wins; parabolic
 * interpolation refines it. Returns null for unvoiced frames (best correlation below the threshold).
 */
export function estimatePitch(samples: Float64Array, rate: number, o: PitchOptions): number | null {
  const n = samples.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += samples[i];
  mean /= n;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = samples[i] - mean;

  const minLag = Math.max(2, Math.floor(rate / o.maxPitchHz));
  const maxLag = Math.min(n - 2, Math.ceil(rate / o.minPitchHz));
  if (maxLag <= minLag + 1) return null;
  const r = new Float64Array(maxLag + 2);
  let best = 0;
  for (let lag = minLag - 1; lag <= maxLag + 1; lag++) {
    let xy = 0;
    let xx = 0;
    let yy = 0;
    for (let i = 0; i + lag < n; i++) {
      const a = x[i];
      const b = x[i + lag];
      xy += a * b;
      xx += a * a;
      yy += b * b;
    }
    r[lag] = xx > 0 && yy > 0 ? xy / Math.sqrt(xx * yy) : 0;
    if (lag >= minLag && lag <= maxLag && r[lag] > best) best = r[lag];
  }
  if (best < o.voicingThreshold) return null;
  for (let lag = minLag; lag <= maxLag; lag++) {
    if (r[lag] >= 0.85 * best && r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1]) {
      const denom = r[lag - 1] - 2 * r[lag] + r[lag + 1];
      const shift = denom < 0 ? (0.5 * (r[lag - 1] - r[lag + 1])) / denom : 0;
      return rate / (lag + Math.max(-0.5, Math.min(0.5, shift)));
    }
  }
  return null;
}
