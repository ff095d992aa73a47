import { describe, expect, it } from 'vitest';
import { createEnglishLexiconEngine } from './english-lexicon-engine.js';
import { evaluateEngine, readLabelledSet } from './labelled-set.js';
import { createPersianLexiconEngine } from './persian-lexicon-engine.js';

/** Accuracy bar for the lexicon engines on the labelled sets (docs/sentiment.md reports the figures). */
const BAR = 0.85;
const fixture = (lang: string) => new URL(`../../../test/fixtures/sentiment/${lang}.jsonl`, import.meta.url);

describe('labelled sentence sets', () => {
  it.each([
    ['en', createEnglishLexiconEngine()],
    ['fa', createPersianLexiconEngine()],
  ] as const)('%s lexicon reaches the accuracy bar', async (lang, engine) => {
    const set = readLabelledSet(fixture(lang));
    expect(set.length).toBeGreaterThanOrEqual(40);
    for (const label of ['negative', 'neutral', 'positive'] as const) {
      expect(set.filter((s) => s.label === label).length).toBeGreaterThanOrEqual(12);
    }
    const result = await evaluateEngine(engine, set, lang);
    console.info(`${lang}: accuracy ${(result.accuracy * 100).toFixed(1)} % on ${result.total}; confusion ${JSON.stringify(result.confusion)}`);
    for (const e of result.errors) console.info(`  ${e.expected} → ${e.got} (${e.score.toFixed(2)}): ${e.text}`);
    expect(result.accuracy).toBeGreaterThanOrEqual(BAR);
    // No polarity inversions: a miss may fall to neutral, never to the opposite label.
    expect(result.confusion.negative.positive + result.confusion.positive.negative).toBe(0);
  });

  it('the Persian set exercises Arabic letters, ZWNJ variants, digits and negations', () => {
    const texts = readLabelledSet(fixture('fa')).map((s) => s.text).join('\n');
    expect(texts).toMatch(/[يك]/u);
    expect(texts).toMatch(/\u200c/u);
    expect(texts).toMatch(/(^|\s)(میخوام|نمیخوام)/u); // written without ZWNJ
    expect(texts).toMatch(/[۰-۹]/u);
    expect(texts).toMatch(/نیستم|نبود|نشد|نمی/u);
  });
});
