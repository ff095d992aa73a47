/**
 * Filters that rule out an approximate occurrence before the dynamic programme runs (q-gram lemma: an
 * occurrence within k edits keeps at least m − k of the phrase's characters and (m − 1) − 2k of its bigram
 * positions intact, inside a stretch of at most m + k characters).
 */

/** Bigram → small integer, shared by all texts and phrases so counts can live in typed arrays. */
const bigramIds = new Map<string, number>();
let want = new Int32Array(1024);
let have = new Int32Array(1024);

function idOf(bigram: string): number {
  let id = bigramIds.get(bigram);
  if (id === undefined) {
    id = bigramIds.size;
    bigramIds.set(bigram, id);
    if (id >= want.length) {
      const grow = (a: Int32Array) => { const b = new Int32Array(a.length * 2); b.set(a); return b; };
      want = grow(want);
      have = grow(have);
    }
  }
  return id;
}

/** Bigram ids of recent phrases (phrases are few and asked for again and again). */
const phraseIds = new Map<string, Int32Array>();

function bigramsOfPhrase(phrase: string): Int32Array {
  let ids = phraseIds.get(phrase);
  if (!ids) {
    ids = new Int32Array(Math.max(0, phrase.length - 1));
    for (let i = 0; i + 1 < phrase.length; i++) ids[i] = idOf(phrase.slice(i, i + 2));
    if (phraseIds.size >= 10_000) phraseIds.clear();
    phraseIds.set(phrase, ids);
  }
  return ids;
}

/** What the filters need to know about a text: its characters and its bigram ids by position. */
export interface TextProfile {
  length: number;
  chars: Set<number>;
  /** Id of the bigram starting at each position (length − 1 entries). */
  bigrams: Int32Array;
  bigramSet: Set<number>;
}

export function profileText(text: string): TextProfile {
  const chars = new Set<number>();
  for (let i = 0; i < text.length; i++) chars.add(text.charCodeAt(i));
  const bigrams = new Int32Array(Math.max(0, text.length - 1));
  for (let i = 0; i + 1 < text.length; i++) bigrams[i] = idOf(text.slice(i, i + 2));
  return { length: text.length, chars, bigrams, bigramSet: new Set(bigrams) };
}

/**
 * The stretch [start, end) of the text that can hold an occurrence of `phrase` within `budget` edits, or
 * null when none can: too few of the phrase's characters or bigrams occur in the text at all, or no window
 * of m + budget characters holds enough of its bigrams.
 */
export function candidateSpan(phrase: string, budget: number, p: TextProfile): [number, number] | null {
  const m = phrase.length;
  let chars = 0;
  for (let i = 0; i < m; i++) if (p.chars.has(phrase.charCodeAt(i))) chars++;
  if (chars < m - budget) return null;
  const needed = m - 1 - 2 * budget;
  if (needed <= 0) return [0, p.length];

  const ids = bigramsOfPhrase(phrase);
  let present = 0;
  for (const id of ids) if (p.bigramSet.has(id)) present++;
  if (present < needed) return null;

  for (const id of ids) want[id]++;
  const window = m + budget - 1; // bigram positions in the longest possible occurrence
  const bg = p.bigrams;
  let matched = 0;
  let start = -1;
  let end = -1;
  for (let t = 0; t < bg.length; t++) {
    const id = bg[t];
    if (want[id] > 0 && ++have[id] <= want[id]) matched++;
    const out = t - window;
    if (out >= 0) {
      const old = bg[out];
      if (want[old] > 0 && have[old]-- <= want[old]) matched--;
    }
    if (matched >= needed) {
      // The window covers bigrams [t − window + 1, t], i.e. characters [t − window + 1, t + 2).
      if (start < 0) start = Math.max(0, t - window + 1);
      end = t + 2;
    }
  }
  for (const id of ids) want[id] = 0;
  for (let t = Math.max(0, bg.length - window); t < bg.length; t++) have[bg[t]] = 0;
  return start < 0 ? null : [start, end];
}
