import { AuthError, ConflictError, NotFoundError, ValidationError } from '../../core/index.js';
import type { BusEvent, EventBus } from '../../live/index.js';
import {
  createAuditRepo, createCoachingRepo, createEvaluationRepo, createScorecardRepo, type CallScope, type CoachingItem, type Db, type User,
} from '../../store/index.js';

export type CoachingPayload = Extract<BusEvent, { type: 'coaching.assigned' }>['item'];

/** A coaching item as the bus carries it. */
export const coachingPayload = (k: CoachingItem): CoachingPayload => ({
  id: k.id, evaluationId: k.evaluationId, questionId: k.questionId, callMs: k.callMs, note: k.note, dueDate: k.dueDate,
  agentExternalId: k.agent.externalId, agentUserId: k.agent.userId,
});

export interface CoachingRequest {
  /** A question of the evaluation's scorecard version, or none for the call as a whole. */
  questionId?: string | null;
  /** The call time (ms from its start) the item is about. */
  callMs?: number | null;
  note: string;
  /** YYYY-MM-DD. */
  dueDate?: string | null;
}

/**
 * Coaching items from an evaluation, assigned to the evaluated agent, each linked to a question and a call time.
 * The evaluation must be visible to `user` (supervisors: their teams). Audited and announced (`coaching.assigned`).
 */
export async function createCoachingItems(db: Db, bus: EventBus, opts: {
  evaluationId: string; user: User; scope: CallScope; items: readonly CoachingRequest[];
}): Promise<CoachingItem[]> {
  const { scope } = opts;
  const items = await db.transaction(async (tx) => {
    const evaluation = await createEvaluationRepo(tx).get(opts.evaluationId, scope);
    // Calibration answers are blind and not about coaching the agent.
    if (!evaluation) throw new NotFoundError('evaluation');
    if (evaluation.kind === 'calibration') throw new ConflictError('coaching follows from evaluations of the agent, not from calibration answers');
    if (!evaluation.agent) throw new ConflictError('the evaluated call has no agent to coach');
    const version = await createScorecardRepo(tx).getVersionById(evaluation.scorecard.versionId);
    const questions = new Set(version?.definition.sections.flatMap((s) => s.questions.map((q) => q.id)) ?? []);
    for (const [i, item] of opts.items.entries()) {
      if (item.questionId && !questions.has(item.questionId)) {
        throw new ValidationError(`scorecard "${evaluation.scorecard.id}" has no question "${item.questionId}"`, `items.${i}.questionId`);
      }
    }
    const repo = createCoachingRepo(tx);
    const ids = await repo.insert(opts.items.map((item) => ({
      agentId: evaluation.agent!.id, callId: evaluation.callId, evaluationId: evaluation.id, questionId: item.questionId ?? null,
      callMs: item.callMs ?? null, note: item.note, dueDate: item.dueDate ?? null, createdBy: opts.user.id,
    })));
    const audit = createAuditRepo(tx);
    const stored: CoachingItem[] = [];
    for (const id of ids) {
      const k = (await repo.get(id, { kind: 'all' }))!;
      stored.push(k);
      await audit.append({
        actorId: opts.user.id, action: 'coaching.assigned', targetType: 'coaching_item', targetId: id,
        details: { evaluationId: evaluation.id, callId: evaluation.callId, agentId: k.agent.id, questionId: k.questionId, callMs: k.callMs, dueDate: k.dueDate },
      });
    }
    return stored;
  });
  for (const k of items) bus.publish({ type: 'coaching.assigned', callId: k.callId ?? '', item: coachingPayload(k) });
  return items;
}

/** The agent the item is assigned to marks it done (or open again). */
export async function setCoachingStatus(db: Db, opts: { itemId: string; user: User; scope: CallScope; status: 'open' | 'done' }): Promise<CoachingItem> {
  return db.transaction(async (tx) => {
    const repo = createCoachingRepo(tx);
    await repo.lock(opts.itemId);
    const item = await repo.get(opts.itemId, opts.scope);
    if (!item) throw new NotFoundError('coaching item');
    if (item.agent.userId !== opts.user.id) throw new AuthError('only the coached agent can do this', 403);
    if (!(await repo.setStatus(item.id, opts.status))) throw new ConflictError(`this coaching item is ${opts.status} already`);
    await createAuditRepo(tx).append({
      actorId: opts.user.id, action: opts.status === 'done' ? 'coaching.done' : 'coaching.reopened', targetType: 'coaching_item', targetId: item.id,
      details: { status: { old: item.status, new: opts.status } },
    });
    return (await repo.get(item.id, { kind: 'all' }))!;
  });
}
