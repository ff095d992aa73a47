import type { EvaluationInput, Evidence, RuleOutcome, RuleResult } from '../evaluation-types.js';
import { byTime, matchPhrase, phraseKeys, prepareSegments, type PhraseMatch, type PreparedSegment } from '../transcript.js';
import type { Scorecard, Speaker, TimeWindow } from '../types.js';

/** How far below the match threshold an occurrence still counts as a near miss (lowers confidence). */
export const NEAR_MISS_MARGIN = 0.1;

/** A stretch of the call timeline (ms); segments overlapping it are searched. */
export interface TimeRange { fromMs: number; toMs: number }

/**
 * A call prepared once for any number of scorecards: normalised segments and a phrase-match cache (per
 * phrase and segment, filled lazily) shared by every rule and card that asks for the same phrase.
 */
export interface PreparedCall {
  input: EvaluationInput;
  /** Null when the call has no (final) transcript. */
  segments: PreparedSegment[] | null;
  /** Occurrences of `phrases` by `speaker` down to `minSimilarity`, in segments overlapping `range` (default: all), in time order. */
  match(speaker: Speaker, phrases: readonly string[], minSimilarity: number, range?: TimeRange): PhraseMatch[];
}

export function prepareCall(input: EvaluationInput): PreparedCall {
  const prepared = input.segments ? prepareSegments(input.segments) : [];
  const segments = prepared.length > 0 ? prepared : null;
  const cache = new Map<string, Array<PhraseMatch[] | undefined>>();
  return {
    input,
    segments,
    match(speaker, phrases, minSimilarity, range) {
      if (!segments) return [];
      const out: PhraseMatch[] = [];
      for (const [key, phrase] of phraseKeys(phrases)) {
        const id = `${speaker}\u0000${minSimilarity}\u0000${key}`;
        let perSegment = cache.get(id);
        if (!perSegment) cache.set(id, (perSegment = new Array<PhraseMatch[] | undefined>(segments.length)));
        segments.forEach((seg, i) => {
          if (range && (seg.endMs <= range.fromMs || seg.startMs >= range.toMs)) return;
          if (speaker !== 'any' && seg.speaker !== speaker) return;
          let hits = perSegment[i];
          if (!hits) perSegment[i] = hits = matchPhrase([seg], speaker, key, phrase, minSimilarity);
          out.push(...hits);
        });
      }
      return out.sort(byTime);
    },
  };
}

/** The part of the call a time window can reach (the whole call without one). */
export function windowRange(window: TimeWindow | undefined, endMs: number): TimeRange | undefined {
  if (!window) return undefined;
  return 'first' in window ? { fromMs: 0, toMs: window.first * 1000 } : { fromMs: endMs - window.last * 1000, toMs: Infinity };
}

/** One card evaluated against one prepared call, at call end (`final`) or live up to `nowMs`. */
export interface RuleContext {
  call: PreparedCall;
  card: Scorecard;
  final: boolean;
  /** The call end (final) or how far the call has got (live): `last N s` windows end here. */
  endMs: number;
  /** Memoised named rules. */
  refs: Map<string, RuleResult>;
}

export function result(outcome: RuleOutcome, confidence: number, detail: string, settled: boolean, evidence: Evidence[] = []): RuleResult {
  return { outcome, confidence: outcome === 'unknown' ? 0 : clamp01(confidence), evidence, detail, settled };
}

export const unknown = (detail: string, ctx: RuleContext) => result('unknown', 0, detail, ctx.final);

export const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * Confidence that a phrase was really not said, given the closest near miss: 1 without one, falling
 * linearly to 0.5 as the near miss approaches the match threshold.
 */
export function absenceConfidence(nearSimilarity: number | null, minSimilarity: number): number {
  if (nearSimilarity === null) return 1;
  const into = (nearSimilarity - (minSimilarity - NEAR_MISS_MARGIN)) / NEAR_MISS_MARGIN;
  return 1 - 0.5 * clamp01(into);
}

/** Whether the absence of something in `window` can no longer change: at call end, or past a `first` window. */
export function absenceSettled(window: TimeWindow | undefined, ctx: RuleContext): boolean {
  return ctx.final || (window !== undefined && 'first' in window && ctx.endMs >= window.first * 1000);
}

/** Whether an occurrence already seen is final: it cannot fall out of a `last` window that is still moving. */
export function presenceSettled(window: TimeWindow | undefined, ctx: RuleContext): boolean {
  return ctx.final || window === undefined || 'first' in window;
}

export const fmtS = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
