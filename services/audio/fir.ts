/** Windowed-sinc (Kaiser) low-pass design for the polyphase resampler. */

/** Stopband attenuation the resampler's filters are designed for, in dB. */
export const STOPBAND_DB = 80;
/** Passband edge and stopband edge as fractions of the lower rate's Nyquist frequency (3.4 kHz / 4 kHz at 8 kHz). */
export const PASS_EDGE = 0.85;
export const STOP_EDGE = 1.0;

/** Zeroth-order modified Bessel function of the first kind (series; converges fast for the β used here). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 64; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-16) break;
  }
  return sum;
}

export interface PolyphaseFilter {
  /** Interpolation factor (phases). */
  up: number;
  /** Decimation factor. */
  down: number;
  /** Taps per phase. */
  tapsPerPhase: number;
  /** Group delay of the prototype filter, in samples at the intermediate rate (`fromRate * up`). */
  delay: number;
  /** Phase φ's taps at `[φ * tapsPerPhase, (φ + 1) * tapsPerPhase)`, reversed so they run oldest → newest input. */
  coefs: Float64Array;
  /** Prototype length (odd). */
  length: number;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Designs the anti-aliasing / anti-imaging low-pass for `fromRate → toRate` and splits it into polyphase
 * branches. The prototype runs at `fromRate * up`; its DC gain is `up`, so each branch has unity gain.
 */
export function designPolyphase(fromRate: number, toRate: number): PolyphaseFilter {
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  const hiRate = fromRate * up;
  const nyquist = Math.min(fromRate, toRate) / 2;
  const transition = (STOP_EDGE - PASS_EDGE) * nyquist;
  const cutoff = ((PASS_EDGE + STOP_EDGE) / 2) * nyquist;
  const beta = 0.1102 * (STOPBAND_DB - 8.7);
  // Kaiser's estimate of the length for the given attenuation and transition width.
  let length = Math.ceil((STOPBAND_DB - 8) / (2.285 * ((2 * Math.PI * transition) / hiRate))) + 1;
  if (length % 2 === 0) length++;
  const delay = (length - 1) / 2;
  const h = new Float64Array(length);
  const fc = cutoff / hiRate;
  const i0beta = besselI0(beta);
  let sum = 0;
  for (let n = 0; n < length; n++) {
    const x = n - delay;
    const sinc = x === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * x) / (Math.PI * x);
    const r = x / delay;
    const w = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0beta;
    h[n] = sinc * w;
    sum += h[n];
  }
  for (let n = 0; n < length; n++) h[n] *= up / sum;

  const tapsPerPhase = Math.ceil(length / up);
  const coefs = new Float64Array(up * tapsPerPhase);
  for (let phase = 0; phase < up; phase++) {
    for (let t = 0; t < tapsPerPhase; t++) {
      const k = phase + (tapsPerPhase - 1 - t) * up;
      coefs[phase * tapsPerPhase + t] = k < length ? h[k] : 0;
    }
  }
  return { up, down, tapsPerPhase, delay, coefs, length };
}
