import { describe, expect, it } from 'vitest';
import { closestOccurrence, findPhrase, maxErrors } from './fuzzy-match.js';
import { normalizeText } from './normalize-text.js';

const find = (text: string, phrase: string, minSimilarity = 0.8) => findPhrase(normalizeText(text), normalizeText(phrase), { minSimilarity });

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The lowest distance from the phrase to any run of whole words of the text. */
function bruteForce(text: string, phrase: string, k: number): number | null {
  let best = Infinity;
  for (let s = 0; s <= text.length; s++) {
    if (s > 0 && text[s - 1] !== ' ') continue;
    for (let e = s; e <= text.length; e++) {
      if (e < text.length && text[e] !== ' ') continue;
      best = Math.min(best, levenshtein(phrase, text.slice(s, e)));
    }
  }
  return best <= k ? best : null;
}

describe('normalizeText', () => {
  it('lower-cases, drops apostrophes and punctuation, collapses spaces', () => {
    expect(normalizeText("  Thank you, for CALLING — Acme!  What's up?")).toBe('thank you for calling acme whats up');
  });
  it('maps Persian spelling variants to one key: ي/ك, ZWNJ, spaced می, digits, diacritics', () => {
    expect(normalizeText('اجازه مي‌دهيد؟')).toBe(normalizeText('اجازه میدهید'));
    expect(normalizeText('اجازه می دهید')).toBe('اجازه میدهید');
    expect(normalizeText('كد ملي')).toBe('کد ملی');
    expect(normalizeText('شماره ۱۲۳')).toBe('شماره 123');
    expect(normalizeText('مُتَشَکِّرَم')).toBe('متشکرم');
    expect(normalizeText('تأیید هویت')).toBe(normalizeText('تایید هویت'));
  });
});

describe('findPhrase', () => {
  it('accepts typical recognition errors', () => {
    expect(find('hi thank you for coming acme how can i help', 'thank you for calling acme')).toHaveLength(1);
    expect(find('thanks you for calling acme', 'thank you for calling acme')[0].similarity).toBeGreaterThan(0.9);
    expect(find('may i place you on hole for a moment', 'may i place you on hold')).toHaveLength(1);
    expect(find('is there anything else i can help you with', 'anything else i can help')[0].similarity).toBe(1);
    expect(find('is there any thing else i can help you with', 'anything else i can help')).toHaveLength(1);
    expect(find('my names sarah', 'my name is')).toHaveLength(1);
  });

  it('rejects unrelated text', () => {
    expect(find('the weather is fine today', 'thank you for calling acme')).toEqual([]);
    expect(find('thanks for nothing', 'thank you for calling')).toEqual([]);
    expect(find('come down to the store', 'calm down')).toEqual([]);
    expect(find('whenever you like', 'whatever', 0.9)).toEqual([]);
    expect(find('i will call the courier', 'i will call you back')).toEqual([]);
  });

  it('matches whole words only', () => {
    expect(find('please check the household account', 'hold')).toEqual([]);
    expect(find('threshold', 'hold')).toEqual([]);
    expect(find('please hold on', 'hold')).toHaveLength(1);
  });

  it('needs exact matches for short phrases and scales the budget with length', () => {
    expect(maxErrors(4)).toBe(0);
    expect(maxErrors(10)).toBe(2);
    expect(maxErrors(26, { minSimilarity: 0.9 })).toBe(2);
    expect(find('this is', 'this')).toHaveLength(1);
    expect(find('thus is', 'this')).toEqual([]);
  });

  it('reports every exact occurrence with character offsets', () => {
    const text = normalizeText('Calm down. I said calm down!');
    const hits = findPhrase(text, 'calm down');
    expect(hits.map((h) => text.slice(h.start, h.end))).toEqual(['calm down', 'calm down']);
  });

  it('matches Persian text across spelling variants', () => {
    expect(find('آقای محمدی، اجازه مي‌دهيد چند لحظه', 'اجازه می‌دهید')).toHaveLength(1);
    expect(find('لطفا كد ملي خود را بفرمایید', 'کد ملی')).toHaveLength(1);
    expect(find('خیلی ممنون از سبر شما', 'ممنون از صبر شما')).toHaveLength(1); // ص heard as س
    expect(find('هوا امروز خوب است', 'ممنون از صبر شما')).toEqual([]);
  });

  it('agrees with a brute-force search on random texts', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const word = () => Array.from({ length: 1 + Math.floor(rand() * 4) }, () => 'abc'[Math.floor(rand() * 3)]).join('');
    for (let n = 0; n < 2000; n++) {
      const text = Array.from({ length: 1 + Math.floor(rand() * 6) }, word).join(' ');
      const phrase = Array.from({ length: 1 + Math.floor(rand() * 3) }, word).join(' ');
      const k = Math.floor(rand() * 4);
      const hit = closestOccurrence(text, phrase, k);
      expect({ text, phrase, k, d: hit?.distance ?? null }).toEqual({ text, phrase, k, d: bruteForce(text, phrase, k) });
      if (hit) expect(levenshtein(phrase, text.slice(hit.start, hit.end))).toBe(hit.distance);
      // The trigram prefilter never hides an occurrence within budget.
      const viaFind = findPhrase(text, phrase, { minSimilarity: 1 - k / phrase.length + 1e-12, exactBelow: 0 });
      if (maxErrors(phrase.length, { minSimilarity: 1 - k / phrase.length + 1e-12, exactBelow: 0 }) === k) {
        expect(viaFind.length > 0).toBe(hit !== null);
      }
    }
  });
});
