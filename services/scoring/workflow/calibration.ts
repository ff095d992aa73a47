import { AuthError, ConflictError, NotFoundError, ValidationError } from '../../core/index.js';
import {
  createAuditRepo, createCalibrationRepo, createCallRepo, createEvaluationRepo, createScorecardRepo, type CalibrationSession, type Db,
  type Queryable, type User,
} from '../../store/index.js';
import { normalizeAnswer, scoreAnswers, type AnswerValue, type Question, type Scorecard } from '../index.js';
import type { ReviewedAnswer } from './review.js';

/** Who may set the answer key and close a session: its creator and admins. */
function requireLead(session: CalibrationSession, user: User): void {
  if (user.role !== 'admin' && session.createdBy?.id !== user.id) throw new AuthError('only the session\'s creator or an admin can do this', 403);
}

async function loadSession(tx: Queryable, id: string, lock = false): Promise<{ session: CalibrationSession; card: Scorecard }> {
  const repo = createCalibrationRepo(tx);
  if (lock) await repo.lock(id);
  const session = await repo.get(id);
  if (!session) throw new NotFoundError('calibration session');
  const version = await createScorecardRepo(tx).getVersionById(session.scorecard.versionId);
  if (!version) throw new NotFoundError('scorecard version');
  return { session, card: version.definition };
}

/** A session on one call and one published scorecard version (default: the card's active one). */
export async function createCalibration(db: Db, opts: {
  callId: string; scorecardId: string; version?: number; title?: string; user: User;
}): Promise<CalibrationSession> {
  return db.transaction(async (tx) => {
    if (!(await createCallRepo(tx).get(opts.callId, { kind: 'all' }))) throw new NotFoundError('call');
    const cards = createScorecardRepo(tx);
    const version = opts.version !== undefined
      ? await cards.getVersion(opts.scorecardId, opts.version)
      : (await cards.listActive()).find((v) => v.scorecardId === opts.scorecardId);
    if (!version) throw new NotFoundError('scorecard version');
    if (version.status !== 'published') throw new ConflictError('calibrate on a published version');
    const repo = createCalibrationRepo(tx);
    const id = await repo.insert({ callId: opts.callId, scorecardVersionId: version.id, title: opts.title ?? '', createdBy: opts.user.id });
    await createAuditRepo(tx).append({
      actorId: opts.user.id, action: 'calibration.created', targetType: 'calibration', targetId: id,
      details: { callId: opts.callId, scorecardId: version.scorecardId, version: version.version },
    });
    return (await repo.get(id))!;
  });
}

/**
 * A reviewer's blind answers (every question), stored as an evaluation of kind 'calibration'; submitting again while
 * the session is open replaces them. `reference`: the answer key (the session's creator or an admin; also once closed),
 * which is not counted as a reviewer.
 */
export async function submitCalibrationAnswers(db: Db, opts: {
  sessionId: string; user: User; answers: readonly ReviewedAnswer[]; reference: boolean;
}): Promise<string> {
  return db.transaction(async (tx) => {
    const { session, card } = await loadSession(tx, opts.sessionId, true);
    if (opts.reference) requireLead(session, opts.user);
    else if (session.status !== 'open') throw new ConflictError('this calibration session is closed');
    const questions = new Map<string, Question>(card.sections.flatMap((s) => s.questions.map((q) => [q.id, q])));
    const values: Record<string, AnswerValue | null> = {};
    for (const [i, a] of opts.answers.entries()) {
      const q = questions.get(a.questionId);
      if (!q) throw new ValidationError(`scorecard "${card.id}" has no question "${a.questionId}"`, `answers.${i}.questionId`);
      if (a.value !== null) normalizeAnswer(q, a.value);
      values[q.id] = a.value;
    }
    const score = scoreAnswers(card, values);
    if (score.pending.length) throw new ValidationError(`answer every question; unanswered: ${score.pending.join(', ')}`, `answers.${score.pending[0]}`);
    const repo = createCalibrationRepo(tx);
    const evaluations = createEvaluationRepo(tx);
    let id = await repo.evaluationOf(session.id, opts.user.id);
    const isReference = id !== undefined && id === session.referenceEvaluationId;
    if (id && isReference !== opts.reference) {
      throw new ConflictError(opts.reference ? 'you answered as a reviewer in this session: the answer key must come from someone else' : 'you set this session\'s answer key');
    }
    if (!id) {
      id = await evaluations.insert({
        callId: session.callId, scorecardVersionId: session.scorecard.versionId, kind: 'calibration', status: 'reviewed', reviewerId: opts.user.id,
        calibrationId: session.id, autoResult: null, result: score, needsReview: false,
        answers: card.sections.flatMap((s) => s.questions.map((q) => ({
          questionId: q.id, value: null, outcome: null, confidence: null, evidence: [], detail: '', needsReview: false, reviewReason: null,
        }))),
      });
      if (!id) throw new ConflictError('you already answered in this session');
    }
    await evaluations.changeAnswers(id, opts.answers.map((a) => ({
      questionId: a.questionId, reviewedValue: a.value, comment: a.comment ?? null, commentMs: a.commentMs ?? null,
    })), opts.user.id);
    await evaluations.update(id, { result: score, status: 'reviewed', reviewerId: opts.user.id, reviewed: true });
    if (opts.reference) await repo.setReference(session.id, id);
    await createAuditRepo(tx).append({
      actorId: opts.user.id, action: opts.reference ? 'calibration.reference_set' : 'calibration.submitted', targetType: 'calibration', targetId: session.id,
      details: { evaluationId: id, overall: score.overall, answers: Object.fromEntries(opts.answers.map((a) => [a.questionId, a.value])) },
    });
    return id;
  });
}

/** Closes the session: from now on everyone in it sees every answer and the report. */
export async function closeCalibration(db: Db, opts: { sessionId: string; user: User }): Promise<CalibrationSession> {
  return db.transaction(async (tx) => {
    const { session } = await loadSession(tx, opts.sessionId, true);
    requireLead(session, opts.user);
    const repo = createCalibrationRepo(tx);
    if (!(await repo.close(session.id))) throw new ConflictError('this calibration session is closed already');
    await createAuditRepo(tx).append({
      actorId: opts.user.id, action: 'calibration.closed', targetType: 'calibration', targetId: session.id, details: { submissions: session.submissions },
    });
    return (await repo.get(session.id))!;
  });
}

export interface CalibrationSubmission {
  evaluationId: string;
  reviewer: { id: string; username: string } | null;
  reference: boolean;
  overall: number | null;
  passed: boolean | null;
  answers: { questionId: string; value: AnswerValue | null; comment: string | null; commentMs: number | null }[];
}

/** Every submission of a session (reference key included), in submission order. */
export async function calibrationSubmissions(db: Queryable, session: CalibrationSession): Promise<CalibrationSubmission[]> {
  const evaluations = createEvaluationRepo(db);
  const page = await evaluations.list({ calibrationId: session.id, kinds: ['calibration'] }, { kind: 'all' }, { limit: 500, offset: 0 });
  const out: CalibrationSubmission[] = [];
  for (const e of page.items.reverse()) {
    out.push({
      evaluationId: e.id, reviewer: e.reviewer, reference: e.id === session.referenceEvaluationId, overall: e.overall, passed: e.passed,
      answers: (await evaluations.answers(e.id)).map((a) => ({ questionId: a.questionId, value: a.value, comment: a.comment, commentMs: a.commentMs })),
    });
  }
  return out;
}

/**
 * The session as `user` may see it: while open, their own answers only (blind; who has submitted is shown), once
 * closed every submission.
 */
export async function calibrationView(db: Queryable, id: string, user: User): Promise<CalibrationSession & {
  reviewers: { id: string; username: string }[]; submissions: number; visible: CalibrationSubmission[];
}> {
  const { session } = await loadSession(db, id);
  const all = await calibrationSubmissions(db, session);
  const visible = session.status === 'closed' ? all : all.filter((s) => s.reviewer?.id === user.id);
  return {
    ...session, reviewers: all.filter((s) => !s.reference && s.reviewer).map((s) => s.reviewer!), visible,
  };
}

export { loadSession as loadCalibration };
