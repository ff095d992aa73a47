import { sine } from '../../audio/index.js';
import type { SampleRate } from '../../calls/index.js';

/**
 * The cue an agent hears when a supervisor starts whispering or barging (when `live.notifyTone` is on): two short
 * 880 Hz beeps, 120 ms each with 80 ms between, about -16 dBFS, at the call's rate.
 */
export function notifyTone(rate: SampleRate): Int16Array {
  const beep = Math.round(rate * 0.12);
  const gap = Math.round(rate * 0.08);
  const out = new Int16Array(beep * 2 + gap);
  const tone = sine(rate, 880, beep, 5000);
  // 5 ms ramps so the beeps do not click.
  const ramp = Math.round(rate * 0.005);
  for (let i = 0; i < ramp; i++) {
    tone[i] = Math.round((tone[i] * i) / ramp);
    tone[beep - 1 - i] = Math.round((tone[beep - 1 - i] * i) / ramp);
  }
  out.set(tone, 0);
  out.set(tone, beep + gap);
  return out;
}
