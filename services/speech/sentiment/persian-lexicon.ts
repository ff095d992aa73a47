import { readFileSync } from 'node:fs';
import { ValidationError } from '../../core/index.js';
import { looksLikeVerb, tokenizePersian } from './persian-tokens.js';

/** `topic`: a problem noun; `resolves`: a resolution. See the resolution rule in docs/sentiment.md. */
export type LexiconFlag = 'topic' | 'resolves';

export interface LexiconEntry {
  weight: number;
  flag?: LexiconFlag;
}

/** A loaded lexicon: entries keyed by their normalised words joined without spaces. */
export interface PersianLexicon {
  readonly entries: ReadonlyMap<string, LexiconEntry>;
  /** Words in the longest entry (+1: a compound written with a space is one word longer than with ZWNJ). */
  readonly maxWords: number;
}

const DEFAULT_PATH = new URL('./lexicon/fa.tsv', import.meta.url);
let bundled: PersianLexicon | null = null;

/** Key of an entry or of a run of text words: the normalised words, concatenated. */
export function lexiconKey(words: readonly string[]): string {
  return words.join('');
}

const FLAGS: readonly string[] = ['topic', 'resolves'];

/**
 * Parses `term<TAB>weight[<TAB>flag]` lines (# comments, blank lines ignored). Weights must be integers
 * −5…5; the flag, if any, `topic` or `resolves`.
 */
export function parsePersianLexicon(tsv: string, source = 'lexicon'): PersianLexicon {
  const entries = new Map<string, LexiconEntry>();
  let maxWords = 1;
  tsv.split(/\r?\n/u).forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const [term, weightText, flag, ...rest] = line.split('\t');
    const weight = Number(weightText);
    if (rest.length > 0 || !term || !Number.isInteger(weight) || weight < -5 || weight > 5 || (flag !== undefined && !FLAGS.includes(flag))) {
      throw new ValidationError(`${source}:${i + 1}: expected "term<TAB>integer weight −5…5[<TAB>topic|resolves]"`, `${source}:${i + 1}`);
    }
    const words = tokenizePersian(term).flatMap((c) => c.tokens.map((t) => t.surface));
    if (words.length === 0) throw new ValidationError(`${source}:${i + 1}: empty term`, `${source}:${i + 1}`);
    entries.set(lexiconKey(words), flag === undefined ? { weight } : { weight, flag: flag as LexiconFlag });
    maxWords = Math.max(maxWords, words.length + 1);
  });
  return { entries, maxWords };
}

export function loadPersianLexicon(path: string | URL = DEFAULT_PATH): PersianLexicon {
  if (path === DEFAULT_PATH && bundled) return bundled;
  const lexicon = parsePersianLexicon(readFileSync(path, 'utf8'), String(path));
  if (path === DEFAULT_PATH) bundled = lexicon;
  return lexicon;
}

/** Inflectional suffixes tried (longest first, at most two deep) when a word is not in the lexicon. */
const SUFFIXES = [
  'هایشان', 'هایتان', 'هایمان', 'هایش', 'هایت', 'هایم', 'هایی', 'های', 'ها', 'ترین', 'تر',
  'شون', 'تون', 'مون', 'شان', 'تان', 'مان', 'ات', 'ام', 'اش', 'ای', 'یم', 'ید', 'ند', 'ه', 'م', 'ی', 'ت', 'ش',
];

/** Common nouns that look like an entry plus a suffix: دقیقه "minute" is not دقیق "precise". */
const NO_STEM = new Set(['دقیقه', 'قطعه']);

/**
 * The word, then the word with one suffix removed, then with two (at most one of them a single letter):
 * مشکلاتم → مشکلات → مشکل. Stems keep at least two letters. Verb forms and `NO_STEM` words are not
 * stemmed.
 */
export function stemCandidates(word: string): string[] {
  if (NO_STEM.has(word) || looksLikeVerb(word)) return [word];
  const strip = (w: string) => SUFFIXES.filter((s) => w.endsWith(s) && w.length - s.length >= 2).map((s) => ({ stem: w.slice(0, -s.length), single: s.length === 1 }));
  const first = strip(word);
  const second = first.flatMap((f) => strip(f.stem).filter((s) => !(s.single && f.single)));
  return [word, ...first.map((f) => f.stem), ...second.map((s) => s.stem)];
}
