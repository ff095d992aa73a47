import { lexiconKey, loadPersianLexicon, parsePersianLexicon, stemCandidates, type LexiconEntry, type PersianLexicon } from './persian-lexicon.js';
import { tokenizePersian, type PersianToken } from './persian-tokens.js';
import { combineClauses, DEFAULT_LEXICON_SCORING, lexiconScore } from './scoring.js';
import type { LexiconEngine, LexiconExplanation, LexiconMatch, LexiconScoring } from './types.js';

export interface PersianLexiconOptions {
  /** A lexicon to use instead of the bundled `lexicon/fa.tsv` (see `parsePersianLexicon`). */
  lexicon?: PersianLexicon;
  /** Extra or overriding entries in the TSV format, e.g. product names with a polarity. */
  extraTsv?: string;
  scoring?: Partial<LexiconScoring>;
  /** Words after a match in which a negated verb negates it (راضی نیستم). */
  negationWindowAfter?: number;
  /** Words before a match in which a negator word negates it (بدون مشکل). */
  negationWindowBefore?: number;
}

const NEGATORS = new Set(['بدون', 'عدم', 'نه']);

/**
 * Persian lexicon sentiment (docs/sentiment.md, "Persian lexicon"). The text is normalised and split into
 * clauses; in each clause the longest run of words that matches an entry wins — as written, or with
 * negated verbs in their affirmative form, or with inflectional suffixes removed from its last word.
 * A match is negated (× negationFactor) when an odd number of these hold: its own words contain a
 * negated verb (حل نشد), a negated verb follows within the window (راضی نیستم), a negator precedes it
 * (بدون مشکل). In a clause with an affirmative resolution (حل شد), problem nouns count 0.
 */
export function createPersianLexiconEngine(options: PersianLexiconOptions = {}): LexiconEngine {
  const base = options.lexicon ?? loadPersianLexicon();
  const entries = new Map(base.entries);
  let maxWords = base.maxWords;
  if (options.extraTsv) {
    const extra = parsePersianLexicon(options.extraTsv, 'extraTsv');
    for (const [k, v] of extra.entries) entries.set(k, v);
    maxWords = Math.max(maxWords, extra.maxWords);
  }
  const scoring = { ...DEFAULT_LEXICON_SCORING, ...options.scoring };
  const after = options.negationWindowAfter ?? 3;
  const before = options.negationWindowBefore ?? 2;

  function lookup(words: readonly string[]): LexiconEntry | undefined {
    const head = words.slice(0, -1);
    for (const last of stemCandidates(words[words.length - 1])) {
      const entry = entries.get(lexiconKey([...head, last]));
      if (entry !== undefined) return entry;
    }
    return undefined;
  }

  function matchAt(tokens: readonly PersianToken[], i: number): { len: number; entry: LexiconEntry; inner: boolean } | null {
    for (let len = Math.min(maxWords, tokens.length - i); len >= 1; len--) {
      const run = tokens.slice(i, i + len);
      const asWritten = lookup(run.map((t) => t.surface));
      if (asWritten !== undefined) return { len, entry: asWritten, inner: false };
      if (run.some((t) => t.negated)) {
        const affirmative = lookup(run.map((t) => t.base));
        if (affirmative !== undefined) return { len, entry: affirmative, inner: true };
      }
    }
    return null;
  }

  function explain(text: string): LexiconExplanation {
    const clauses = tokenizePersian(text);
    const matches: LexiconMatch[] = [];
    const sums = clauses.map(({ tokens }) => {
      // Pass 1: longest matches, left to right.
      const found: Array<{ start: number; end: number; entry: LexiconEntry; inner: boolean }> = [];
      for (let i = 0; i < tokens.length;) {
        const m = NEGATORS.has(tokens[i].surface) ? null : matchAt(tokens, i);
        if (!m) { i++; continue; }
        found.push({ start: i, end: i + m.len, entry: m.entry, inner: m.inner });
        i += m.len;
      }
      // A negated verb inside a match belongs to it (حل نشد) and negates nothing before it.
      const owned = new Set(found.flatMap((f) => Array.from({ length: f.end - f.start }, (_, k) => f.start + k)));
      const freeNegation = (k: number) => tokens[k].negated && !owned.has(k);
      // Pass 2: negation.
      const scored = found.map((f) => {
        let following = false;
        for (let k = f.end; k < Math.min(tokens.length, f.end + after); k++) following ||= freeNegation(k);
        // A negator word negates the next match only (بدون مشکل انجام شد: not انجام شد).
        let preceding = false;
        for (let j = Math.max(0, f.start - before); j < f.start; j++) {
          if (NEGATORS.has(tokens[j].surface) && !found.some((g) => g.start > j && g.start < f.start)) preceding = true;
        }
        const negated = [f.inner, following, preceding].filter(Boolean).length % 2 === 1;
        const { weight, flag } = f.entry;
        const text = tokens.slice(f.start, f.end).map((t) => t.surface).join(' ');
        return { text, weight, value: negated ? weight * scoring.negationFactor : weight, negated, flag };
      });
      // Resolution rule: with an affirmative resolution in the clause, problem nouns are not bad news.
      const resolved = scored.some((s) => s.flag === 'resolves' && !s.negated);
      let sum = 0;
      for (const { flag, ...m } of scored) {
        const value = resolved && flag === 'topic' ? 0 : m.value;
        matches.push({ ...m, value });
        sum += value;
      }
      return sum;
    });
    return { sum: combineClauses(sums, clauses.map((c) => c.contrast), scoring), matches };
  }

  return {
    name: 'lexicon',
    languages: ['fa'],
    explain,
    score(text) {
      return lexiconScore(explain(text).sum, 'lexicon', scoring);
    },
  };
}
