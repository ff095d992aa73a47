import { normalizePersian } from './persian-normalize.js';

/** A word of normalised Persian text. `base` is the affirmative form of a negated verb, else the word. */
export interface PersianToken {
  surface: string;
  base: string;
  negated: boolean;
}

export interface PersianClause {
  tokens: PersianToken[];
  /** The clause begins with a contrastive conjunction (ولی، اما، …). */
  contrast: boolean;
}

/** Irregular negative copula → affirmative. */
const NEGATIVE_COPULA: Record<string, string> = {
  نیست: 'است', نیستم: 'هستم', نیستی: 'هستی', نیستیم: 'هستیم', نیستید: 'هستید', نیستند: 'هستند', نیستن: 'هستن', نیستین: 'هستین',
};

/**
 * Verb stems that take the negative prefix ن (past and present, formal and colloquial). A word
 * ن + stem + ending is a negated verb; other words starting with ن (نظر، نزدیک، نشانی …) are not.
 */
const STEMS = [
  'بود', 'باش', 'شد', 'ش', 'شو', 'کرد', 'کن', 'داشت', 'دار', 'داد', 'ده', 'د', 'خواست', 'خواه', 'خوا',
  'گرفت', 'گیر', 'رسید', 'رس', 'آمد', 'اومد', 'آی', 'یا', 'رفت', 'گفت', 'گو', 'دید', 'بین', 'تونست',
  'توانست', 'تون', 'توان', 'افتاد', 'افت', 'گذاشت', 'ذار', 'گذار', 'فرستاد', 'فرست', 'شنید', 'شنو',
  'خرید', 'خر', 'پرداخت', 'پرداز', 'کشید', 'کش', 'ساخت', 'ساز', 'خورد', 'خور', 'آورد', 'آور', 'زد',
];
const ENDINGS = ['', 'م', 'ی', 'یم', 'ید', 'ند', 'د', 'ه', 'ن', 'ین', 'هام', 'های', 'هایم', 'هاید', 'هاند', 'هاست', 'یه'];
const STEM_SET = new Set(STEMS);
/** Words of that shape that are not verbs. */
const NOT_VERBS = new Set(['نشون', 'نشونی', 'نزد', 'ندا']);

/** True when `rest` is a verb stem plus a personal ending (the part after a prefix ن or ب). */
function verbBody(rest: string): boolean {
  for (const ending of ENDINGS) {
    if (rest.endsWith(ending) && STEM_SET.has(rest.slice(0, rest.length - ending.length))) return true;
  }
  return false;
}

/** Splits a negated verb into its affirmative form: نمیخواهم → میخواهم, نشد → شد, نیستم → هستم. */
export function splitNegation(word: string): { base: string; negated: boolean } {
  const copula = NEGATIVE_COPULA[word];
  if (copula) return { base: copula, negated: true };
  if (word.startsWith('نمی') && word.length >= 5) return { base: word.slice(1), negated: true };
  if (word.startsWith('ن') && !NOT_VERBS.has(word) && verbBody(word.slice(1))) return { base: word.slice(1), negated: true };
  return { base: word, negated: false };
}

/**
 * Verb forms whose shape would otherwise be mistaken for an inflected entry: subjunctive or imperative
 * ب + stem + ending (بدهم، بدهید، بده are forms of "give", not بد "bad"), and the می prefix.
 */
export function looksLikeVerb(word: string): boolean {
  if (word.startsWith('می') && word.length >= 4) return true;
  return word.startsWith('ب') && word.length >= 2 && verbBody(word.slice(1));
}

const CONTRAST = new Set(['ولی', 'اما', 'ولیکن', 'لیکن', 'but', 'however']);
const CLAUSE_BREAK = /[.!?؟،؛,;:…\n()[\]«»"]+/u;

/** Normalises (see `normalizePersian`), lower-cases Latin letters, splits into clauses and words. */
export function tokenizePersian(text: string): PersianClause[] {
  const clauses: PersianClause[] = [];
  for (const part of normalizePersian(text).toLowerCase().split(CLAUSE_BREAK)) {
    let current: PersianClause = { tokens: [], contrast: false };
    for (const word of part.match(/[\p{L}\p{M}\p{N}]+/gu) ?? []) {
      if (CONTRAST.has(word)) {
        if (current.tokens.length > 0) clauses.push(current);
        current = { tokens: [], contrast: true };
        continue;
      }
      current.tokens.push({ surface: word, ...splitNegation(word) });
    }
    if (current.tokens.length > 0) clauses.push(current);
  }
  return clauses;
}
