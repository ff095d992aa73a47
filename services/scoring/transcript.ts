import type { Channel } from '../calls/index.js';
import type { Evidence, SegmentInput } from './evaluation-types.js';
import { findPhrase } from './fuzzy-match.js';
import { profileText, type TextProfile } from './qgram-filter.js';
import { normalizeText } from './normalize-text.js';
import type { Speaker, TimeWindow } from './types.js';

/** A final segment ready for matching: its normalised text and, per character, the word it came from. */
export interface PreparedSegment {
  source: SegmentInput;
  speaker: Channel;
  startMs: number;
  endMs: number;
  key: string;
  profile: TextProfile;
  /** Word spans in `key` when the engine gave word timings: [keyStart, keyEnd, startMs, endMs, confidence]. */
  words: Array<[number, number, number, number, number]> | null;
}

/** An occurrence of a phrase: where in the call, how close and how sure the recogniser was. */
export interface PhraseMatch {
  segment: PreparedSegment;
  /** The phrase as the card wrote it. */
  phrase: string;
  startMs: number;
  endMs: number;
  similarity: number;
  /** Mean word confidence over the matched words (1 without word timings). */
  asrConfidence: number;
}

/** Latest final per utterance, in time order, with matching keys built from the words when there are any. */
export function prepareSegments(segments: readonly SegmentInput[]): PreparedSegment[] {
  const latest = new Map<string, SegmentInput>();
  segments.forEach((s, i) => {
    if (s.final !== false) latest.set(s.utteranceId ?? s.id ?? `#${i}`, s);
  });
  return [...latest.values()]
    .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs)
    .map((s) => {
      let key = '';
      let words: PreparedSegment['words'] = null;
      if (s.words && s.words.length > 0) {
        words = [];
        for (const w of s.words) {
          const k = normalizeText(w.text);
          if (!k) continue;
          if (key) key += ' ';
          words.push([key.length, key.length + k.length, w.startMs, w.endMs, w.confidence]);
          key += k;
        }
      } else {
        key = normalizeText(s.text);
      }
      return { source: s, speaker: s.speaker, startMs: s.startMs, endMs: s.endMs, key, profile: profileText(key), words };
    });
}

/** Times and recogniser confidence of characters [a, b) of a segment's key: from the words, else interpolated. */
function locateSpan(seg: PreparedSegment, a: number, b: number): { startMs: number; endMs: number; asrConfidence: number } {
  if (seg.words) {
    const hit = seg.words.filter(([ka, kb]) => kb > a && ka < b);
    if (hit.length > 0) {
      return {
        startMs: hit[0][2],
        endMs: hit[hit.length - 1][3],
        asrConfidence: hit.reduce((sum, w) => sum + w[4], 0) / hit.length,
      };
    }
  }
  const len = Math.max(1, seg.key.length);
  const span = seg.endMs - seg.startMs;
  return { startMs: Math.round(seg.startMs + (span * a) / len), endMs: Math.round(seg.startMs + (span * b) / len), asrConfidence: 1 };
}

/** Every occurrence of one normalised phrase (`key`, written as `phrase`) by `speaker`. */
export function matchPhrase(
  segments: readonly PreparedSegment[], speaker: Speaker, key: string, phrase: string, minSimilarity: number,
): PhraseMatch[] {
  const out: PhraseMatch[] = [];
  for (const seg of segments) {
    if (speaker !== 'any' && seg.speaker !== speaker) continue;
    for (const hit of findPhrase(seg.key, key, { minSimilarity }, seg.profile)) {
      out.push({ segment: seg, phrase, ...locateSpan(seg, hit.start, hit.end), similarity: hit.similarity });
    }
  }
  return out;
}

const keysOf = new WeakMap<readonly string[], Map<string, string>>();

/** Phrases by their matching key (first spelling wins), empty keys dropped; memoised per list. */
export function phraseKeys(phrases: readonly string[]): Map<string, string> {
  let keys = keysOf.get(phrases);
  if (!keys) {
    keys = new Map<string, string>();
    for (const p of phrases) {
      const k = normalizeText(p);
      if (k && !keys.has(k)) keys.set(k, p);
    }
    keysOf.set(phrases, keys);
  }
  return keys;
}

export const byTime = (a: PhraseMatch, b: PhraseMatch) => a.startMs - b.startMs || b.similarity - a.similarity;

/** Whether a stretch falls in a window: starts before `first` s, or ends after `last` s before the end. */
export function inWindow(startMs: number, endMs: number, window: TimeWindow | undefined, callEndMs: number): boolean {
  if (!window) return true;
  if ('first' in window) return startMs < window.first * 1000;
  return endMs > callEndMs - window.last * 1000;
}

export const describeWindow = (w: TimeWindow | undefined) => (!w ? '' : 'first' in w ? ` in the first ${w.first} s` : ` in the last ${w.last} s`);

export function matchEvidence(m: PhraseMatch, note: string): Evidence {
  const s = m.segment.source;
  return {
    ...(s.id !== undefined && { segmentId: s.id }),
    ...(s.utteranceId !== undefined && { utteranceId: s.utteranceId }),
    speaker: m.segment.speaker,
    startMs: m.startMs,
    endMs: m.endMs,
    text: s.text,
    note,
  };
}
