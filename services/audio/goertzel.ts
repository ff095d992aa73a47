/** Tone measurement and generation, for tests (detecting tones on a leg) and diagnostics. */

export interface GoertzelOptions {
  /** First sample to analyse (default 0). */
  start?: number;
  /** Samples to analyse (default: to the end). */
  length?: number;
  /** Hann window (default) keeps a strong tone from leaking into nearby frequencies; 'none' is the plain DFT bin. */
  window?: 'hann' | 'none';
}

/**
 * Amplitude of the `freq` component of `samples` (Goertzel algorithm), in sample units: a full-scale sine of
 * amplitude A at `freq` measures ≈ A. Allocation-free.
 */
export function goertzel(samples: ArrayLike<number>, rate: number, freq: number, opts: GoertzelOptions = {}): number {
  const start = opts.start ?? 0;
  const n = Math.min(opts.length ?? samples.length - start, samples.length - start);
  if (n <= 0) return 0;
  const hann = (opts.window ?? 'hann') === 'hann';
  const w = (2 * Math.PI * freq) / rate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  let windowSum = 0;
  for (let i = 0; i < n; i++) {
    const win = hann ? 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1 || 1)) : 1;
    windowSum += win;
    const s0 = samples[start + i] * win + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const re = s1 - s2 * Math.cos(w);
  const im = s2 * Math.sin(w);
  return (2 * Math.sqrt(re * re + im * im)) / windowSum;
}

/** Level of `freq` relative to full scale (32768), in dB. */
export function toneDb(samples: ArrayLike<number>, rate: number, freq: number, opts?: GoertzelOptions): number {
  return 20 * Math.log10(Math.max(goertzel(samples, rate, freq, opts), 1e-9) / 32768);
}

/** Root-mean-square level in sample units. */
export function rms(samples: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  return samples.length ? Math.sqrt(sum / samples.length) : 0;
}

/** A sine tone (or a sum of tones) as 16-bit PCM; `phase0` in radians lets chunks continue a tone. */
export function sine(rate: number, freq: number | readonly number[], samples: number, amplitude = 10000, phase0 = 0): Int16Array {
  const freqs = typeof freq === 'number' ? [freq] : freq;
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) {
    let v = 0;
    for (const f of freqs) v += Math.sin(phase0 + (2 * Math.PI * f * i) / rate);
    const s = Math.round(v * amplitude);
    out[i] = s > 32767 ? 32767 : s < -32768 ? -32768 : s;
  }
  return out;
}
