import { NotFoundError, ValidationError } from '../../core/index.js';
import { createCallRepo, createScorecardRepo, type Queryable } from '../../store/index.js';
import { appliesTo, evaluateCall, parseScorecard, prepareCall, type Scorecard, type ScoreResult } from '../index.js';
import { callInfo, loadEvaluationInput } from './store-evaluation.js';

/** A score distribution over the previewed calls. */
export interface ScoreDistribution {
  /** Calls the card applies to. */
  calls: number;
  /** Calls with an overall score (something was scored). */
  scored: number;
  mean: number | null;
  passed: number;
  /** passed / scored; null when nothing was scored. */
  passRate: number | null;
  /** Ten buckets of 10 points: [0, 10), …, [90, 100]. */
  buckets: { from: number; to: number; count: number }[];
}

export interface PreviewOutcome { overall: number | null; passed: boolean | null }

export interface PreviewChange {
  callId: string;
  agent: { externalId: string; displayName: string } | null;
  startedAt: Date;
  /** The published version's automatic result (stored, or computed when the call has none); null when it does not apply. */
  old: PreviewOutcome | null;
  new: PreviewOutcome | null;
}

export interface ScorecardPreview {
  scorecardId: string;
  /** Calls looked at: ended calls with a final transcription, newest first. */
  considered: number;
  published: { version: number; distribution: ScoreDistribution } | null;
  draft: { distribution: ScoreDistribution };
  /** Calls whose pass/fail or score differs between the published version and the draft. */
  changes: PreviewChange[];
}

export interface PreviewOptions {
  scorecardId: string;
  source: string;
  /** How many recent calls to score (default 50). */
  last?: number;
  from?: Date;
  to?: Date;
}

const FINAL = ['done', 'not-transcribed', 'failed'];

export function distribution(outcomes: readonly (PreviewOutcome | null)[]): ScoreDistribution {
  const applied = outcomes.filter((o): o is PreviewOutcome => o !== null);
  const scores = applied.map((o) => o.overall).filter((v): v is number => v !== null);
  const passed = applied.filter((o) => o.passed === true).length;
  const buckets = Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, count: 0 }));
  for (const s of scores) buckets[Math.min(9, Math.max(0, Math.floor(s / 10)))].count += 1;
  return {
    calls: applied.length, scored: scores.length, mean: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
    passed, passRate: scores.length ? passed / scores.length : null, buckets,
  };
}

const outcome = (r: Pick<ScoreResult, 'overall' | 'passed'>): PreviewOutcome => ({ overall: r.overall, passed: r.passed });

function changed(a: PreviewOutcome | null, b: PreviewOutcome | null): boolean {
  if (!a || !b) return a !== b;
  if (a.passed !== b.passed) return true;
  if (a.overall === null || b.overall === null) return a.overall !== b.overall;
  return Math.abs(a.overall - b.overall) >= 0.01;
}

/**
 * Scores a draft scorecard (YAML, not stored) against recent ended calls and compares it with the card's published
 * version: its stored automatic results where the calls have them, computed otherwise. Stores nothing. Throws
 * `ScorecardError` (with every issue's line and field) when the draft does not validate.
 */
export async function previewScorecard(db: Queryable, opts: PreviewOptions): Promise<ScorecardPreview> {
  const card: Scorecard = parseScorecard(opts.source, 'scorecard.yaml');
  const repo = createScorecardRepo(db);
  if (!(await repo.exists(opts.scorecardId))) throw new NotFoundError('scorecard');
  if (card.id !== opts.scorecardId) throw new ValidationError(`the YAML's id "${card.id}" is not this scorecard's ("${opts.scorecardId}")`, 'id');
  const published = (await repo.listActive()).find((v) => v.scorecardId === opts.scorecardId) ?? null;
  const last = opts.last ?? 50;

  const params: unknown[] = [FINAL];
  let where = `c.status <> 'live' and c.transcription_status = any($1)`;
  if (opts.from) { params.push(opts.from); where += ` and c.started_at >= $${params.length}`; }
  if (opts.to) { params.push(opts.to); where += ` and c.started_at < $${params.length}`; }
  params.push(last);
  const ids = await db.query<{ id: string }>(`select c.id from calls c where ${where} order by c.started_at desc, c.id limit $${params.length}`, params);

  const stored = new Map<string, PreviewOutcome>();
  if (published && ids.length) {
    const rows = await db.query<{ call_id: string; auto_result: ScoreResult | null; overall: number | null; passed: boolean | null }>(
      `select call_id, auto_result, overall, passed from evaluations where scorecard_version_id = $1 and kind = 'auto' and call_id = any($2)`,
      [published.id, ids.map((r) => r.id)],
    );
    for (const r of rows) stored.set(r.call_id, r.auto_result ? outcome(r.auto_result) : { overall: r.overall, passed: r.passed });
  }

  const calls = createCallRepo(db);
  const olds: (PreviewOutcome | null)[] = [];
  const news: (PreviewOutcome | null)[] = [];
  const changes: PreviewChange[] = [];
  for (const { id } of ids) {
    const call = await calls.get(id, { kind: 'all' });
    if (!call) continue;
    const info = callInfo(call);
    const draftApplies = appliesTo(card, info);
    const publishedApplies = !!published && appliesTo(published.definition, info);
    if (!draftApplies && !publishedApplies) continue;
    let old: PreviewOutcome | null = publishedApplies ? stored.get(id) ?? null : null;
    let next: PreviewOutcome | null = null;
    if (draftApplies || (publishedApplies && !old)) {
      const prepared = prepareCall(await loadEvaluationInput(db, call));
      if (draftApplies) next = outcome(evaluateCall(card, prepared).score);
      if (publishedApplies && !old && published) old = outcome(evaluateCall(published.definition, prepared).score);
    }
    olds.push(old);
    news.push(next);
    if (published && changed(old, next)) {
      changes.push({
        callId: id, agent: call.agent ? { externalId: call.agent.externalId, displayName: call.agent.displayName } : null,
        startedAt: call.startedAt, old, new: next,
      });
    }
    // Scoring is CPU work: let other requests in between calls.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return {
    scorecardId: opts.scorecardId, considered: olds.length,
    published: published ? { version: published.version, distribution: distribution(olds) } : null,
    draft: { distribution: distribution(news) },
    changes,
  };
}
