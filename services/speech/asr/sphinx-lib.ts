import { existsSync } from 'node:fs';
import { join } from 'node:path';
import koffi, { type LibraryHandle } from 'koffi';
import { EngineError } from '../../core/index.js';

/** Debian's libpocketsphinx3 / pocketsphinx-en-us locations. */
export const SPHINX_LIB_DIR = '/usr/lib/x86_64-linux-gnu';
export const SPHINX_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
/** PocketSphinx's feature frame rate (frames per second, `-frate`). */
export const SPHINX_FRAME_RATE = 100;

export interface SphinxSegment {
  word: string;
  startFrame: number;
  endFrame: number;
  /** Posterior probability in [0, 1] (1 while an utterance is still being decoded). */
  probability: number;
}

/** Typed wrappers over the PocketSphinx 5prealpha C API (pointers are koffi BigInts). */
export interface SphinxLib {
  /** `cmd_ln_init` + `ps_init`: a decoder for the model in `modelDir`; throws EngineError if it cannot. */
  createDecoder(modelDir: string): bigint;
  startStream(ps: bigint): void;
  startUtt(ps: bigint): void;
  processRaw(ps: bigint, pcm: Int16Array): number;
  endUtt(ps: bigint): void;
  hypothesis(ps: bigint): string | null;
  segments(ps: bigint): SphinxSegment[];
  free(ps: bigint): void;
}

const libs = new Map<string, SphinxLib>();

export function sphinxModelFiles(modelDir: string) {
  return { hmm: join(modelDir, 'en-us'), lm: join(modelDir, 'en-us.lm.bin'), dict: join(modelDir, 'cmudict-en-us.dict') };
}

/** Whether the PocketSphinx library and its en-us model are installed. */
export function sphinxInstalled(modelDir = SPHINX_MODEL_DIR, libDir = SPHINX_LIB_DIR): boolean {
  const m = sphinxModelFiles(modelDir);
  return existsSync(join(libDir, 'libpocketsphinx.so.3')) && existsSync(m.hmm) && existsSync(m.lm) && existsSync(m.dict);
}

/** Loads and binds libpocketsphinx once per thread. */
export function loadSphinx(libDir = SPHINX_LIB_DIR): SphinxLib {
  const cached = libs.get(libDir);
  if (cached) return cached;
  let ps: LibraryHandle;
  let sb: LibraryHandle;
  try {
    sb = koffi.load(join(libDir, 'libsphinxbase.so.3'));
    ps = koffi.load(join(libDir, 'libpocketsphinx.so.3'));
  } catch (cause) {
    throw new EngineError(`PocketSphinx is not installed in ${libDir} (apt-get install libpocketsphinx3 pocketsphinx-en-us)`, false, { cause });
  }
  const cmdLnInit = sb.func('void *cmd_ln_init(void *inout, void *defn, int strict, ...)');
  const cmdLnFree = sb.func('int cmd_ln_free_r(void *config)');
  const logmathExp = sb.func('double logmath_exp(void *lmath, int logb_p)');
  const psArgs = ps.func('void *ps_args()');
  const psInit = ps.func('void *ps_init(void *config)');
  const psFree = ps.func('int ps_free(void *ps)');
  const psStartStream = ps.func('int ps_start_stream(void *ps)');
  const psStartUtt = ps.func('int ps_start_utt(void *ps)');
  const psProcessRaw = ps.func('int ps_process_raw(void *ps, const int16_t *data, size_t n_samples, int no_search, int full_utt)');
  const psEndUtt = ps.func('int ps_end_utt(void *ps)');
  const psGetHyp = ps.func('const char *ps_get_hyp(void *ps, void *out_best_score)');
  const psGetLogmath = ps.func('void *ps_get_logmath(void *ps)');
  // 5prealpha takes only the decoder; older releases also an int32* score: a valid pointer suits both ABIs.
  const psSegIter = ps.func('void *ps_seg_iter(void *ps, _Out_ int *out_best_score)');
  const psSegNext = ps.func('void *ps_seg_next(void *seg)');
  const psSegWord = ps.func('const char *ps_seg_word(void *seg)');
  const psSegFrames = ps.func('void ps_seg_frames(void *seg, _Out_ int *out_sf, _Out_ int *out_ef)');
  const psSegProb = ps.func('int ps_seg_prob(void *seg, void *out_ascr, void *out_lscr, void *out_lback)');

  const check = (rc: number, what: string) => {
    if (rc < 0) throw new EngineError(`PocketSphinx ${what} failed (${rc})`, true);
  };

  const lib: SphinxLib = {
    createDecoder(modelDir) {
      const m = sphinxModelFiles(modelDir);
      for (const f of [m.hmm, m.lm, m.dict]) {
        if (!existsSync(f)) throw new EngineError(`PocketSphinx model file ${f} is missing (apt-get install pocketsphinx-en-us)`, false);
      }
      // Variadic: every extra argument is passed with its C type; NULL ends the list. `-remove_silence no`
      // keeps frame numbers on the audio's own timeline (our endpointer decides what is fed).
      const args = ['-hmm', m.hmm, '-lm', m.lm, '-dict', m.dict, '-logfn', '/dev/null', '-remove_silence', 'no'];
      const config: unknown = cmdLnInit(null, psArgs(), 1, ...args.flatMap((a) => ['str', a]), 'str', null);
      if (!config) throw new EngineError('PocketSphinx rejected its configuration (cmd_ln_init returned NULL)', false);
      const decoder: unknown = psInit(config);
      cmdLnFree(config); // the decoder holds its own reference
      if (!decoder) throw new EngineError(`PocketSphinx could not load the model in ${modelDir}`, false);
      return decoder as bigint;
    },
    startStream: (p) => check(psStartStream(p) as number, 'ps_start_stream'),
    startUtt: (p) => check(psStartUtt(p) as number, 'ps_start_utt'),
    processRaw(p, pcm) {
      const frames = psProcessRaw(p, pcm, pcm.length, 0, 0) as number;
      check(frames, 'ps_process_raw');
      return frames;
    },
    endUtt: (p) => check(psEndUtt(p) as number, 'ps_end_utt'),
    hypothesis: (p) => (psGetHyp(p, null) as string | null) ?? null,
    segments(p) {
      const out: SphinxSegment[] = [];
      const lmath: unknown = psGetLogmath(p);
      const sf = [0];
      const ef = [0];
      for (let seg: unknown = psSegIter(p, [0]); seg; seg = psSegNext(seg)) {
        psSegFrames(seg, sf, ef);
        const prob = psSegProb(seg, null, null, null) as number;
        out.push({ word: psSegWord(seg) as string, startFrame: sf[0], endFrame: ef[0], probability: logmathExp(lmath, prob) as number });
      }
      return out;
    },
    free: (p) => void psFree(p),
  };
  libs.set(libDir, lib);
  return lib;
}
