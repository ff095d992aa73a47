import { EngineError } from '../../core/index.js';
import { createResampler, type Resampler } from '../../audio/index.js';
import type { TranscriptSegment, Word } from '../types.js';
import { createStreamClock } from './clock.js';
import type { AsrResult, DecodedHyp, Decoder, RecognizerOptions, SyncRecognizer } from './types.js';

export interface BaseRecognizerOptions extends RecognizerOptions {
  engine: string;
  decoder: Decoder;
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 1);

/**
 * The engine-independent half of a recognizer: resamples input to the decoder's rate, keeps the mapping from
 * the decoder's stream to the call timeline, and turns decoder hypotheses into TranscriptSegments with stable
 * utterance ids (partials, then the final that replaces them). Engines implement only a `Decoder`.
 */
export function createBaseRecognizer(opts: BaseRecognizerOptions): SyncRecognizer {
  const { decoder, callId, speaker, language, engine, sampleRate } = opts;
  const resampler: Resampler | null = sampleRate === decoder.sampleRate ? null : createResampler(sampleRate, decoder.sampleRate);
  const clock = createStreamClock(sampleRate);
  let utterance = 0;
  let partialText: string | null = null;
  let committedMs: number | null = null; // end of the last final: audio before it is done
  let firstMs: number | null = null;
  let closed = false;

  // The first audio's call time keeps ids unique when a channel's recognizer is recreated (worker restart).
  const utteranceId = () => `${callId}:${speaker}:${Math.round(firstMs ?? 0)}.${utterance}`;

  function toResult(h: DecodedHyp): AsrResult | null {
    const words: Word[] = h.words.map((w) => ({
      text: w.text,
      startMs: clock.toMs(w.start),
      endMs: Math.max(clock.toMs(w.start), clock.toMs(w.end)),
      confidence: clamp01(w.confidence),
    }));
    const text = words.length ? words.map((w) => w.text).join(' ') : h.text.trim();
    if (!h.final) {
      if (!text || text === partialText) return null;
      partialText = text;
    } else if (!text && partialText === null) {
      committedMs = clock.toMs(h.end);
      return null; // nothing was shown for this utterance: nothing to replace
    }
    const segment: TranscriptSegment = {
      callId,
      speaker,
      utteranceId: utteranceId(),
      text,
      startMs: words[0]?.startMs ?? clock.toMs(h.start),
      endMs: words[words.length - 1]?.endMs ?? clock.toMs(h.end),
      words,
      final: h.final,
      engine,
      language,
    };
    if (h.final) {
      utterance++;
      partialText = null;
      committedMs = Math.max(segment.endMs, clock.toMs(h.end));
    }
    return { type: h.final ? 'final' : 'partial', segment };
  }

  const convert = (hyps: DecodedHyp[]) => hyps.map(toResult).filter((r): r is AsrResult => r !== null);

  function checkOpen(): void {
    if (closed) throw new EngineError(`${engine} recognizer for ${callId}/${speaker} is closed`, false);
  }

  return {
    engine,
    accept(pcm, startMs) {
      checkOpen();
      if (pcm.length === 0) return [];
      firstMs ??= startMs;
      clock.advance(startMs, pcm.length);
      const input = resampler ? resampler.process(pcm) : pcm;
      return convert(input.length ? decoder.write(input) : []);
    },
    flush() {
      checkOpen();
      const hyps: DecodedHyp[] = [];
      const tail = resampler?.flush();
      if (tail?.length) hyps.push(...decoder.write(tail));
      hyps.push(...decoder.finish());
      const results = convert(hyps);
      committedMs = clock.endMs;
      return results;
    },
    close() {
      if (closed) return;
      closed = true;
      decoder.close();
    },
    pending() {
      if (firstMs === null) return null;
      const fromDecoder = decoder.pendingFrom?.();
      const open = partialText !== null ? { utteranceId: utteranceId() } : {};
      if (fromDecoder !== undefined) return fromDecoder === null ? null : { fromMs: clock.toMs(fromDecoder), ...open };
      const fromMs = committedMs ?? firstMs;
      return fromMs < clock.endMs ? { fromMs, ...open } : null;
    },
  };
}
