import type { SentimentScore } from '../types.js';

/**
 * One way of scoring text. `languages` are BCP-47 tags or primary subtags (`en`, `fa`, `fa-IR`); the
 * analyzer picks an engine by the call's language. Engines that run a model off the event loop are
 * asynchronous; lexicon engines answer synchronously.
 */
export interface SentimentEngine {
  readonly name: string;
  readonly languages: readonly string[];
  score(text: string, language: string): SentimentScore | Promise<SentimentScore>;
  /** Releases workers or native sessions. */
  close?(): Promise<void>;
}

/** How a lexicon engine turns a summed valence into a score and a label (docs/sentiment.md). */
export interface LexiconScoring {
  /** Squashing constant α in s / √(s² + α). */
  alpha: number;
  /** |score| at or above which a segment is labelled positive or negative. */
  labelThreshold: number;
  /** Multiplier for a negated word (negative: flips polarity, damped). */
  negationFactor: number;
  /** Weight of clauses before a contrastive conjunction ("but", "ولی") and after it. */
  contrastBefore: number;
  contrastAfter: number;
}

export interface LexiconMatch {
  /** The matched words as they appear (normalised). */
  text: string;
  weight: number;
  /** Weight after negation (before clause weighting around ولی / اما). */
  value: number;
  negated: boolean;
}

export interface LexiconExplanation {
  sum: number;
  matches: LexiconMatch[];
}

export interface LexiconEngine extends SentimentEngine {
  score(text: string, language?: string): SentimentScore;
  /** Which words counted, and how: for tests, tuning and showing reviewers why a segment scored so. */
  explain(text: string): LexiconExplanation;
}
