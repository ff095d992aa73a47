import { isUuid, toNumber, type Queryable } from './rows.js';

export type RescoreJobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** A background re-scoring of past calls (started in [from, to)) against one published scorecard version. */
export interface RescoreJob {
  id: string;
  scorecard: { id: string; versionId: string; version: number };
  from: Date;
  to: Date;
  status: RescoreJobStatus;
  total: number;
  done: number;
  failed: number;
  /** Why the job failed, or the last per-call errors. */
  error: string | null;
  createdBy: { id: string; username: string } | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

interface Row {
  id: string; scorecard_id: string; scorecard_version_id: string; version: number; from_at: Date; to_at: Date; status: RescoreJobStatus;
  total: number; done: number; failed: number; error: string | null; created_by: string | null; created_by_username: string | null;
  created_at: Date; started_at: Date | null; finished_at: Date | null;
}

const SELECT = `select j.id, v.scorecard_id, j.scorecard_version_id, v.version, j.from_at, j.to_at, j.status, j.total, j.done, j.failed, j.error,
    j.created_by, u.username as created_by_username, j.created_at, j.started_at, j.finished_at
  from rescore_jobs j join scorecard_versions v on v.id = j.scorecard_version_id left join users u on u.id = j.created_by`;

const toJob = (r: Row): RescoreJob => ({
  id: r.id, scorecard: { id: r.scorecard_id, versionId: r.scorecard_version_id, version: toNumber(r.version) }, from: r.from_at, to: r.to_at,
  status: r.status, total: toNumber(r.total), done: toNumber(r.done), failed: toNumber(r.failed), error: r.error,
  createdBy: r.created_by ? { id: r.created_by, username: r.created_by_username ?? '' } : null,
  createdAt: r.created_at, startedAt: r.started_at, finishedAt: r.finished_at,
});

export function createRescoreJobRepo(db: Queryable) {
  const get = async (id: string): Promise<RescoreJob | undefined> => {
    if (!isUuid(id)) return undefined;
    const [row] = await db.query<Row>(`${SELECT} where j.id = $1`, [id]);
    return row ? toJob(row) : undefined;
  };
  return {
    get,
    async insert(j: { scorecardVersionId: string; from: Date; to: Date; createdBy: string }): Promise<string> {
      const [row] = await db.query<{ id: string }>(
        'insert into rescore_jobs (scorecard_version_id, from_at, to_at, created_by) values ($1, $2, $3, $4) returning id',
        [j.scorecardVersionId, j.from, j.to, j.createdBy],
      );
      return row.id;
    },
    async list(filter: { scorecardId?: string }, limit: number): Promise<RescoreJob[]> {
      const rows = filter.scorecardId
        ? await db.query<Row>(`${SELECT} where v.scorecard_id = $1 order by j.created_at desc limit $2`, [filter.scorecardId, limit])
        : await db.query<Row>(`${SELECT} order by j.created_at desc limit $1`, [limit]);
      return rows.map(toJob);
    },
    /** The ids of ended calls started in [from, to), oldest first. */
    async callsInRange(from: Date, to: Date): Promise<string[]> {
      const rows = await db.query<{ id: string }>(
        `select id from calls where started_at >= $1 and started_at < $2 and status <> 'live' order by started_at, id`, [from, to],
      );
      return rows.map((r) => r.id);
    },
    async started(id: string, total: number): Promise<void> {
      await db.query(`update rescore_jobs set status = 'running', total = $2, started_at = now() where id = $1`, [id, total]);
    },
    async progress(id: string, p: { done: number; failed: number; error: string | null }): Promise<void> {
      await db.query('update rescore_jobs set done = $2, failed = $3, error = $4 where id = $1', [id, p.done, p.failed, p.error]);
    },
    async finish(id: string, status: 'done' | 'failed' | 'cancelled', error: string | null): Promise<void> {
      await db.query(
        `update rescore_jobs set status = $2, error = coalesce($3, error), finished_at = now() where id = $1 and status in ('queued', 'running')`,
        [id, status, error],
      );
    },
    /** Marks every queued or running job failed with `reason` (after a stop that left them unfinished); returns their ids. */
    async failUnfinished(reason: string): Promise<string[]> {
      const rows = await db.query<{ id: string }>(
        `update rescore_jobs set status = 'failed', error = $1, finished_at = now() where status in ('queued', 'running') returning id`, [reason],
      );
      return rows.map((r) => r.id);
    },
  };
}

export type RescoreJobRepo = ReturnType<typeof createRescoreJobRepo>;
