import { setImmediate as yieldToLoop } from 'node:timers/promises';
import {
  createCallRepo, createEvaluationRepo, createScorecardRepo, createTranscriptRepo, type CallRecord, type Db, type EvaluationRecord,
  type NewEvaluation, type ScorecardVersion, type StoredMetrics, type StoredSegment,
} from '../../store/index.js';
import { appliesTo, evaluateCall, prepareCall, type EvaluationInput } from '../index.js';
import { callInfo } from './store-evaluation.js';

/** What `evaluateStoredCall` did for one call of a batch: the evaluations it stored, or the error that stopped it. */
export interface StoredCallOutcome {
  callId: string;
  evaluations: EvaluationRecord[];
  error?: unknown;
}

export interface StoredCallsOptions {
  /** Default: every active version (read once); each call is scored against those whose card applies to it. */
  versions?: readonly ScorecardVersion[];
  rescoreJobId?: string;
  /** Checked between calls: when aborted, the calls scored so far are stored and the rest left out of the result. */
  signal?: AbortSignal;
}

/** The same input `loadEvaluationInput` reads, from rows loaded for a whole batch. */
function inputOf(call: CallRecord, segments: readonly StoredSegment[], stored: StoredMetrics | undefined): EvaluationInput {
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
 * `evaluateStoredCall` for a page of calls in a few queries: the calls, which of them have an automatic evaluation
 * for a version already (not scored again), their segments and metrics; then every new evaluation and its answers
 * stored in one transaction (an evaluation another job stored meanwhile is skipped, as one by one). The same
 * evaluations, answers and evidence as calling `evaluateStoredCall` per call. Returns an outcome per call, in the
 * order given (unknown calls: none stored), yielding to the event loop after each call. A scoring error fails its call only; a database error rejects the
 * whole batch, with nothing stored.
 */
export async function evaluateStoredCalls(db: Db, callIds: readonly string[], opts: StoredCallsOptions = {}): Promise<StoredCallOutcome[]> {
  const evaluations = createEvaluationRepo(db);
  const transcripts = createTranscriptRepo(db);
  const allVersions = opts.versions ?? await createScorecardRepo(db).listActive();
  const calls = new Map((await createCallRepo(db).getMany(callIds, { kind: 'all' })).map((c) => [c.id, c]));
  const existing = new Set((await evaluations.autoEvaluated([...calls.keys()], allVersions.map((v) => v.id)))
    .map((k) => `${k.callId} ${k.scorecardVersionId}`));
  const toScore = new Map<string, ScorecardVersion[]>();
  for (const call of calls.values()) {
    const info = callInfo(call);
    // A version the call has an evaluation for stores nothing: one by one it would be scored, then skipped.
    const versions = allVersions.filter((v) => appliesTo(v.definition, info) && !existing.has(`${call.id} ${v.id}`));
    if (versions.length) toScore.set(call.id, versions);
  }
  const scoredIds = [...toScore.keys()];
  const segments = await transcripts.listSegmentsOfCalls(scoredIds);
  const metrics = await transcripts.getMetricsOfCalls(scoredIds);

  const outcomes: StoredCallOutcome[] = [];
  const pending: { outcome: StoredCallOutcome; evaluation: NewEvaluation }[] = [];
  for (const callId of callIds) {
    if (opts.signal?.aborted) break;
    const outcome: StoredCallOutcome = { callId, evaluations: [] };
    outcomes.push(outcome);
    const versions = toScore.get(callId);
    const call = calls.get(callId);
    if (!versions || !call) continue;
    try {
      const prepared = prepareCall(inputOf(call, segments.get(callId) ?? [], metrics.get(callId)));
      for (const v of versions) {
        const evaluation = evaluateCall(v.definition, prepared);
        pending.push({
          outcome,
          evaluation: {
            callId, scorecardVersionId: v.id, kind: 'auto', status: 'auto', rescoreJobId: opts.rescoreJobId ?? null,
            autoResult: evaluation.score, result: evaluation.score, needsReview: evaluation.needsReview.length > 0, answers: evaluation.answers,
          },
        });
      }
    } catch (err) {
      // One by one, the versions scored before the error are stored and the call reported failed.
      outcome.error = err;
    }
    // Scoring a call is a few milliseconds of CPU: let requests and audio through between calls.
    await yieldToLoop();
  }
  if (!pending.length) return outcomes;

  const ids = await db.transaction((tx) => createEvaluationRepo(tx).insertMany(pending.map((p) => p.evaluation)));
  const records = new Map((await evaluations.getMany(ids.filter((id): id is string => !!id), { kind: 'all' })).map((r) => [r.id, r]));
  pending.forEach((p, i) => {
    const record = records.get(ids[i] ?? '');
    if (record && p.outcome.error === undefined) p.outcome.evaluations.push(record);
  });
  return outcomes;
}
