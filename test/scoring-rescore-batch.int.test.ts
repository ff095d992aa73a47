import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../services/auth/index.js';
import { createLogger } from '../services/core/index.js';
import { createInProcessBus, type BusEvent } from '../services/live/index.js';
import { createRescoreRunner, evaluateStoredCall, evaluateStoredCalls, seedScorecards } from '../services/scoring/workflow/index.js';
import { computeConversationMetrics, createEnglishLexiconEngine, summarizeCallSentiment } from '../services/speech/index.js';
import { createScorecardRepo, createStore, createTranscriptRepo, migrate, type Db, type EvaluationRecord, type ScorecardVersion, type User } from '../services/store/index.js';
import { openTestDb } from './helpers/db.js';
import { GOOD_CALL, storeEndedCall, type Line } from './scoring-helpers.js';

const BAD_CALL: Line[] = [
  ['agent', 'yeah what do you want', 500, 2500],
  ['customer', 'my bill is wrong and i am really angry about it', 3000, 6500],
  ['agent', 'that is not my problem calm down', 7000, 9000],
  ['customer', 'this is terrible service', 9500, 11000],
];
const day = (d: number) => new Date(Date.UTC(2025, 2, d, 9));

/** Every stored evaluation with its answers, without ids and times: what a client can tell apart. */
async function snapshot(db: Db, opts: { versionId?: string } = {}) {
  return db.query(
    `select e.call_id, e.scorecard_version_id, e.kind, e.status, e.reviewer_id, e.calibration_id, e.auto_result, e.result, e.overall, e.passed,
       e.needs_review, e.reviewed_at, e.acknowledged_at,
       (select jsonb_agg(to_jsonb(x) - 'evaluation_id' order by x.position) from evaluation_answers x where x.evaluation_id = e.id) as answers
     from evaluations e where $1::uuid is null or e.scorecard_version_id = $1 order by e.call_id, e.scorecard_version_id`,
    [opts.versionId ?? null],
  );
}

const withoutIdentity = (e: EvaluationRecord) => ({ ...e, id: undefined, createdAt: undefined, updatedAt: undefined, rescoreJobId: undefined });

describe('re-scoring in batches', () => {
  let db: Db;
  let user: User;
  let active: ScorecardVersion[];
  const calls: string[] = [];

  beforeAll(async () => {
    db = await openTestDb();
    await migrate(db);
    await seedScorecards(db, { log: createLogger('silent') });
    active = await createScorecardRepo(db).listActive();
    user = await createAccount(db, { username: 'trainer-batch', displayName: 'Trainer', role: 'trainer', password: 'trainer-batch-password' });
    const lines: Line[][] = [GOOD_CALL, BAD_CALL, [], GOOD_CALL.slice(1), BAD_CALL.concat(GOOD_CALL.map(([s, t, a, b]) => [s, t, a + 12_000, b + 12_000]))];
    for (const [i, l] of lines.entries()) calls.push(await storeEndedCall(db, i % 2 ? 'agent-b1' : 'agent-b2', l, { startedAt: new Date(day(1).getTime() + i * 60_000) }));
    // Metrics and sentiment for two of them (the others have none, as after a failed transcription).
    const english = createEnglishLexiconEngine();
    for (const id of calls.slice(0, 2)) {
      const segments = (await createTranscriptRepo(db).listSegments(id)).map((s) => ({ ...s, final: true }));
      const endMs = Math.max(...segments.map((s) => s.endMs)) + 1000;
      await createStore(db).transcripts.saveMetrics(id, {
        metrics: computeConversationMetrics({ spans: segments, segments, endMs }),
        sentiment: summarizeCallSentiment(segments.map((s) => ({ ...s, sentiment: english.score(s.text) }))),
      });
    }
    // An outbound call: only the outbound card applies to it.
    const outbound = await storeEndedCall(db, 'agent-b1', GOOD_CALL, { startedAt: new Date(day(1).getTime() + 10 * 60_000) });
    const sales = await createStore(db).queues.findOrCreate('sales');
    await db.query(`update calls set direction = 'outbound', queue_id = $2 where id = $1`, [outbound, sales.id]);
    calls.push(outbound);
  });
  afterAll(async () => { await db?.close(); });

  it('stores exactly the evaluations, answers and evidence the per-call path stores, and skips them when run again', async () => {
    const one: EvaluationRecord[] = [];
    for (const id of calls) one.push(...await evaluateStoredCall(db, id));
    const perCall = await snapshot(db);
    expect(perCall.length).toBe(calls.length);
    expect(new Set(perCall.map((e) => e.scorecard_version_id)).size).toBe(2);
    expect(perCall.some((e) => (e.answers as { evidence: unknown[] }[]).some((a) => a.evidence.length > 0))).toBe(true);

    await db.query('delete from evaluations');
    const outcomes = await evaluateStoredCalls(db, [...calls, 'not-a-call', crypto.randomUUID()]);
    expect(await snapshot(db)).toEqual(perCall);
    expect(outcomes.map((o) => o.callId)).toEqual([...calls, 'not-a-call', expect.any(String)]);
    expect(outcomes.every((o) => o.error === undefined)).toBe(true);
    // The records returned (and announced) are the same, call by call in the order given.
    expect(outcomes.flatMap((o) => o.evaluations).map(withoutIdentity)).toEqual(one.map(withoutIdentity));

    // Again: every call and version has its evaluation, nothing is stored or returned.
    const again = await evaluateStoredCalls(db, calls);
    expect(again.flatMap((o) => o.evaluations)).toEqual([]);
    expect(await snapshot(db)).toEqual(perCall);
    // One call's evaluations gone: only those come back.
    await db.query('delete from evaluations where call_id = $1', [calls[1]]);
    const resumed = await evaluateStoredCalls(db, calls);
    expect(resumed.flatMap((o) => o.evaluations.map((e) => e.callId))).toEqual(perCall.filter((e) => e.call_id === calls[1]).map(() => calls[1]));
    expect(await snapshot(db)).toEqual(perCall);
  });

  it('a re-score job over pages stores what the per-call path stores, announces each evaluation, and stops between calls', async () => {
    const version = active.find((v) => v.scorecardId === 'inbound-support-en')!;
    await db.query('delete from evaluations where scorecard_version_id = $1', [version.id]);
    for (const id of calls) await evaluateStoredCall(db, id, { versions: [version] });
    const perCall = await snapshot(db, { versionId: version.id });
    expect(perCall).toHaveLength(calls.length - 1);
    await db.query('delete from evaluations where scorecard_version_id = $1', [version.id]);
    const bus = createInProcessBus();
    const announced: string[] = [];
    bus.subscribe((e: BusEvent) => { if (e.type === 'evaluation.created') announced.push(e.callId); });
    const runner = createRescoreRunner({ db, bus, log: createLogger('silent'), pageSize: 2 });
    const job = await runner.start({ scorecardId: version.scorecardId, version: version.version, from: day(1), to: day(2), user });
    await runner.idle();
    expect(await snapshot(db, { versionId: version.id })).toEqual(perCall);
    expect(announced).toEqual(perCall.map((e) => e.call_id as string).sort((a, b) => calls.indexOf(a) - calls.indexOf(b)));
    const [row] = await db.query<{ status: string; total: number; done: number; failed: number }>('select status, total, done, failed from rescore_jobs where id = $1', [job.id]);
    // The outbound call is done too: the card does not apply to it.
    expect(row).toEqual({ status: 'done', total: calls.length, done: calls.length, failed: 0 });
    const [{ n }] = await db.query<{ n: number | string }>('select count(*) as n from evaluations where rescore_job_id = $1', [job.id]);
    expect(Number(n)).toBe(perCall.length);
    await runner.close();

    // Aborted while scoring a page: what was scored is stored, the rest is left out.
    await db.query('delete from evaluations where scorecard_version_id = $1', [version.id]);
    const abort = new AbortController();
    const partial = evaluateStoredCalls(db, calls, { versions: [version], signal: abort.signal });
    await new Promise((r) => setImmediate(r));
    abort.abort();
    const outcomes = await partial;
    expect(outcomes.length).toBeLessThan(calls.length);
    const [{ m }] = await db.query<{ m: number | string }>('select count(*) as m from evaluations where scorecard_version_id = $1', [version.id]);
    expect(Number(m)).toBe(outcomes.flatMap((o) => o.evaluations).length);
  });
});
