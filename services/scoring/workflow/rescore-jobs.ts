import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { ConflictError, NotFoundError, ValidationError, type Logger } from '../../core/index.js';
import type { EventBus } from '../../live/index.js';
import { createAuditRepo, createRescoreJobRepo, createScorecardRepo, type Db, type RescoreJob, type ScorecardVersion, type User } from '../../store/index.js';
import { evaluateStoredCall, evaluationPayload } from './store-evaluation.js';
import { evaluateStoredCalls, type StoredCallOutcome } from './store-evaluations.js';

export interface RescoreRunnerOptions {
  db: Db;
  bus: EventBus;
  log: Logger;
  /** How often progress is written (default 250 ms; always at the end). */
  progressEveryMs?: number;
  /**
   * Calls read, scored and stored together (default 200 on PostgreSQL; 50 on PGlite, whose queries run on the event
   * loop: a page's inserts take a few milliseconds per call).
   */
  pageSize?: number;
}

export interface RescoreRunner {
  /** Creates a job (trainer/admin) and runs it in the background; resolves with the stored, queued job. */
  start(opts: { scorecardId: string; version: number; from: Date; to: Date; user: User }): Promise<RescoreJob>;
  /** Resolves when no job runs in this process. */
  idle(): Promise<void>;
  /**
   * Jobs left queued or running by a previous process that stopped without closing (a crash) are marked failed. Only
   * for a single node: with several nodes on one database another node may be running them.
   */
  failLeftovers(): Promise<string[]>;
  /** Stops running jobs between two calls and marks them failed ("interrupted: …", with progress kept). */
  close(): Promise<void>;
}

const MAX_ERRORS = 5;
export const INTERRUPTED = 'interrupted: the server shut down; start a new job for the same range to finish (calls already re-scored are skipped)';

/**
 * Re-scores past calls against one published version as a background job: ended calls started in [from, to), oldest
 * first, a page at a time (read in a few queries, stored in one transaction), yielding to the event loop between calls
 * and between pages; each call gets an automatic evaluation for the version unless it has one (so running a
 * job again resumes it). A page whose database work fails is retried one call at a time, so that errors name their
 * calls. Progress (total, done, failed, last errors) is stored as it goes.
 */
export function createRescoreRunner(opts: RescoreRunnerOptions): RescoreRunner {
  const { db, bus, log } = opts;
  const progressEveryMs = opts.progressEveryMs ?? 250;
  const pageSize = Math.max(1, opts.pageSize ?? (db.kind === 'pglite' ? 50 : 200));
  const jobs = createRescoreJobRepo(db);
  const running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  let closed = false;

  async function run(id: string, version: ScorecardVersion, from: Date, to: Date, signal: AbortSignal): Promise<void> {
    const log1 = log.child({ rescoreJobId: id, stage: 'rescore' });
    const calls = await jobs.callsInRange(from, to);
    await jobs.started(id, calls.length);
    log1.info({ scorecard: version.scorecardId, version: version.version, total: calls.length }, 're-score started');
    let done = 0, failed = 0, lastWrite = Date.now();
    const errors: string[] = [];
    const error = () => (errors.length ? `${failed} call(s) failed; last: ${errors.join('; ')}` : null);
    /** The per-call path, for a page whose batch failed. */
    async function oneByOne(page: readonly string[]): Promise<StoredCallOutcome[]> {
      const outcomes: StoredCallOutcome[] = [];
      for (const callId of page) {
        if (signal.aborted) break;
        try {
          outcomes.push({ callId, evaluations: await evaluateStoredCall(db, callId, { versions: [version], rescoreJobId: id }) });
        } catch (err) {
          outcomes.push({ callId, evaluations: [], error: err });
        }
        await yieldToLoop();
      }
      return outcomes;
    }
    for (let start = 0; start < calls.length && !signal.aborted; start += pageSize) {
      const page = calls.slice(start, start + pageSize);
      let outcomes: StoredCallOutcome[];
      try {
        outcomes = await evaluateStoredCalls(db, page, { versions: [version], rescoreJobId: id, signal });
      } catch (err) {
        log1.warn({ err, calls: page.length }, 'page not re-scored in one go: one call at a time');
        outcomes = await oneByOne(page);
      }
      for (const o of outcomes) {
        if (o.error === undefined) {
          for (const e of o.evaluations) bus.publish({ type: 'evaluation.created', callId: o.callId, evaluation: evaluationPayload(e) });
          done += 1;
        } else {
          failed += 1;
          errors.push(`${o.callId}: ${o.error instanceof Error ? o.error.message : String(o.error)}`);
          if (errors.length > MAX_ERRORS) errors.shift();
          log1.warn({ err: o.error, callId: o.callId }, 'call not re-scored');
        }
      }
      if (Date.now() - lastWrite >= progressEveryMs) {
        await jobs.progress(id, { done, failed, error: error() });
        lastWrite = Date.now();
      }
      // Let requests and audio through between pages (scoring a page yields between calls too).
      await yieldToLoop();
    }
    await jobs.progress(id, { done, failed, error: error() });
    if (signal.aborted) {
      await jobs.finish(id, 'failed', `${INTERRUPTED}; ${done} of ${calls.length} done`);
      log1.warn({ done, total: calls.length }, 're-score interrupted');
    } else {
      await jobs.finish(id, failed && !done ? 'failed' : 'done', null);
      log1.info({ done, failed, total: calls.length }, 're-score finished');
    }
  }

  return {
    async start(o) {
      if (closed) throw new ConflictError('the server is shutting down');
      if (!(o.from < o.to)) throw new ValidationError('"from" must be before "to"', 'from');
      const version = await createScorecardRepo(db).getVersion(o.scorecardId, o.version);
      if (!version) throw new NotFoundError('scorecard version');
      if (version.status !== 'published') throw new ConflictError('only a published version can re-score calls: publish it first');
      const id = await db.transaction(async (tx) => {
        const jobId = await createRescoreJobRepo(tx).insert({ scorecardVersionId: version.id, from: o.from, to: o.to, createdBy: o.user.id });
        await createAuditRepo(tx).append({
          actorId: o.user.id, action: 'scorecard.rescore_started', targetType: 'scorecard', targetId: version.scorecardId,
          details: { jobId, version: version.version, from: o.from.toISOString(), to: o.to.toISOString() },
        });
        return jobId;
      });
      const abort = new AbortController();
      const done = run(id, version, o.from, o.to, abort.signal).catch(async (err: unknown) => {
        log.error({ err, rescoreJobId: id }, 're-score failed');
        await jobs.finish(id, 'failed', err instanceof Error ? err.message : String(err)).catch(() => undefined);
      }).finally(() => running.delete(id));
      running.set(id, { abort, done });
      return (await jobs.get(id))!;
    },
    async idle() {
      while (running.size) await Promise.allSettled([...running.values()].map((r) => r.done));
    },
    async failLeftovers() {
      const ids = await jobs.failUnfinished('interrupted: the server stopped while the job ran; start a new job for the same range to finish');
      if (ids.length) log.warn({ jobs: ids }, 're-score jobs left unfinished by the previous run marked failed');
      return ids;
    },
    async close() {
      closed = true;
      for (const r of running.values()) r.abort.abort();
      while (running.size) await Promise.allSettled([...running.values()].map((r) => r.done));
    },
  };
}
