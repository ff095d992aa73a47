import { normalizePersian } from '../../speech/sentiment/index.js';

const NOT_WORD = /[^\p{L}\p{M}\p{N}']+/gu;
const ARABIC_SCRIPT_END = /[\u0600-\u06FF]$/u;

/**
 * Text as phrases are matched: Persian normalised (letter variants, ZWNJ, digits; see normalizePersian), lower case,
 * curly apostrophes straightened, punctuation (Latin and Persian) turned into spaces.
 */
export function normalizeForMatch(text: string): string {
  const straight = normalizePersian(text).toLowerCase().replace(/[\u2018\u2019\u02BC`\u00B4]/gu, "'");
  return normalizePersian(straight.replace(NOT_WORD, ' ')).replace(/(^|\s)'+|'+(?=\s|$)/gu, '$1').trim();
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Finds the first of `phrases` in a text, as whole words after `normalizeForMatch`. A phrase ending in a Persian word
 * also matches that word with a suffix attached ("لغو" in "لغوش", "شکایت" in "شکایتم"): Persian attaches pronouns and
 * verb endings. One precompiled regular expression; longer phrases win where they overlap.
 */
export function createPhraseMatcher(phrases: readonly string[]): (text: string) => { phrase: string; index: number } | undefined {
  const byKey = new Map<string, string>();
  for (const p of phrases) {
    const key = normalizeForMatch(p);
    if (key && !byKey.has(key)) byKey.set(key, p);
  }
  if (byKey.size === 0) return () => undefined;
  const alternatives = [...byKey.keys()]
    .sort((a, b) => b.length - a.length)
    .map((k) => escape(k) + (ARABIC_SCRIPT_END.test(k) ? '' : "(?![\\p{L}\\p{M}\\p{N}'])"));
  const re = new RegExp(`(?<![\\p{L}\\p{M}\\p{N}'])(?:${alternatives.join('|')})`, 'u');
  return (text) => {
    const m = re.exec(normalizeForMatch(text));
    if (!m) return undefined;
    return { phrase: byKey.get(m[0]) ?? m[0], index: m.index };
  };
}
