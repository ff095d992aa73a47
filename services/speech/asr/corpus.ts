import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AsrResult, Recognizer } from './types.js';

/** Debian's pocketsphinx-testdata: real read speech (16 kHz mono) with reference transcripts. */
export const LIBRIVOX_DIR = '/usr/share/pocketsphinx/test/data/librivox';

export interface CorpusUtterance {
  id: string;
  path: string;
  reference: string;
}

/** The utterances of a Sphinx-style corpus (`transcription` lines: `<s> text </s> (id)`); empty when not installed. */
export function loadSphinxCorpus(dir = LIBRIVOX_DIR): CorpusUtterance[] {
  const file = join(dir, 'transcription');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => /^(.*)\((\S+)\)\s*$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ id: m[2], path: join(dir, `${m[2]}.wav`), reference: m[1].replace(/<\/?s>/g, '').trim() }))
    .filter((u) => existsSync(u.path));
}

export interface StreamedSignal {
  results: AsrResult[];
  /** Final texts joined in order. */
  text: string;
  /** Wall time spent in accept/flush (ms). */
  elapsedMs: number;
}

/** Feeds a whole signal to a recognizer in `chunkMs` chunks as a call would (awaiting backpressure), then flushes. */
export async function streamSignal(
  recognizer: Recognizer,
  pcm: Int16Array,
  rate: number,
  opts: { chunkMs?: number; startMs?: number } = {},
): Promise<StreamedSignal> {
  const chunk = Math.round((rate * (opts.chunkMs ?? 20)) / 1000);
  const startMs = opts.startMs ?? 0;
  const results: AsrResult[] = [];
  const started = performance.now();
  for (let i = 0; i < pcm.length; i += chunk) {
    results.push(...(await recognizer.accept(pcm.subarray(i, i + chunk), startMs + (i * 1000) / rate)));
  }
  results.push(...(await recognizer.flush()));
  const elapsedMs = performance.now() - started;
  const text = results
    .flatMap((r) => (r.type === 'final' && r.segment.text ? [r.segment.text] : []))
    .join(' ');
  return { results, text, elapsedMs };
}
