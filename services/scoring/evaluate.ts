import { ValidationError } from '../core/index.js';
import { appliesTo } from './applicability.js';
import { answerFromRule, manualAnswer } from './auto-answer.js';
import { decidableAt } from './decidable.js';
import { evaluateRule } from './evaluate-rule.js';
import type { AutoAnswer, EvaluationInput, Evidence, RuleOutcome } from './evaluation-types.js';
import { prepareCall, type PreparedCall, type RuleContext } from './rules/context.js';
import { scoreAnswers, type Answers, type ScoreResult } from './score.js';
import type { Scorecard } from './types.js';

export interface Evaluation {
  scorecardId: string;
  callId: string;
  /** Whether the card's `appliesTo` matches the call (evaluateCall scores it either way). */
  applicable: boolean;
  answers: AutoAnswer[];
  score: ScoreResult;
  /** Questions a reviewer should look at: manual, not evaluable, or low confidence. */
  needsReview: string[];
}

const prepared = (input: EvaluationInput | PreparedCall): PreparedCall => ('match' in input ? input : prepareCall(input));

function callEnd(call: PreparedCall): number {
  const d = call.input.call.durationMs;
  if (d !== null && d !== undefined) return d;
  return Math.max(0, ...(call.segments ?? []).map((s) => s.endMs), call.input.metrics?.horizonMs ?? 0);
}

/**
 * Scores a finished call against one card: every question with a rule is answered automatically with
 * evidence and confidence, the others wait for a reviewer, and the score covers what was answered.
 * Pass a `prepareCall(input)` result to share the transcript work between cards.
 */
export function evaluateCall(card: Scorecard, input: EvaluationInput | PreparedCall): Evaluation {
  const call = prepared(input);
  const ctx: RuleContext = { call, card, final: true, endMs: callEnd(call), refs: new Map() };
  const answers = card.sections.flatMap((s) => s.questions.map((q) => (q.auto ? answerFromRule(q, evaluateRule(q.auto, ctx), card) : manualAnswer(q))));
  const values: Answers = Object.fromEntries(answers.map((a) => [a.questionId, a.value]));
  return {
    scorecardId: card.id,
    callId: call.input.call.id,
    applicable: appliesTo(card, call.input.call),
    answers,
    score: scoreAnswers(card, values),
    needsReview: answers.filter((a) => a.needsReview).map((a) => a.questionId),
  };
}

/** Every card that applies to the call, evaluated on one shared preparation. */
export function evaluateApplicable(cards: readonly Scorecard[], input: EvaluationInput): Evaluation[] {
  const call = prepareCall(input);
  return cards.filter((c) => appliesTo(c, input.call)).map((c) => evaluateCall(c, call));
}

/** A question's automatic answer so far during a live call. */
export interface PartialAnswer {
  questionId: string;
  /** The outcome if the call ended now. */
  outcome: RuleOutcome;
  /** True when nothing later in the call can change it: a settled fail is a missed item to alert on. */
  settled: boolean;
  confidence: number;
  evidence: Evidence[];
  detail: string;
  /** The call time at which the rule is decided at the latest, or null (only at call end). */
  decidableAtMs: number | null;
}

/**
 * Live scorecard checks: the card's automatic questions on the call so far, with `settled` where the
 * outcome is already certain (a greeting not said in the first 15 s once 15 s have passed; a prohibited
 * phrase said; interruptions above the maximum). `nowMs` is how far the transcript and metrics are
 * complete; `last N s` windows are taken to end there, so they never settle before the end.
 */
export function evaluatePartial(card: Scorecard, input: EvaluationInput | PreparedCall, nowMs: number): PartialAnswer[] {
  if (!Number.isFinite(nowMs) || nowMs < 0) throw new ValidationError(`invalid nowMs ${nowMs}`, 'nowMs');
  const ctx: RuleContext = { call: prepared(input), card, final: false, endMs: nowMs, refs: new Map() };
  return card.sections.flatMap((s) => s.questions.flatMap((q) => {
    if (!q.auto) return [];
    const r = evaluateRule(q.auto, ctx);
    return [{
      questionId: q.id, outcome: r.outcome, settled: r.settled, confidence: r.confidence, evidence: r.evidence, detail: r.detail,
      decidableAtMs: decidableAt(q.auto, card.rules),
    }];
  }));
}
