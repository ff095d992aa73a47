import { createWhere, isUuid, toNumber, type Queryable } from './rows.js';

export type CalibrationStatus = 'open' | 'closed';

/** A blind calibration: several reviewers score one call on one scorecard version; an optional reference answer key. */
export interface CalibrationSession {
  id: string;
  callId: string;
  scorecard: { id: string; name: string; versionId: string; version: number };
  title: string;
  status: CalibrationStatus;
  referenceEvaluationId: string | null;
  createdBy: { id: string; username: string } | null;
  createdAt: Date;
  closedAt: Date | null;
  /** Reviewers who have submitted (the reference key not counted). */
  submissions: number;
}

interface Row {
  id: string; call_id: string; scorecard_id: string; scorecard_name: string; scorecard_version_id: string; version: number; title: string;
  status: CalibrationStatus; reference_evaluation_id: string | null; created_by: string | null; created_by_username: string | null;
  created_at: Date; closed_at: Date | null; submissions: number | string;
}

const SELECT = `select k.id, k.call_id, s.id as scorecard_id, s.name as scorecard_name, k.scorecard_version_id, v.version, k.title, k.status,
    k.reference_evaluation_id, k.created_by, u.username as created_by_username, k.created_at, k.closed_at,
    (select count(*) from evaluations e where e.calibration_id = k.id and e.kind = 'calibration'
       and e.id is distinct from k.reference_evaluation_id) as submissions
  from calibration_sessions k join scorecard_versions v on v.id = k.scorecard_version_id join scorecards s on s.id = v.scorecard_id
  left join users u on u.id = k.created_by`;

const toSession = (r: Row): CalibrationSession => ({
  id: r.id, callId: r.call_id, scorecard: { id: r.scorecard_id, name: r.scorecard_name, versionId: r.scorecard_version_id, version: toNumber(r.version) },
  title: r.title, status: r.status, referenceEvaluationId: r.reference_evaluation_id,
  createdBy: r.created_by ? { id: r.created_by, username: r.created_by_username ?? '' } : null, createdAt: r.created_at, closedAt: r.closed_at,
  submissions: toNumber(r.submissions),
});

/** Calibration sessions (their answers are evaluations of kind 'calibration'). Not scoped: QA and admins only. */
export function createCalibrationRepo(db: Queryable) {
  const get = async (id: string): Promise<CalibrationSession | undefined> => {
    if (!isUuid(id)) return undefined;
    const [row] = await db.query<Row>(`${SELECT} where k.id = $1`, [id]);
    return row ? toSession(row) : undefined;
  };
  return {
    get,
    async insert(s: { callId: string; scorecardVersionId: string; title: string; createdBy: string }): Promise<string> {
      const [row] = await db.query<{ id: string }>(
        'insert into calibration_sessions (call_id, scorecard_version_id, title, created_by) values ($1, $2, $3, $4) returning id',
        [s.callId, s.scorecardVersionId, s.title, s.createdBy],
      );
      return row.id;
    },
    async lock(id: string): Promise<void> {
      if (isUuid(id)) await db.query('select id from calibration_sessions where id = $1 for update', [id]);
    },
    async list(filter: { status?: CalibrationStatus; callId?: string }, limit: number): Promise<CalibrationSession[]> {
      const w = createWhere();
      if (filter.status) w.add(`k.status = ${w.param(filter.status)}`);
      if (filter.callId) w.add(isUuid(filter.callId) ? `k.call_id = ${w.param(filter.callId)}` : 'false');
      const rows = await db.query<Row>(`${SELECT} ${w.sql()} order by k.created_at desc, k.id limit ${w.param(limit)}`, w.params);
      return rows.map(toSession);
    },
    async setReference(id: string, evaluationId: string): Promise<void> {
      await db.query('update calibration_sessions set reference_evaluation_id = $2 where id = $1', [id, evaluationId]);
    },
    /** Closes an open session; false when it is closed already. */
    async close(id: string): Promise<boolean> {
      const rows = await db.query(`update calibration_sessions set status = 'closed', closed_at = now() where id = $1 and status = 'open' returning id`, [id]);
      return rows.length > 0;
    },
    /** The calibration evaluation of `reviewerId` in the session, if any. */
    async evaluationOf(id: string, reviewerId: string): Promise<string | undefined> {
      const [row] = await db.query<{ id: string }>(
        `select id from evaluations where calibration_id = $1 and reviewer_id = $2 and kind = 'calibration'`, [id, reviewerId],
      );
      return row?.id;
    },
  };
}

export type CalibrationRepo = ReturnType<typeof createCalibrationRepo>;
