import { candidateSpan, profileText, type TextProfile } from './qgram-filter.js';

/** An approximate occurrence of a phrase in a text: characters [start, end) of the text. */
export interface FuzzyHit {
  start: number;
  end: number;
  /** Edit operations (insert, delete, substitute one character). */
  distance: number;
  /** 1 − distance / phrase length. */
  similarity: number;
}

export interface FuzzyOptions {
  /** Hits below this similarity are not returned (default 0.8). */
  minSimilarity?: number;
  /** Phrases shorter than this (characters) must match exactly (default 5). */
  exactBelow?: number;
}

const isBoundaryBefore = (text: string, i: number) => i === 0 || text.charCodeAt(i - 1) === 32;
const isBoundaryAfter = (text: string, i: number) => i === text.length || text.charCodeAt(i) === 32;

function exactHits(text: string, phrase: string): FuzzyHit[] {
  const hits: FuzzyHit[] = [];
  for (let i = text.indexOf(phrase); i >= 0; i = text.indexOf(phrase, i + 1)) {
    if (isBoundaryBefore(text, i) && isBoundaryAfter(text, i + phrase.length)) {
      hits.push({ start: i, end: i + phrase.length, distance: 0, similarity: 1 });
    }
  }
  return hits;
}

/** DP columns reused between calls (matching is synchronous). */
let scratch: Int32Array[] = [0, 1, 2, 3].map(() => new Int32Array(64));

/**
 * The closest word-aligned occurrence of `phrase` in `text` (both normalised: single spaces between words).
 * Approximate substring matching (Sellers) where a match may only start at a word start and end at a word
 * end, so "hold" never matches inside "household". Values are clamped at budget + 1 and only the rows that
 * can still be within budget are computed (Ukkonen's cut-off), so the cost is about text length × budget.
 * Returns the lowest distance (the earliest on ties), or null when nothing is within `maxDistance`.
 */
export function closestOccurrence(text: string, phrase: string, maxDistance: number): FuzzyHit | null {
  const m = phrase.length;
  const n = text.length;
  if (m === 0) return null;
  const over = maxDistance + 1;
  if (scratch[0].length <= m) scratch = [0, 1, 2, 3].map(() => new Int32Array(2 * (m + 1)));
  let [prev, cur, prevStart, curStart] = scratch;
  prev.fill(over, 0, m + 1);
  cur.fill(over, 0, m + 1);
  prevStart.fill(0, 0, m + 1);
  // Rows above `top` hold `over` in prev; `filled` is how far each array may hold stale smaller values.
  let top = -1;
  let prevFilled = 0;
  let curFilled = 0;
  if (isBoundaryBefore(text, 0)) {
    for (let i = 0; i <= Math.min(m, maxDistance); i++) prev[i] = i;
    top = Math.min(m, maxDistance);
    prevFilled = top;
  }
  let best: FuzzyHit | null = null;
  if (top === m && isBoundaryAfter(text, 0)) best = { start: 0, end: 0, distance: prev[m], similarity: 1 - prev[m] / m };
  for (let j = 1; j <= n; j++) {
    // Row 0: the match starts here (word start), or text characters since the last start are insertions.
    if (isBoundaryBefore(text, j)) { cur[0] = 0; curStart[0] = j; } else { cur[0] = Math.min(prev[0] + 1, over); curStart[0] = prevStart[0]; }
    const limit = Math.min(m, top + 1);
    const tc = text.charCodeAt(j - 1);
    let newTop = cur[0] <= maxDistance ? 0 : -1;
    for (let i = 1; i <= limit; i++) {
      let v = prev[i - 1] + (phrase.charCodeAt(i - 1) === tc ? 0 : 1);
      let s = prevStart[i - 1];
      if (prev[i] + 1 < v) { v = prev[i] + 1; s = prevStart[i]; }
      if (cur[i - 1] + 1 < v) { v = cur[i - 1] + 1; s = curStart[i - 1]; }
      cur[i] = v > over ? over : v;
      curStart[i] = s;
      if (v <= maxDistance) newTop = i;
    }
    // Below the computed band only deletions of phrase characters can stay within budget.
    let end = limit;
    while (end < m && cur[end] + 1 <= maxDistance) {
      cur[end + 1] = cur[end] + 1;
      curStart[end + 1] = curStart[end];
      newTop = ++end;
    }
    for (let i = end + 1; i <= curFilled; i++) cur[i] = over;
    curFilled = end;
    if (newTop === m && isBoundaryAfter(text, j) && (!best || cur[m] < best.distance)) {
      best = { start: curStart[m], end: j, distance: cur[m], similarity: 1 - cur[m] / m };
    }
    top = newTop;
    const d = prev; prev = cur; cur = d;
    const st = prevStart; prevStart = curStart; curStart = st;
    const f = prevFilled; prevFilled = curFilled; curFilled = f;
  }
  return best;
}

/**
 * Where `phrase` occurs in `text` within the tolerance: every exact word-aligned occurrence, or else the
 * closest approximate one. The error budget is ⌊length × (1 − minSimilarity)⌋ characters, 0 for short
 * phrases, so "thank you for coming acme" matches "thank you for calling acme" (3 edits in 26) while
 * "calm down" does not match "come down".
 */
export function findPhrase(text: string, phrase: string, options: FuzzyOptions = {}, profile?: TextProfile): FuzzyHit[] {
  const exact = exactHits(text, phrase);
  if (exact.length > 0) return exact;
  const budget = maxErrors(phrase.length, options);
  if (budget === 0) return [];
  const span = candidateSpan(phrase, budget, profile ?? profileText(text));
  if (!span) return [];
  // Widen to whole words so that word starts and ends inside the slice are those of the text.
  let a = span[0];
  while (a > 0 && text.charCodeAt(a - 1) !== 32) a--;
  let b = span[1];
  while (b < text.length && text.charCodeAt(b) !== 32) b++;
  const hit = closestOccurrence(a === 0 && b === text.length ? text : text.slice(a, b), phrase, budget);
  return hit ? [{ ...hit, start: hit.start + a, end: hit.end + a }] : [];
}

export function maxErrors(length: number, options: FuzzyOptions = {}): number {
  const minSimilarity = options.minSimilarity ?? 0.8;
  if (length < (options.exactBelow ?? 5)) return 0;
  return Math.floor(length * (1 - minSimilarity) + 1e-9);
}
