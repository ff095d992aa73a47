/** Lower case, punctuation removed (apostrophes kept), split on whitespace. */
export function normalizeWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/<\/?s>|\[[^\]]*\]/g, ' ')
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

export interface WerResult {
  /** Substitutions + deletions + insertions. */
  errors: number;
  /** Words in the reference. */
  words: number;
  wer: number;
}

/** Word error rate by Levenshtein distance over normalised words. */
export function wordErrorRate(reference: string, hypothesis: string): WerResult {
  const ref = normalizeWords(reference);
  const hyp = normalizeWords(hypothesis);
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const cur = [i];
    for (let j = 1; j <= hyp.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  const errors = prev[hyp.length];
  return { errors, words: ref.length, wer: ref.length ? errors / ref.length : hyp.length ? 1 : 0 };
}

/** Corpus WER: total errors over total reference words. */
export function corpusWer(pairs: readonly { reference: string; hypothesis: string }[]): WerResult {
  let errors = 0;
  let words = 0;
  for (const p of pairs) {
    const r = wordErrorRate(p.reference, p.hypothesis);
    errors += r.errors;
    words += r.words;
  }
  return { errors, words, wer: words ? errors / words : 0 };
}
