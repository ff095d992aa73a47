import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import koffi, { type LibraryHandle } from 'koffi';
import { EngineError } from '../../core/index.js';

/** libvosk.so as shipped inside the `vosk` npm package (its ffi-napi bindings are not used). */
export function defaultVoskLibPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('vosk/package.json')), 'lib', 'linux-x86_64', 'libvosk.so');
}

/**
 * Typed wrappers over Vosk's C API (src/vosk_api.h). Pointers are koffi BigInts; strings returned by the
 * recognizer are owned by it and copied at once. `accept_waveform_s` takes a length in samples.
 */
export interface VoskLib {
  readonly path: string;
  setLogLevel(level: number): void;
  modelNew(path: string): bigint | null;
  /** The same, run on koffi's thread pool: loading a large model takes seconds. */
  modelNewAsync(path: string): Promise<bigint | null>;
  modelFree(model: bigint): void;
  recognizerNew(model: bigint, sampleRate: number): bigint | null;
  setWords(rec: bigint, on: boolean): void;
  setPartialWords(rec: bigint, on: boolean): void;
  /** 1: an utterance ended (read `result`), 0: decoding continues; throws on -1. */
  acceptWaveform(rec: bigint, pcm: Int16Array): number;
  result(rec: bigint): string;
  partialResult(rec: bigint): string;
  finalResult(rec: bigint): string;
  reset(rec: bigint): void;
  recognizerFree(rec: bigint): void;
}

const libs = new Map<string, VoskLib>();

/** Loads and binds libvosk once per thread; `logLevel` -1 keeps Vosk's info messages quiet (errors still print). */
export function loadVosk(path = defaultVoskLibPath(), logLevel = -1): VoskLib {
  const cached = libs.get(path);
  if (cached) return cached;
  if (!existsSync(path)) throw new EngineError(`libvosk.so not found at ${path} (is the vosk package installed?)`, false);
  let l: LibraryHandle;
  try {
    l = koffi.load(path);
  } catch (cause) {
    throw new EngineError(`libvosk.so at ${path} could not be loaded`, false, { cause });
  }
  const setLogLevel = l.func('void vosk_set_log_level(int log_level)');
  const modelNew = l.func('void *vosk_model_new(const char *model_path)');
  const modelFree = l.func('void vosk_model_free(void *model)');
  const recognizerNew = l.func('void *vosk_recognizer_new(void *model, float sample_rate)');
  const setWords = l.func('void vosk_recognizer_set_words(void *recognizer, int words)');
  const setPartialWords = l.func('void vosk_recognizer_set_partial_words(void *recognizer, int partial_words)');
  const acceptS = l.func('int vosk_recognizer_accept_waveform_s(void *recognizer, const int16_t *data, int length)');
  const result = l.func('const char *vosk_recognizer_result(void *recognizer)');
  const partialResult = l.func('const char *vosk_recognizer_partial_result(void *recognizer)');
  const finalResult = l.func('const char *vosk_recognizer_final_result(void *recognizer)');
  const reset = l.func('void vosk_recognizer_reset(void *recognizer)');
  const recognizerFree = l.func('void vosk_recognizer_free(void *recognizer)');

  const lib: VoskLib = {
    path,
    setLogLevel: (level) => void setLogLevel(level),
    modelNew: (p) => (modelNew(p) as bigint | null) || null,
    modelNewAsync: (p) =>
      new Promise((resolve, reject) => {
        modelNew.async(p, (err: unknown, model: bigint | null) => {
          if (err) reject(new EngineError(`vosk_model_new(${p}) failed`, false, { cause: err }));
          else resolve(model || null);
        });
      }),
    modelFree: (m) => void modelFree(m),
    recognizerNew: (m, rate) => (recognizerNew(m, rate) as bigint | null) || null,
    setWords: (r, on) => void setWords(r, on ? 1 : 0),
    setPartialWords: (r, on) => void setPartialWords(r, on ? 1 : 0),
    acceptWaveform(r, pcm) {
      const rc = acceptS(r, pcm, pcm.length) as number;
      if (rc < 0) throw new EngineError('vosk_recognizer_accept_waveform_s failed', true);
      return rc;
    },
    result: (r) => result(r) as string,
    partialResult: (r) => partialResult(r) as string,
    finalResult: (r) => finalResult(r) as string,
    reset: (r) => void reset(r),
    recognizerFree: (r) => void recognizerFree(r),
  };
  lib.setLogLevel(logLevel);
  libs.set(path, lib);
  return lib;
}
