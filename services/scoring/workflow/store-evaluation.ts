import type { BusEvent } from '../../live/index.js';
import {
  createCallRepo, createEvaluationRepo, createScorecardRepo, createTranscriptRepo, type CallRecord, type Db, type EvaluationRecord,
  type Queryable, type ScorecardVersion,
} from '../../store/index.js';
import { appliesTo, evaluateCall, prepareCall, type CallInfo, type EvaluationInput } from '../index.js';

export type EvaluationPayload = Extract<BusEvent, { type: 'evaluation.created' }>['evaluation'];

/** An evaluation as the bus carries it. */
export const evaluationPayload = (e: EvaluationRecord): EvaluationPayload => ({
  id: e.id, scorecardId: e.scorecard.id, version: e.scorecard.version, kind: e.kind, status: e.status, overall: e.overall, passed: e.passed,
  needsReview: e.needsReview, agentExternalId: e.agent?.externalId ?? null, agentUserId: e.agent?.userId ?? null,
});

export function callInfo(call: CallRecord): CallInfo {
  return {
    id: call.id, direction: call.direction, queue: call.queue?.name ?? null, department: call.queue?.department ?? null,
    language: call.language, durationMs: call.durationMs, agentId: call.agent?.externalId ?? null,
  };
}

/** What scoring reads about a stored call: metadata, final segments (null without any), metrics and sentiment. */
export async function loadEvaluationInput(db: Queryable, call: CallRecord): Promise<EvaluationInput> {
  const transcripts = createTranscriptRepo(db);
  const segments = await transcripts.listSegments(call.id);
  const stored = await transcripts.getMetrics(call.id);
  return {
    call: callInfo(call),
    segments: segments.length ? segments.map((s) => ({
      id: s.id, utteranceId: s.utteranceId, speaker: s.speaker, text: s.text, startMs: s.startMs, endMs: s.endMs, words: s.words,
    })) : null,
    metrics: stored?.metrics ?? null,
    sentiment: stored?.sentiment ?? null,
  };
}

/**
 * Scores a stored call against `versions` (default: every active version whose card applies to it) and stores an
 * automatic evaluation per version, unless one exists already. Returns the evaluations stored by this call.
 */
export async function evaluateStoredCall(db: Db, callId: string, opts: { versions?: readonly ScorecardVersion[]; rescoreJobId?: string } = {}): Promise<EvaluationRecord[]> {
  const call = await createCallRepo(db).get(callId, { kind: 'all' });
  if (!call) return [];
  const info = callInfo(call);
  const versions = (opts.versions ?? await createScorecardRepo(db).listActive()).filter((v) => appliesTo(v.definition, info));
  if (!versions.length) return [];
  const prepared = prepareCall(await loadEvaluationInput(db, call));
  const stored: EvaluationRecord[] = [];
  for (const v of versions) {
    const evaluation = evaluateCall(v.definition, prepared);
    const id = await db.transaction(async (tx) => createEvaluationRepo(tx).insert({
      callId, scorecardVersionId: v.id, kind: 'auto', status: 'auto', rescoreJobId: opts.rescoreJobId ?? null,
      autoResult: evaluation.score, result: evaluation.score, needsReview: evaluation.needsReview.length > 0, answers: evaluation.answers,
    }));
    if (!id) continue;
    const record = await createEvaluationRepo(db).get(id, { kind: 'all' });
    if (record) stored.push(record);
  }
  return stored;
}
