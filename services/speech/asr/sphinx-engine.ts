import { EngineError } from '../../core/index.js';
import type { AsrCapabilities } from '../types.js';
import { createBaseRecognizer } from './base-recognizer.js';
import { createEndpointer, type EndpointStep } from './endpointer.js';
import { loadSphinx, SPHINX_FRAME_RATE, SPHINX_MODEL_DIR } from './sphinx-lib.js';
import { unsupportedReason } from './support.js';
import type { DecodedHyp, DecodedWord, Decoder, EndpointerOptions, LocalAsrEngine } from './types.js';

const RATE = 16_000;

/** PocketSphinx en-us is a wideband model: 16 kHz only (48 kHz is downsampled; 8 kHz is refused, see below). */
export const SPHINX_CAPABILITIES: AsrCapabilities = {
  streaming: true,
  partials: true,
  wordTimings: true,
  sampleRates: [RATE],
  languages: ['en'],
};

export interface SphinxEngineOptions {
  modelDir?: string;
  libDir?: string;
  endpointer?: EndpointerOptions;
  /** Audio between partial hypotheses. */
  partialIntervalMs?: number;
  /**
   * Decode a channel's first utterance again once it has ended (default true). PocketSphinx normalises cepstra
   * with a running mean that starts from the model's defaults and adapts at each utterance end, so the first
   * utterance — often the greeting — is decoded with a poor estimate; the second pass uses the adapted one
   * (on pocketsphinx-testdata: 37 % → 28 % WER). Costs one extra decode of that utterance.
   */
  redecodeFirst?: boolean;
}

/** Drops filler and silence tokens (`<s>`, `<sil>`, `[NOISE]`, `++UM++`) and alternate-pronunciation marks (`was(2)`). */
function wordOf(token: string): string | null {
  if (/^[<[+]/.test(token)) return null;
  return token.replace(/\(\d+\)$/, '');
}

/**
 * A PocketSphinx decoder behind our energy endpointer: an utterance starts where speech starts (with pre-roll)
 * and ends after ~600 ms of non-speech; partial hypotheses every `partialIntervalMs` of audio; word times from
 * `ps_seg_frames` (100 frames/s, counted from `ps_start_stream` at each utterance start).
 */
export function createSphinxDecoder(opts: SphinxEngineOptions = {}): Decoder {
  const lib = loadSphinx(opts.libDir);
  const modelDir = opts.modelDir ?? SPHINX_MODEL_DIR;
  // A fresh decoder per recognizer (~0.3 s, ~95 MB): reusing one would carry its cepstral-mean state from
  // another speaker into this channel, and 5prealpha has no call to reset it short of reloading the model.
  let ps: bigint | null = lib.createDecoder(modelDir);
  const endpointer = createEndpointer(RATE, opts.endpointer);
  const partialEvery = Math.round(((opts.partialIntervalMs ?? 300) * RATE) / 1000);
  let uttStart: number | null = null; // stream sample where the open utterance starts
  let fed = 0; // samples fed into the open utterance
  let sincePartial = 0;
  let firstAudio: Int16Array[] | null = opts.redecodeFirst === false ? null : [];

  function decoder(): bigint {
    if (ps === null) throw new EngineError('PocketSphinx decoder is closed', false);
    return ps;
  }

  function hyp(final: boolean): DecodedHyp {
    const start = (uttStart ?? 0) / RATE;
    const words: DecodedWord[] = [];
    for (const s of lib.segments(decoder())) {
      const text = wordOf(s.word);
      if (text) {
        words.push({
          text,
          start: start + s.startFrame / SPHINX_FRAME_RATE,
          end: start + (s.endFrame + 1) / SPHINX_FRAME_RATE,
          confidence: final ? s.probability : 1,
        });
      }
    }
    return { final, text: words.map((w) => w.text).join(' '), words, start, end: start + fed / RATE };
  }

  function step(s: EndpointStep, out: DecodedHyp[]): void {
    switch (s.kind) {
      case 'start':
        lib.startStream(decoder());
        lib.startUtt(decoder());
        uttStart = s.atSample;
        fed = 0;
        sincePartial = 0;
        return;
      case 'audio':
        lib.processRaw(decoder(), s.pcm);
        firstAudio?.push(s.pcm);
        fed += s.pcm.length;
        sincePartial += s.pcm.length;
        if (sincePartial >= partialEvery) {
          sincePartial = 0;
          const h = hyp(false);
          if (h.words.length) out.push(h);
        }
        return;
      case 'end':
        lib.endUtt(decoder());
        if (firstAudio) {
          // Second pass over the first utterance with the adapted cepstral mean (see `redecodeFirst`).
          lib.startStream(decoder());
          lib.startUtt(decoder());
          for (const pcm of firstAudio) lib.processRaw(decoder(), pcm);
          lib.endUtt(decoder());
          firstAudio = null;
        }
        out.push(hyp(true));
        uttStart = null;
        return;
    }
  }

  return {
    sampleRate: RATE,
    write(pcm) {
      const out: DecodedHyp[] = [];
      for (const s of endpointer.push(pcm)) step(s, out);
      return out;
    },
    finish() {
      const out: DecodedHyp[] = [];
      for (const s of endpointer.flush()) step(s, out);
      return out;
    },
    pendingFrom() {
      if (uttStart !== null) return uttStart / RATE;
      const p = endpointer.pendingFrom();
      return p === null ? null : p / RATE;
    },
    close() {
      if (ps === null) return;
      if (uttStart !== null) lib.endUtt(ps);
      lib.free(ps);
      ps = null;
    },
  };
}

export function createSphinxEngine(opts: SphinxEngineOptions = {}): LocalAsrEngine {
  const name = 'sphinx';
  return {
    name,
    capabilities: SPHINX_CAPABILITIES,
    createRecognizer(o) {
      const reason = unsupportedReason(name, SPHINX_CAPABILITIES, o);
      if (reason) {
        throw new EngineError(
          o.sampleRate < RATE
            ? `PocketSphinx's en-us model is wideband (16 kHz); ${o.sampleRate} Hz telephone audio is not recognised ` +
              'and upsampling does not restore it — install a Vosk model for narrowband calls'
            : reason,
          false,
        );
      }
      return createBaseRecognizer({ ...o, engine: name, decoder: createSphinxDecoder(opts) });
    },
  };
}
