import { ValidationError } from '../core/index.js';
import { designPolyphase, type PolyphaseFilter } from './fir.js';

/**
 * A streaming sample-rate converter (rational polyphase FIR, Kaiser-windowed sinc, 80 dB stopband).
 * The filter's delay is compensated: output sample m sits at input time m·from/to, so resampled audio stays
 * aligned with the call timeline. Feeding a signal in any chunking gives bit-identical output to one call.
 */
export interface Resampler {
  readonly fromRate: number;
  readonly toRate: number;
  /** Input samples held back for the filter's look-ahead (released by `flush`). */
  readonly lookahead: number;
  /** Converts the next chunk; may return fewer samples than the ratio implies until `flush`. */
  process(pcm: Int16Array): Int16Array;
  /** Ends the stream: returns the held-back tail (total output = ⌈inputs·to/from⌉) and resets the state. */
  flush(): Int16Array;
}

const MAX_PHASES = 4096;
const filters = new Map<string, PolyphaseFilter>();

function filterFor(fromRate: number, toRate: number): PolyphaseFilter {
  const key = `${fromRate}:${toRate}`;
  let f = filters.get(key);
  if (!f) {
    f = designPolyphase(fromRate, toRate);
    if (f.up > MAX_PHASES) throw new ValidationError(`cannot resample ${fromRate} Hz → ${toRate} Hz (ratio too fine)`, 'resampler.rate');
    filters.set(key, f);
  }
  return f;
}

function checkRate(rate: number, name: string): void {
  if (!Number.isInteger(rate) || rate < 1000 || rate > 384000) {
    throw new ValidationError(`${name} must be an integer sample rate in Hz, got ${rate}`, `resampler.${name}`);
  }
}

/**
 * The hot loop, at module level with everything passed in: each resampler is a separate closure, and V8 would
 * otherwise read the filter parameters from the closure context on every tap (about 2-3x slower).
 * `base` indexes `hist` at the oldest input of the first output; `phase` is that output's polyphase branch.
 */
function convolve(
  out: Int16Array, hist: Float64Array, base: number, phase: number, coefs: Float64Array, taps: number, up: number, down: number,
): void {
  for (let m = 0; m < out.length; m++) {
    const c = phase * taps;
    let acc = 0;
    for (let t = 0; t < taps; t++) acc += coefs[c + t] * hist[base + t];
    out[m] = acc >= 32767 ? 32767 : acc <= -32768 ? -32768 : Math.round(acc);
    phase += down;
    while (phase >= up) {
      phase -= up;
      base++;
    }
  }
}

function passthrough(rate: number): Resampler {
  return { fromRate: rate, toRate: rate, lookahead: 0, process: (pcm) => pcm.slice(), flush: () => new Int16Array(0) };
}

/** Creates a stateful resampler (8000/16000/48000 Hz are the rates the pipeline uses; any integer rates work). */
export function createResampler(fromRate: number, toRate: number): Resampler {
  checkRate(fromRate, 'fromRate');
  checkRate(toRate, 'toRate');
  if (fromRate === toRate) return passthrough(fromRate);
  const { up, down, tapsPerPhase: taps, delay, coefs } = filterFor(fromRate, toRate);

  let hist = new Float64Array(4096);
  let histLen = 0;
  /** Global input index of hist[0]. */
  let histStart = 0;
  /** Inputs received (global index of the next one). */
  let received = 0;
  /** Outputs produced (global index of the next one). */
  let produced = 0;

  function reset(): void {
    hist.fill(0, 0, taps - 1);
    histLen = taps - 1; // inputs before the start are zero
    histStart = -(taps - 1);
    received = 0;
    produced = 0;
  }
  reset();

  function append(pcm: Int16Array | null, zeros: number): void {
    const n = pcm ? pcm.length : zeros;
    if (histLen + n > hist.length) {
      const bigger = new Float64Array(Math.max(hist.length * 2, histLen + n));
      bigger.set(hist.subarray(0, histLen));
      hist = bigger;
    }
    if (pcm) for (let i = 0; i < n; i++) hist[histLen + i] = pcm[i];
    else hist.fill(0, histLen, histLen + n);
    histLen += n;
  }

  /** Computes outputs [produced, end) from the history and drops inputs no longer needed. */
  function run(end: number): Int16Array {
    const count = Math.max(0, end - produced);
    const out = new Int16Array(count);
    // Position of the first output on the intermediate-rate grid, split into input index and phase.
    const q = produced * down + delay;
    const j = Math.floor(q / up);
    convolve(out, hist, j - taps + 1 - histStart, q - j * up, coefs, taps, up, down);
    produced += count;
    const keepFrom = Math.floor((produced * down + delay) / up) - taps + 1 - histStart;
    if (keepFrom > 0) {
      hist.copyWithin(0, keepFrom, histLen);
      histLen -= keepFrom;
      histStart += keepFrom;
    }
    return out;
  }

  return {
    fromRate, toRate,
    lookahead: Math.ceil(delay / up),
    process(pcm) {
      append(pcm, 0);
      received += pcm.length;
      // Output m needs inputs up to ⌊(m·down + delay) / up⌋.
      return run(Math.floor((received * up - 1 - delay) / down) + 1);
    },
    flush() {
      const total = Math.ceil((received * up) / down);
      if (total > produced) {
        const lastInput = Math.floor(((total - 1) * down + delay) / up);
        append(null, Math.max(0, lastInput - (histStart + histLen) + 1));
      }
      const out = run(total);
      reset();
      return out;
    },
  };
}

/** One-shot conversion: ⌈pcm.length·to/from⌉ samples, identical to streaming the same input. */
export function resample(pcm: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (fromRate === toRate) return pcm.slice();
  const r = createResampler(fromRate, toRate);
  const head = r.process(pcm);
  const tail = r.flush();
  const out = new Int16Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}
