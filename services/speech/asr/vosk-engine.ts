import { basename } from 'node:path';
import { EngineError } from '../../core/index.js';
import type { AsrCapabilities } from '../types.js';
import { createBaseRecognizer } from './base-recognizer.js';
import { assertSupported } from './support.js';
import type { DecodedHyp, DecodedWord, Decoder, LocalAsrEngine } from './types.js';
import { loadVosk, type VoskLib } from './vosk-lib.js';
import { loadVoskModel, loadVoskModelSync } from './vosk-models.js';

/** Vosk resamples internally to its model's rate; we give it 8 or 16 kHz (48 kHz is downsampled to 16 kHz first). */
export const VOSK_SAMPLE_RATES = [8000, 16_000];

export function voskCapabilities(language: string): AsrCapabilities {
  return { streaming: true, partials: true, wordTimings: true, sampleRates: VOSK_SAMPLE_RATES, languages: [language] };
}

export interface VoskEngineOptions {
  modelPath: string;
  language: string;
  /** Name in the model manifest (used in messages: `npm run models -- add NAME`). */
  modelName?: string;
  libPath?: string;
  /** A model already loaded in this process (its address); skips loading. */
  modelHandle?: bigint;
  partialIntervalMs?: number;
}

interface VoskJsonWord {
  word: string;
  start: number;
  end: number;
  conf?: number;
}

function parseWords(value: unknown): DecodedWord[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((w): w is VoskJsonWord => typeof w === 'object' && w !== null && typeof (w as VoskJsonWord).word === 'string')
    .map((w) => ({ text: w.word, start: Number(w.start), end: Number(w.end), confidence: Number(w.conf ?? 1) }));
}

function parse(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch (cause) {
    throw new EngineError('Vosk returned a result that is not JSON', true, { cause });
  }
}

/**
 * One Vosk recognizer. Vosk finds utterance ends itself (`accept_waveform` returns 1); results are JSON
 * (`{text, result:[{word,start,end,conf}]}`, partials `{partial, partial_result:[…]}`) with times in seconds
 * from the recognizer's first sample.
 */
export function createVoskDecoder(lib: VoskLib, model: bigint, sampleRate: number, partialIntervalMs = 300): Decoder {
  let rec: bigint | null = lib.recognizerNew(model, sampleRate);
  if (!rec) throw new EngineError(`vosk_recognizer_new failed for ${sampleRate} Hz`, false);
  lib.setWords(rec, true);
  lib.setPartialWords(rec, true);
  const partialEvery = Math.round((partialIntervalMs * sampleRate) / 1000);
  let samples = 0;
  let sincePartial = 0;
  let uttStart = 0; // stream seconds where the current utterance began (end of the last one)

  const live = () => {
    if (rec === null) throw new EngineError('Vosk recognizer is closed', false);
    return rec;
  };

  function finalOf(json: string): DecodedHyp {
    const r = parse(json);
    const words = parseWords(r.result);
    const end = samples / sampleRate;
    const hyp = { final: true, text: typeof r.text === 'string' ? r.text : '', words, start: uttStart, end };
    uttStart = end;
    return hyp;
  }

  return {
    sampleRate,
    write(pcm) {
      const r = live();
      samples += pcm.length;
      sincePartial += pcm.length;
      if (lib.acceptWaveform(r, pcm) === 1) {
        sincePartial = 0;
        return [finalOf(lib.result(r))];
      }
      if (sincePartial < partialEvery) return [];
      sincePartial = 0;
      const p = parse(lib.partialResult(r));
      const words = parseWords(p.partial_result);
      const text = typeof p.partial === 'string' ? p.partial : '';
      return text ? [{ final: false, text, words, start: uttStart, end: samples / sampleRate }] : [];
    },
    finish() {
      return [finalOf(lib.finalResult(live()))];
    },
    pendingFrom() {
      return samples / sampleRate > uttStart ? uttStart : null;
    },
    close() {
      if (rec === null) return;
      lib.recognizerFree(rec);
      rec = null;
    },
  };
}

function engineFor(opts: VoskEngineOptions, lib: VoskLib, model: bigint): LocalAsrEngine {
  const name = 'vosk';
  const capabilities = voskCapabilities(opts.language);
  return {
    name,
    capabilities,
    createRecognizer(o) {
      const rate = assertSupported(name, capabilities, o);
      const decoder = createVoskDecoder(lib, model, rate, opts.partialIntervalMs);
      return createBaseRecognizer({ ...o, engine: name, decoder });
    },
  };
}

/** Loads the model (once per process, off the event loop) and returns an engine for it. */
export async function createVoskEngine(opts: VoskEngineOptions): Promise<LocalAsrEngine> {
  const lib = loadVosk(opts.libPath);
  const model = opts.modelHandle ?? (await loadVoskModel(opts.modelPath, opts.modelName ?? basename(opts.modelPath), lib)).pointer;
  return engineFor(opts, lib, model);
}

/** The synchronous form used inside worker threads (normally given `modelHandle`). */
export function createVoskEngineSync(opts: VoskEngineOptions): LocalAsrEngine {
  const lib = loadVosk(opts.libPath);
  const model = opts.modelHandle ?? loadVoskModelSync(opts.modelPath, opts.modelName ?? basename(opts.modelPath), lib).pointer;
  return engineFor(opts, lib, model);
}
