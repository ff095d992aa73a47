import { AuthError, ConflictError, NotFoundError, ValidationError } from '../../core/index.js';
import type { EventBus } from '../../live/index.js';
import {
  createAuditRepo, createDisputeRepo, createEvaluationRepo, createScorecardRepo, type AnswerChange, type CallScope, type Db, type Dispute,
  type EvaluationRecord, type Queryable, type StoredAnswer, type User,
} from '../../store/index.js';
import { normalizeAnswer, scoreAnswers, type AnswerValue, type Question, type Scorecard } from '../index.js';
import { evaluationPayload } from './store-evaluation.js';

export interface ReviewedAnswer {
  questionId: string;
  value: AnswerValue | null;
  comment?: string | null;
  /** The call time (ms) the comment refers to. */
  commentMs?: number | null;
}

interface Loaded { evaluation: EvaluationRecord; card: Scorecard; answers: StoredAnswer[] }

async function load(tx: Queryable, id: string, scope: CallScope): Promise<Loaded> {
  const evaluations = createEvaluationRepo(tx);
  await evaluations.lock(id);
  const evaluation = await evaluations.get(id, scope);
  if (!evaluation) throw new NotFoundError('evaluation');
  const version = await createScorecardRepo(tx).getVersionById(evaluation.scorecard.versionId);
  if (!version) throw new NotFoundError('scorecard version');
  return { evaluation, card: version.definition, answers: await evaluations.answers(id) };
}

const questionsOf = (card: Scorecard) => new Map<string, Question>(card.sections.flatMap((s) => s.questions.map((q) => [q.id, q])));
const valuesOf = (answers: readonly StoredAnswer[]) => Object.fromEntries(answers.map((a) => [a.questionId, a.value]));

function question(card: Scorecard, questionId: string, path: string): Question {
  const q = questionsOf(card).get(questionId);
  if (!q) throw new ValidationError(`scorecard "${card.id}" has no question "${questionId}"`, path);
  return q;
}

/** The agent linked to the evaluated call may act on it; others see 403 (or 404 when out of scope). */
function requireOwn(e: EvaluationRecord, user: User): void {
  if (!e.agent?.userId || e.agent.userId !== user.id) throw new AuthError('only the evaluated agent can do this', 403);
}

async function reload(tx: Queryable, id: string): Promise<EvaluationRecord> {
  const e = await createEvaluationRepo(tx).get(id, { kind: 'all' });
  if (!e) throw new NotFoundError('evaluation');
  return e;
}

/**
 * A reviewer's answers: overrides (with comments tied to call times) on top of the automatic answers. `submit`
 * makes the reviewed score final (every question must then be answered) and notifies the agent; otherwise the
 * review is saved in progress. Audited with every change (old → new).
 */
export async function submitReview(db: Db, bus: EventBus, opts: {
  evaluationId: string; user: User; answers: readonly ReviewedAnswer[]; submit: boolean;
}): Promise<EvaluationRecord> {
  const result = await db.transaction(async (tx) => {
    const { evaluation, card, answers } = await load(tx, opts.evaluationId, { kind: 'all' });
    if (evaluation.kind === 'calibration') throw new ConflictError('calibration evaluations are answered through their calibration session');
    if (evaluation.status === 'disputed') throw new ConflictError('this evaluation has open disputes: resolve them first');
    const byId = new Map(answers.map((a) => [a.questionId, a]));
    const changes: AnswerChange[] = [];
    for (const [i, a] of opts.answers.entries()) {
      const q = question(card, a.questionId, `answers.${i}.questionId`);
      if (a.value !== null) normalizeAnswer(q, a.value);
      const stored = byId.get(a.questionId);
      changes.push({
        questionId: a.questionId, reviewedValue: a.value, comment: a.comment ?? stored?.comment ?? null, commentMs: a.commentMs ?? stored?.commentMs ?? null,
      });
    }
    const values = { ...valuesOf(answers), ...Object.fromEntries(changes.map((c) => [c.questionId, c.reviewedValue])) };
    const score = scoreAnswers(card, values);
    if (opts.submit && score.pending.length) {
      throw new ValidationError(`answer every question before submitting; unanswered: ${score.pending.join(', ')}`, `answers.${score.pending[0]}`);
    }
    const evaluations = createEvaluationRepo(tx);
    await evaluations.changeAnswers(evaluation.id, changes, opts.user.id);
    await evaluations.update(evaluation.id, {
      result: score, status: opts.submit ? 'reviewed' : 'in-review', reviewerId: opts.user.id, reviewed: opts.submit, needsReview: !opts.submit,
    });
    await createAuditRepo(tx).append({
      actorId: opts.user.id, action: opts.submit ? 'evaluation.reviewed' : 'evaluation.review_saved', targetType: 'evaluation', targetId: evaluation.id,
      details: {
        callId: evaluation.callId,
        changes: changes.map((c) => ({ questionId: c.questionId, old: byId.get(c.questionId)?.value ?? null, new: c.reviewedValue, comment: c.comment, commentMs: c.commentMs })),
        overall: { old: evaluation.overall, new: score.overall }, passed: { old: evaluation.passed, new: score.passed },
      },
    });
    return reload(tx, evaluation.id);
  });
  if (opts.submit) bus.publish({ type: 'evaluation.reviewed', callId: result.callId, evaluation: evaluationPayload(result), reviewerId: opts.user.id });
  return result;
}

/** The evaluated agent accepts a reviewed evaluation. */
export async function acknowledgeEvaluation(db: Db, bus: EventBus, opts: { evaluationId: string; user: User; scope: CallScope }): Promise<EvaluationRecord> {
  const result = await db.transaction(async (tx) => {
    const { evaluation } = await load(tx, opts.evaluationId, opts.scope);
    requireOwn(evaluation, opts.user);
    if (evaluation.status !== 'reviewed') throw new ConflictError(`only a reviewed evaluation can be acknowledged (this one is ${evaluation.status})`);
    await createEvaluationRepo(tx).update(evaluation.id, { status: 'acknowledged', acknowledged: true });
    await createAuditRepo(tx).append({
      actorId: opts.user.id, action: 'evaluation.acknowledged', targetType: 'evaluation', targetId: evaluation.id,
      details: { callId: evaluation.callId, status: { old: evaluation.status, new: 'acknowledged' } },
    });
    return reload(tx, evaluation.id);
  });
  bus.publish({ type: 'evaluation.acknowledged', callId: result.callId, evaluation: evaluationPayload(result) });
  return result;
}

export interface DisputeRequest { questionId: string; reason: string; proposedValue?: AnswerValue | null }

/** The evaluated agent disputes answers of a reviewed evaluation, each with a reason. */
export async function raiseDisputes(db: Db, bus: EventBus, opts: {
  evaluationId: string; user: User; scope: CallScope; items: readonly DisputeRequest[];
}): Promise<{ evaluation: EvaluationRecord; disputes: Dispute[] }> {
  const result = await db.transaction(async (tx) => {
    const { evaluation, card } = await load(tx, opts.evaluationId, opts.scope);
    requireOwn(evaluation, opts.user);
    if (evaluation.status !== 'reviewed' && evaluation.status !== 'disputed') {
      throw new ConflictError(`only a reviewed evaluation can be disputed (this one is ${evaluation.status})`);
    }
    const disputes: Dispute[] = [];
    for (const [i, item] of opts.items.entries()) {
      const q = question(card, item.questionId, `items.${i}.questionId`);
      if (item.proposedValue !== undefined && item.proposedValue !== null) normalizeAnswer(q, item.proposedValue);
      const d = await createDisputeRepo(tx).insert({
        evaluationId: evaluation.id, questionId: q.id, raisedBy: opts.user.id, reason: item.reason, proposedValue: item.proposedValue ?? null,
      });
      if (!d) throw new ConflictError(`question "${q.id}" already has an open dispute`);
      disputes.push(d);
      await createAuditRepo(tx).append({
        actorId: opts.user.id, action: 'dispute.raised', targetType: 'evaluation', targetId: evaluation.id,
        details: { disputeId: d.id, questionId: q.id, reason: item.reason, proposedValue: d.proposedValue },
      });
    }
    await createEvaluationRepo(tx).update(evaluation.id, { status: 'disputed' });
    return { evaluation: await reload(tx, evaluation.id), disputes };
  });
  for (const d of result.disputes) {
    bus.publish({ type: 'evaluation.disputed', callId: result.evaluation.callId, evaluation: evaluationPayload(result.evaluation), disputeId: d.id, questionId: d.questionId });
  }
  return result;
}

/**
 * QA resolves a dispute. Accepting sets the question's answer (`value`, else the agent's proposal, else the
 * opposite of a yes/no answer) and re-scores; rejecting needs a reason. When no dispute is left open the
 * evaluation is `reviewed` again (for the agent to acknowledge).
 */
export async function resolveDispute(db: Db, bus: EventBus, opts: {
  disputeId: string; user: User; accept: boolean; reason?: string | null; value?: AnswerValue | null;
}): Promise<{ evaluation: EvaluationRecord; dispute: Dispute }> {
  const result = await db.transaction(async (tx) => {
    const disputes = createDisputeRepo(tx);
    const found = await disputes.get(opts.disputeId);
    if (!found) throw new NotFoundError('dispute');
    const { evaluation, card, answers } = await load(tx, found.evaluationId, { kind: 'all' });
    await disputes.lock(found.id);
    const dispute = await disputes.get(found.id);
    if (dispute?.status !== 'open') throw new ConflictError(`this dispute is ${dispute?.status ?? 'gone'} already`);
    if (!opts.accept && !opts.reason?.trim()) throw new ValidationError('a rejection needs a reason', 'reason');
    const q = question(card, dispute.questionId, 'questionId');
    const stored = answers.find((a) => a.questionId === q.id);
    const old = stored?.value ?? null;
    let value: AnswerValue | null = null;
    let score = evaluation.result;
    if (opts.accept) {
      value = opts.value ?? dispute.proposedValue ?? (q.type === 'yes-no' && (old === 'yes' || old === 'no') ? (old === 'yes' ? 'no' : 'yes') : null);
      if (value === null) throw new ValidationError(`say which answer question "${q.id}" gets (value)`, 'value');
      normalizeAnswer(q, value);
      score = scoreAnswers(card, { ...valuesOf(answers), [q.id]: value });
      await createEvaluationRepo(tx).changeAnswers(evaluation.id, [{
        questionId: q.id, reviewedValue: value, comment: stored?.comment ?? null, commentMs: stored?.commentMs ?? null,
      }], opts.user.id);
    }
    await disputes.resolve(dispute.id, { status: opts.accept ? 'accepted' : 'rejected', reason: opts.reason?.trim() || null, value, by: opts.user.id });
    const open = await disputes.countOpen(evaluation.id);
    await createEvaluationRepo(tx).update(evaluation.id, { result: opts.accept ? score : undefined, status: open ? 'disputed' : 'reviewed' });
    await createAuditRepo(tx).append({
      actorId: opts.user.id, action: opts.accept ? 'dispute.accepted' : 'dispute.rejected', targetType: 'evaluation', targetId: evaluation.id,
      details: {
        disputeId: dispute.id, questionId: q.id, reason: opts.reason ?? null,
        ...(opts.accept ? { answer: { old, new: value }, overall: { old: evaluation.overall, new: score.overall }, passed: { old: evaluation.passed, new: score.passed } } : {}),
      },
    });
    return { evaluation: await reload(tx, evaluation.id), dispute: (await disputes.get(dispute.id)) as Dispute };
  });
  bus.publish({
    type: 'dispute.resolved', callId: result.evaluation.callId, evaluation: evaluationPayload(result.evaluation), disputeId: result.dispute.id,
    questionId: result.dispute.questionId, status: result.dispute.status === 'accepted' ? 'accepted' : 'rejected',
  });
  return result;
}
