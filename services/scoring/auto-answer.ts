import type { AutoAnswer, RuleResult } from './evaluation-types.js';
import type { Question, Scorecard } from './types.js';

const best = (q: Question) => (q.type === 'yes-no' ? 'yes' : q.max);
const worst = (q: Question) => (q.type === 'yes-no' ? 'no' : q.type === 'scale' ? q.min : 0);

/** A question without a rule: left to a reviewer. */
export function manualAnswer(q: Question): AutoAnswer {
  return {
    questionId: q.id, value: null, outcome: null, confidence: null, evidence: [], detail: 'answered by a reviewer',
    needsReview: true, reviewReason: 'manual',
  };
}

/**
 * A rule outcome as an answer (docs/scoring.md, "Automatic answers"): pass → yes (the best answer),
 * fail → no (the worst), N/A → N/A where allowed; unknown, or N/A where not allowed, leaves the question
 * unanswered for review. An answer below the card's `review.minConfidence` stands but is marked for review.
 */
export function answerFromRule(q: Question, r: RuleResult, card: Scorecard): AutoAnswer {
  const base = { questionId: q.id, outcome: r.outcome, confidence: r.confidence, evidence: r.evidence, detail: r.detail };
  switch (r.outcome) {
    case 'unknown':
      return { ...base, value: null, needsReview: true, reviewReason: 'not-evaluable' };
    case 'na':
      if (!q.na) return { ...base, value: null, needsReview: true, reviewReason: 'na-not-allowed' };
      break;
    case 'pass': case 'fail':
      break;
  }
  const value = r.outcome === 'na' ? 'na' : r.outcome === 'pass' ? best(q) : worst(q);
  const low = r.confidence < card.review.minConfidence;
  return { ...base, value, needsReview: low, reviewReason: low ? 'low-confidence' : null };
}
