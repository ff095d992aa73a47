import { describe, expect, it } from 'vitest';
import { corpusWer, normalizeWords, wordErrorRate } from './wer.js';

describe('word error rate', () => {
  it('normalises case, punctuation and sentence markers', () => {
    expect(normalizeWords('<s> Thank you, for calling! </s> [NOISE]')).toEqual(['thank', 'you', 'for', 'calling']);
  });
  it('counts substitutions, deletions and insertions', () => {
    expect(wordErrorRate('he was not an ill disposed young man', 'he was not an illness those young man')).toMatchObject({ errors: 2, words: 8 });
    expect(wordErrorRate('a b c', 'a c').errors).toBe(1);
    expect(wordErrorRate('a b', 'a x b y').errors).toBe(2);
    expect(wordErrorRate('', '').wer).toBe(0);
  });
  it('pools errors over a corpus', () => {
    expect(corpusWer([{ reference: 'a b', hypothesis: 'a' }, { reference: 'c d e f', hypothesis: 'c d e f' }]).wer).toBeCloseTo(1 / 6);
  });
});
