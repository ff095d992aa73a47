import { ConflictError } from '../../core/index.js';
import type { Queryable } from '../../store/index.js';
import { normalizeAnswer, type AnswerValue, type Question } from '../index.js';
import { categoryCounts, fleissKappa, pairAgreement, spread } from './agreement.js';
import { calibrationSubmissions, loadCalibration, type CalibrationSubmission } from './calibration.js';

export interface QuestionAgreement {
  questionId: string;
  text: string;
  type: Question['type'];
  /** Each reviewer's answer, by username. */
  answers: Record<string, AnswerValue | null>;
  /** The most frequent answer when it is unique, else null. */
  consensus: AnswerValue | null;
  reference: AnswerValue | null;
  /** Share of reviewers giving the most frequent answer. */
  percentAgreement: number | null;
  /** Share of reviewer pairs giving the same answer (Fleiss' P_i). */
  pairAgreement: number | null;
  /** (P_i − P̄e) / (1 − P̄e) with the session's chance agreement P̄e: Fleiss' kappa for this question. */
  kappa: number | null;
}

export interface ReviewerDeviation {
  reviewer: { id: string; username: string } | null;
  evaluationId: string;
  overall: number | null;
  passed: boolean | null;
  /** Questions compared with the key (reference or consensus), those matching, and matched / compared. */
  compared: number;
  matched: number;
  matchRate: number | null;
  /** Mean |answer − key| on the 0–1 scale over questions where both are scored (not N/A). */
  meanAbsoluteDeviation: number | null;
  /** overall − key overall (the reference's, or the reviewers' mean without one), in points. */
  overallDeviation: number | null;
  /** Where this reviewer differs from the key. */
  differences: { questionId: string; value: AnswerValue | null; key: AnswerValue }[];
}

export interface CalibrationReport {
  sessionId: string;
  reviewers: number;
  /** 'reference' when the session has an answer key, else 'consensus' (the most frequent answer per question). */
  comparedWith: 'reference' | 'consensus';
  /** Fleiss' kappa over every question as a subject. */
  agreement: { kappa: number | null; observed: number | null; expected: number | null; percentAgreement: number | null };
  questions: QuestionAgreement[];
  deviations: ReviewerDeviation[];
  /** Spread of the reviewers' overall scores. */
  overall: { n: number; min: number | null; max: number | null; mean: number | null; stddev: number | null; reference: number | null };
}

const label = (v: AnswerValue) => String(v);

function mode(values: readonly AnswerValue[]): { value: AnswerValue | null; count: number } {
  const counts = new Map<string, { v: AnswerValue; n: number }>();
  for (const v of values) counts.set(label(v), { v, n: (counts.get(label(v))?.n ?? 0) + 1 });
  const sorted = [...counts.values()].sort((a, b) => b.n - a.n);
  if (!sorted.length) return { value: null, count: 0 };
  return { value: sorted.length > 1 && sorted[1].n === sorted[0].n ? null : sorted[0].v, count: sorted[0].n };
}

/** The report of a closed session (409 while open): agreement per question, deviation per reviewer, score spread. */
export async function calibrationReport(db: Queryable, sessionId: string): Promise<CalibrationReport> {
  const { session, card } = await loadCalibration(db, sessionId);
  if (session.status !== 'closed') throw new ConflictError('the report is available once the session is closed (answers are blind until then)');
  const all = await calibrationSubmissions(db, session);
  const reference = all.find((s) => s.reference);
  const reviewers = all.filter((s) => !s.reference);
  const questions = card.sections.flatMap((s) => s.questions);
  const valueOf = (s: CalibrationSubmission, id: string) => s.answers.find((a) => a.questionId === id)?.value ?? null;
  const name = (s: CalibrationSubmission) => s.reviewer?.username ?? s.evaluationId;

  const ratings = questions.map((q) => reviewers.map((r) => valueOf(r, q.id)).filter((v): v is AnswerValue => v !== null));
  const { counts } = categoryCounts(ratings.map((r) => r.map(label)));
  const fleiss = fleissKappa(counts);
  const keys = new Map<string, AnswerValue | null>();
  const perQuestion = questions.map((q, i): QuestionAgreement => {
    const m = mode(ratings[i]);
    const ref = reference ? valueOf(reference, q.id) : null;
    keys.set(q.id, reference ? ref : m.value);
    const p = pairAgreement(counts[i]);
    return {
      questionId: q.id, text: q.text, type: q.type, answers: Object.fromEntries(reviewers.map((r) => [name(r), valueOf(r, q.id)])),
      consensus: m.value, reference: ref, percentAgreement: ratings[i].length ? m.count / ratings[i].length : null, pairAgreement: p,
      kappa: p === null || fleiss.expected === null || fleiss.expected >= 1 ? null : (p - fleiss.expected) / (1 - fleiss.expected),
    };
  });
  const modal = perQuestion.map((q) => q.percentAgreement).filter((x): x is number => x !== null);

  const overalls = reviewers.map((r) => r.overall).filter((x): x is number => x !== null);
  const stats = spread(overalls);
  const keyOverall = reference ? reference.overall : stats.mean;
  const deviations = reviewers.map((r): ReviewerDeviation => {
    let compared = 0, matched = 0;
    const diffs: number[] = [];
    const differences: ReviewerDeviation['differences'] = [];
    for (const q of questions) {
      const key = keys.get(q.id) ?? null;
      const v = valueOf(r, q.id);
      if (key === null) continue;
      compared += 1;
      if (v !== null && label(v) === label(key)) matched += 1;
      else differences.push({ questionId: q.id, value: v, key });
      if (v === null) continue;
      const [a, b] = [normalizeAnswer(q, v), normalizeAnswer(q, key)];
      if (a !== 'na' && b !== 'na') diffs.push(Math.abs(a - b));
    }
    return {
      reviewer: r.reviewer, evaluationId: r.evaluationId, overall: r.overall, passed: r.passed, compared, matched,
      matchRate: compared ? matched / compared : null,
      meanAbsoluteDeviation: diffs.length ? diffs.reduce((x, y) => x + y, 0) / diffs.length : null,
      overallDeviation: r.overall !== null && keyOverall !== null ? r.overall - keyOverall : null, differences,
    };
  });
  return {
    sessionId: session.id, reviewers: reviewers.length, comparedWith: reference ? 'reference' : 'consensus',
    agreement: {
      kappa: fleiss.kappa, observed: fleiss.observed, expected: fleiss.expected,
      percentAgreement: modal.length ? modal.reduce((a, b) => a + b, 0) / modal.length : null,
    },
    questions: perQuestion, deviations, overall: { ...stats, reference: reference?.overall ?? null },
  };
}
