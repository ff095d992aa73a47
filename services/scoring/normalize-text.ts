import { normalizePersian } from '../speech/sentiment/index.js';

/**
 * The matching key of a text (docs/scoring.md, "Matching"): Persian normalisation (Arabic letter variants,
 * digits, diacritics, ZWNJ), lower case, apostrophes dropped ("what's" → "whats"), every other character
 * that is not a letter, mark or digit → space, whitespace collapsed. Phrases and transcripts go through
 * the same function, so written punctuation never decides a match.
 */
export function normalizeText(text: string): string {
  return normalizePersian(text)
    .toLowerCase()
    .replace(/['’‘`´]/gu, '')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();
}
