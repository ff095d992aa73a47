import type { SentimentLabel, SentimentScore } from '../types.js';
import type { LexiconScoring } from './types.js';

export const DEFAULT_LEXICON_SCORING: Readonly<LexiconScoring> = Object.freeze({
  alpha: 15,
  labelThreshold: 0.2,
  negationFactor: -0.75,
  contrastBefore: 0.5,
  contrastAfter: 1.5,
});

/** Maps an unbounded valence sum into (−1, 1): s / √(s² + α). 0 ↦ 0, ±2 ↦ ±0.46, ±5 ↦ ±0.79 (α = 15). */
export function squash(sum: number, alpha = DEFAULT_LEXICON_SCORING.alpha): number {
  if (sum === 0) return 0;
  return sum / Math.sqrt(sum * sum + alpha);
}

export function labelFor(score: number, threshold = DEFAULT_LEXICON_SCORING.labelThreshold): SentimentLabel {
  if (score >= threshold) return 'positive';
  if (score <= -threshold) return 'negative';
  return 'neutral';
}

export function lexiconScore(sum: number, engine: string, s: LexiconScoring = DEFAULT_LEXICON_SCORING): SentimentScore {
  const score = squash(sum, s.alpha);
  return { score, label: labelFor(score, s.labelThreshold), engine };
}

/**
 * Combines clause sums around contrastive conjunctions: in "A but B", A counts `contrastBefore` and
 * B `contrastAfter` ("slow, but the agent was great" leans positive). `contrast[i]` says clause i
 * begins with a contrastive conjunction.
 */
export function combineClauses(sums: readonly number[], contrast: readonly boolean[], s: LexiconScoring = DEFAULT_LEXICON_SCORING): number {
  const last = contrast.lastIndexOf(true);
  if (last <= 0) return sums.reduce((a, b) => a + b, 0);
  return sums.reduce((acc, v, i) => acc + v * (i < last ? s.contrastBefore : s.contrastAfter), 0);
}
