import { EngineError } from '../../core/index.js';
import type { AsrCapabilities } from '../types.js';
import type { RecognizerOptions } from './types.js';

/** Primary language subtag, lower case: `en-US` → `en`. */
export function primaryLanguage(tag: string): string {
  return tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

/** Whether an engine language (e.g. `en`, `en-us`) serves a call language (e.g. `en-GB`). */
export function languageMatches(engineLanguage: string, callLanguage: string): boolean {
  return primaryLanguage(engineLanguage) === primaryLanguage(callLanguage);
}

/**
 * The rate an engine should get for input at `inputRate`: the input rate when supported, else the highest
 * supported rate below it (downsampling loses nothing the engine could use). Never upsamples: an 8 kHz call
 * upsampled to 16 kHz lacks the bandwidth a wideband model needs, so it is refused instead.
 */
export function engineRateFor(inputRate: number, sampleRates: readonly number[]): number | null {
  if (sampleRates.includes(inputRate)) return inputRate;
  const below = sampleRates.filter((r) => r < inputRate);
  return below.length ? Math.max(...below) : null;
}

/** Why an engine cannot serve these options, or null when it can. */
export function unsupportedReason(engine: string, caps: AsrCapabilities, opts: Pick<RecognizerOptions, 'language' | 'sampleRate'>): string | null {
  if (!caps.languages.some((l) => languageMatches(l, opts.language))) {
    return `${engine} has no model for ${opts.language} (it has ${caps.languages.join(', ')})`;
  }
  if (engineRateFor(opts.sampleRate, caps.sampleRates) === null) {
    const min = Math.min(...caps.sampleRates);
    return (
      `${engine} needs audio of at least ${min} Hz, this channel is ${opts.sampleRate} Hz; ` +
      'upsampling does not restore the missing bandwidth, so it is not recognised with this engine'
    );
  }
  return null;
}

/** Throws a non-retryable EngineError when the engine cannot serve these options. */
export function assertSupported(engine: string, caps: AsrCapabilities, opts: RecognizerOptions): number {
  const reason = unsupportedReason(engine, caps, opts);
  if (reason) throw new EngineError(reason, false);
  return engineRateFor(opts.sampleRate, caps.sampleRates) as number;
}
