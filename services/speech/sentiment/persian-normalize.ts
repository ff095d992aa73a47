/**
 * Persian text normalisation for matching (sentiment lexicon, scorecard phrases, search). It produces a
 * canonical *key*, not display text: two spellings of the same words normalise to the same string.
 *
 * 1. Unicode NFKC (Arabic presentation forms → letters).
 * 2. Arabic letter variants → Persian: ي ى → ی, ك ڪ → ک, ة ۀ ە ھ ہ → ه, أ إ ٱ → ا, ؤ → و (آ and ئ stay).
 * 3. Persian (۰–۹) and Arabic-Indic (٠–٩) digits → ASCII; ٫ → "." and ٬ → ",".
 * 4. Diacritics (tashkeel U+064B–065F, superscript alef U+0670, Quranic marks) and tatweel (ـ) removed.
 * 5. ZWNJ and other invisible format characters removed, so "می‌خواهم" → "میخواهم"; the verbal prefixes
 *    می / نمی written with a space are joined ("می خواهم" → "میخواهم"), and so are the plural and
 *    comparative suffixes ها / های… / تر / ترین ("کتاب ها" → "کتابها").
 * 6. Whitespace runs (including NBSP) → one space; trimmed. Latin letters and punctuation are kept.
 */
export function normalizePersian(text: string): string {
  return text
    .normalize('NFKC')
    .replace(LETTERS, (ch) => LETTER_MAP[ch] ?? ch)
    .replace(/[۰-۹]/gu, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/gu, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/٫/gu, '.')
    .replace(/٬/gu, ',')
    .replace(/[\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/gu, '')
    .replace(/[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u00AD]/gu, '')
    .replace(/[\s\u00A0\u202F]+/gu, ' ')
    .replace(PREFIX, '$1')
    .replace(SUFFIX, '$1')
    .trim();
}

const LETTER_MAP: Record<string, string> = {
  '\u064A': 'ی', '\u0649': 'ی',
  '\u0643': 'ک', '\u06AA': 'ک',
  '\u0629': 'ه', '\u06C0': 'ه', '\u06D5': 'ه', '\u06BE': 'ه', '\u06C1': 'ه',
  '\u0623': 'ا', '\u0625': 'ا', '\u0671': 'ا',
  '\u0624': 'و',
};
const LETTERS = new RegExp(`[${Object.keys(LETTER_MAP).join('')}]`, 'gu');

/** می / نمی at a word start, then a space, then an Arabic-script letter. */
const PREFIX = /(?<![\p{L}\p{M}\p{N}])(ن?می) (?=[\u0620-\u064A\u0671-\u06D3])/gu;
/** A space before a plural or comparative suffix that ends the word. */
const SUFFIX = /(?<=[\u0620-\u064A\u0671-\u06D3]) (ها|های|هایی|هایم|هایت|هایش|هایمان|هایتان|هایشان|تر|ترین)(?![\p{L}\p{M}\p{N}])/gu;
