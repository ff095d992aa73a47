import { NotFoundError } from '../../core/index.js';
import {
  createDisputeRepo, createEvaluationRepo, createScorecardRepo, type CallScope, type Dispute, type EvaluationRecord, type Queryable, type StoredAnswer,
} from '../../store/index.js';
import type { Question } from '../index.js';

export interface QuestionView {
  id: string;
  text: string;
  type: Question['type'];
  weight: number;
  critical: boolean;
  na: boolean;
  min?: number;
  max?: number;
  guidance: string | null;
  /** Whether the question has an automatic rule. */
  automatic: boolean;
  answer: StoredAnswer | null;
}

export interface EvaluationDetail extends EvaluationRecord {
  sections: { id: string; title: string; weight: number; questions: QuestionView[] }[];
  disputes: Dispute[];
}

/** An evaluation with its answers (evidence: segment ids, time ranges, matched text) laid out as the version's form. */
export async function evaluationDetail(db: Queryable, id: string, scope: CallScope): Promise<EvaluationDetail> {
  const evaluations = createEvaluationRepo(db);
  const e = await evaluations.get(id, scope);
  if (!e) throw new NotFoundError('evaluation');
  const version = await createScorecardRepo(db).getVersionById(e.scorecard.versionId);
  if (!version) throw new NotFoundError('scorecard version');
  const answers = new Map((await evaluations.answers(id)).map((a) => [a.questionId, a]));
  const sections = version.definition.sections.map((s) => ({
    id: s.id, title: s.title, weight: s.weight,
    questions: s.questions.map((q): QuestionView => ({
      id: q.id, text: q.text, type: q.type, weight: q.weight, critical: q.critical, na: q.na,
      ...(q.type === 'scale' ? { min: q.min, max: q.max } : q.type === 'points' ? { min: 0, max: q.max } : {}),
      guidance: q.guidance ?? null, automatic: !!q.auto, answer: answers.get(q.id) ?? null,
    })),
  }));
  return { ...e, sections, disputes: await createDisputeRepo(db).listForEvaluation(id) };
}
