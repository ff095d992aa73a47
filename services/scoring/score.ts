import { ValidationError } from '../core/index.js';
import type { AnswerValue } from './evaluation-types.js';
import type { Question, Scorecard } from './types.js';

export type QuestionStatus = 'scored' | 'na' | 'pending';

export interface QuestionScore {
  questionId: string;
  status: QuestionStatus;
  value: AnswerValue | null;
  /** The answer on 0–1 (yes 1, no 0; scale (v − min)/(max − min); points v/max); null unless scored. */
  normalized: number | null;
  weight: number;
  /** weight × normalized (0 unless scored). */
  earned: number;
  /** weight when scored, else 0 (N/A and pending leave the denominator). */
  possible: number;
}

export interface SectionScore {
  sectionId: string;
  weight: number;
  earned: number;
  possible: number;
  /** 100 × earned / possible; null when nothing in the section was scored. */
  percent: number | null;
  questions: QuestionScore[];
}

export interface ScoreResult {
  /** 0–100: the weighted mean of the scored sections' percentages; 0 when auto-failed; null when nothing was scored. */
  overall: number | null;
  /** The same before auto-fail. */
  rawOverall: number | null;
  passThreshold: number;
  /** overall ≥ passThreshold and no critical question failed; null when nothing was scored. */
  passed: boolean | null;
  autoFailed: boolean;
  /** Critical questions answered "no". */
  criticalFailures: string[];
  sections: SectionScore[];
  /** Questions without an answer yet (left out of every denominator). */
  pending: string[];
  complete: boolean;
}

/** Answers by question id; absent or null means not answered yet. */
export type Answers = Readonly<Record<string, AnswerValue | null | undefined>>;

/** The answer on 0–1, or 'na'. Throws `ValidationError` (path `answers.<id>`) for an answer the question does not allow. */
export function normalizeAnswer(q: Question, value: AnswerValue): number | 'na' {
  const bad = (why: string) => new ValidationError(`question "${q.id}": ${why}`, `answers.${q.id}`);
  if (value === 'na') {
    if (!q.na) throw bad('N/A is not allowed');
    return 'na';
  }
  switch (q.type) {
    case 'yes-no':
      if (value === 'yes') return 1;
      if (value === 'no') return 0;
      throw bad(`expected yes, no${q.na ? ' or na' : ''}, got ${JSON.stringify(value)}`);
    case 'scale':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < q.min || value > q.max) {
        throw bad(`expected a whole number ${q.min}–${q.max}, got ${JSON.stringify(value)}`);
      }
      return (value - q.min) / (q.max - q.min);
    case 'points':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > q.max) {
        throw bad(`expected 0–${q.max} points, got ${JSON.stringify(value)}`);
      }
      return value / q.max;
  }
}

/** Tolerance for float comparisons against the pass threshold. */
const EPSILON = 1e-9;

/**
 * The score of a set of answers (docs/scoring.md, "Arithmetic"). Pure; used for automatic, reviewed and
 * disputed evaluations alike. Unknown question ids and invalid answers throw `ValidationError`.
 */
export function scoreAnswers(card: Scorecard, answers: Answers): ScoreResult {
  const known = new Set(card.sections.flatMap((s) => s.questions.map((q) => q.id)));
  for (const id of Object.keys(answers)) {
    if (!known.has(id)) throw new ValidationError(`scorecard "${card.id}" has no question "${id}"`, `answers.${id}`);
  }
  const pending: string[] = [];
  const criticalFailures: string[] = [];
  const sections = card.sections.map((section): SectionScore => {
    const questions = section.questions.map((q): QuestionScore => {
      const value = answers[q.id] ?? null;
      if (value === null) {
        pending.push(q.id);
        return { questionId: q.id, status: 'pending', value, normalized: null, weight: q.weight, earned: 0, possible: 0 };
      }
      const n = normalizeAnswer(q, value);
      if (n === 'na') return { questionId: q.id, status: 'na', value, normalized: null, weight: q.weight, earned: 0, possible: 0 };
      if (q.critical && n === 0) criticalFailures.push(q.id);
      return { questionId: q.id, status: 'scored', value, normalized: n, weight: q.weight, earned: q.weight * n, possible: q.weight };
    });
    const earned = questions.reduce((sum, q) => sum + q.earned, 0);
    const possible = questions.reduce((sum, q) => sum + q.possible, 0);
    return { sectionId: section.id, weight: section.weight, earned, possible, percent: possible > 0 ? (100 * earned) / possible : null, questions };
  });
  const scored = sections.filter((s) => s.percent !== null);
  const weightSum = scored.reduce((sum, s) => sum + s.weight, 0);
  const rawOverall = weightSum > 0 ? scored.reduce((sum, s) => sum + s.weight * (s.percent ?? 0), 0) / weightSum : null;
  const autoFailed = criticalFailures.length > 0;
  const overall = autoFailed ? 0 : rawOverall;
  const passed = overall === null && !autoFailed ? null : !autoFailed && (overall ?? 0) >= card.passThreshold - EPSILON;
  return { overall, rawOverall, passThreshold: card.passThreshold, passed, autoFailed, criticalFailures, sections, pending, complete: pending.length === 0 };
}
