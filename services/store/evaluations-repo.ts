import { randomUUID } from 'node:crypto';
import type { AnswerValue, AutoAnswer, Evidence, ReviewReason, RuleOutcome, ScoreResult } from '../scoring/index.js';
import { callFilterWhere } from './calls-repo.js';
import { isUuid, toNumber, type Page, type PageRequest, type Queryable } from './rows.js';
import type { CallScope } from './scope.js';

export type EvaluationKind = 'auto' | 'review' | 'calibration';
export type EvaluationStatus = 'auto' | 'in-review' | 'reviewed' | 'acknowledged' | 'disputed';
export const EVALUATION_STATUSES: readonly EvaluationStatus[] = ['auto', 'in-review', 'reviewed', 'acknowledged', 'disputed'];

/** One question of a stored evaluation: the automatic answer with its evidence, and the reviewed one. */
export interface StoredAnswer {
  questionId: string;
  position: number;
  autoValue: AnswerValue | null;
  autoOutcome: RuleOutcome | null;
  autoConfidence: number | null;
  autoDetail: string | null;
  evidence: Evidence[];
  needsReview: boolean;
  reviewReason: ReviewReason | null;
  /** Set by a reviewer or an accepted dispute; null when the automatic answer stands. */
  reviewedValue: AnswerValue | null;
  /** The answer in force: `reviewedValue ?? autoValue`. */
  value: AnswerValue | null;
  comment: string | null;
  /** The call time (ms) the comment refers to. */
  commentMs: number | null;
  changedBy: { id: string; username: string } | null;
  changedAt: Date | null;
}

export interface EvaluationRecord {
  id: string;
  callId: string;
  kind: EvaluationKind;
  status: EvaluationStatus;
  scorecard: { id: string; name: string; versionId: string; version: number };
  reviewer: { id: string; username: string } | null;
  agent: { id: string; externalId: string; displayName: string; teamId: string | null; userId: string | null } | null;
  callStartedAt: Date;
  calibrationId: string | null;
  rescoreJobId: string | null;
  overall: number | null;
  passed: boolean | null;
  needsReview: boolean;
  autoResult: ScoreResult | null;
  result: ScoreResult;
  createdAt: Date;
  updatedAt: Date;
  reviewedAt: Date | null;
  acknowledgedAt: Date | null;
}

export interface NewEvaluation {
  callId: string;
  scorecardVersionId: string;
  kind: EvaluationKind;
  status: EvaluationStatus;
  reviewerId?: string | null;
  calibrationId?: string | null;
  rescoreJobId?: string | null;
  autoResult: ScoreResult | null;
  result: ScoreResult;
  needsReview: boolean;
  /** In question order; `value` is the automatic answer. */
  answers: readonly AutoAnswer[];
}

/** `agent` takes an agent id or external id, `team` an id or name; `from`/`to` bound the evaluation's creation. */
export interface EvaluationFilter {
  callId?: string;
  agent?: string;
  team?: string;
  scorecard?: string;
  status?: EvaluationStatus;
  kinds?: readonly EvaluationKind[];
  calibrationId?: string;
  from?: Date;
  to?: Date;
}

/** How reviewers treated one automatic question over recent reviewed evaluations. */
export interface QuestionTrust {
  questionId: string;
  /** Reviewed evaluations where the question had an automatic answer. */
  reviewed: number;
  kept: number;
  changed: number;
  /** changed / reviewed. */
  changeRate: number;
}

export interface AnswerChange {
  questionId: string;
  reviewedValue: AnswerValue | null;
  comment: string | null;
  commentMs: number | null;
}

interface EvalRow {
  id: string; call_id: string; kind: EvaluationKind; status: EvaluationStatus; scorecard_id: string; scorecard_name: string;
  scorecard_version_id: string; version: number; reviewer_id: string | null; reviewer_username: string | null;
  agent_id: string | null; agent_external_id: string | null; agent_display_name: string | null; agent_team_id: string | null; agent_user_id: string | null;
  call_started_at: Date; calibration_id: string | null; rescore_job_id: string | null; overall: number | null; passed: boolean | null;
  needs_review: boolean; auto_result: ScoreResult | null; result: ScoreResult; created_at: Date; updated_at: Date;
  reviewed_at: Date | null; acknowledged_at: Date | null;
}

interface AnswerRow {
  question_id: string; position: number; auto_value: AnswerValue | null; auto_outcome: RuleOutcome | null; auto_confidence: number | null;
  auto_detail: string | null; evidence: Evidence[]; needs_review: boolean; review_reason: ReviewReason | null; reviewed_value: AnswerValue | null;
  comment: string | null; comment_ms: number | null; changed_by: string | null; changed_by_username: string | null; changed_at: Date | null;
}

const FROM = `from evaluations e
  join scorecard_versions v on v.id = e.scorecard_version_id
  join scorecards s on s.id = v.scorecard_id
  left join users r on r.id = e.reviewer_id
  join calls c on c.id = e.call_id
  left join agents a on a.id = c.agent_id
  left join teams t on t.id = a.team_id
  left join queues q on q.id = c.queue_id`;
const SELECT = `select e.id, e.call_id, e.kind, e.status, s.id as scorecard_id, s.name as scorecard_name, e.scorecard_version_id, v.version,
  e.reviewer_id, r.username as reviewer_username, a.id as agent_id, a.external_id as agent_external_id, a.display_name as agent_display_name,
  a.team_id as agent_team_id, a.user_id as agent_user_id, c.started_at as call_started_at, e.calibration_id, e.rescore_job_id,
  e.overall, e.passed, e.needs_review, e.auto_result, e.result, e.created_at, e.updated_at, e.reviewed_at, e.acknowledged_at
  ${FROM}`;

const toRecord = (r: EvalRow): EvaluationRecord => ({
  id: r.id, callId: r.call_id, kind: r.kind, status: r.status,
  scorecard: { id: r.scorecard_id, name: r.scorecard_name, versionId: r.scorecard_version_id, version: toNumber(r.version) },
  reviewer: r.reviewer_id ? { id: r.reviewer_id, username: r.reviewer_username ?? '' } : null,
  agent: r.agent_id ? {
    id: r.agent_id, externalId: r.agent_external_id ?? '', displayName: r.agent_display_name ?? '', teamId: r.agent_team_id, userId: r.agent_user_id,
  } : null,
  callStartedAt: r.call_started_at, calibrationId: r.calibration_id, rescoreJobId: r.rescore_job_id,
  overall: r.overall, passed: r.passed, needsReview: r.needs_review, autoResult: r.auto_result, result: r.result,
  createdAt: r.created_at, updatedAt: r.updated_at, reviewedAt: r.reviewed_at, acknowledgedAt: r.acknowledged_at,
});

const toAnswer = (r: AnswerRow): StoredAnswer => ({
  questionId: r.question_id, position: r.position, autoValue: r.auto_value, autoOutcome: r.auto_outcome, autoConfidence: r.auto_confidence,
  autoDetail: r.auto_detail, evidence: r.evidence, needsReview: r.needs_review, reviewReason: r.review_reason,
  reviewedValue: r.reviewed_value, value: r.reviewed_value ?? r.auto_value, comment: r.comment, commentMs: r.comment_ms,
  changedBy: r.changed_by ? { id: r.changed_by, username: r.changed_by_username ?? '' } : null, changedAt: r.changed_at,
});

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

const answerRows = (answers: readonly AutoAnswer[]) => answers.map((a, i) => ({
  question_id: a.questionId, position: i, auto_value: a.value, auto_outcome: a.outcome, auto_confidence: a.confidence,
  auto_detail: a.detail, evidence: a.evidence, needs_review: a.needsReview, review_reason: a.reviewReason,
}));

const ANSWER_COLUMNS = `question_id text, position integer, auto_value jsonb, auto_outcome text, auto_confidence double precision,
  auto_detail text, evidence jsonb, needs_review boolean, review_reason text`;

/** Evaluations of calls, their answers and results. Reads are scoped like calls (out of scope = not found). */
export function createEvaluationRepo(db: Queryable) {
  const where = (filter: EvaluationFilter, scope: CallScope) => {
    const w = callFilterWhere({ agent: filter.agent, team: filter.team }, scope);
    if (filter.callId) w.add(isUuid(filter.callId) ? `e.call_id = ${w.param(filter.callId)}` : 'false');
    if (filter.scorecard) w.add(`s.id = ${w.param(filter.scorecard)}`);
    if (filter.status) w.add(`e.status = ${w.param(filter.status)}`);
    if (filter.kinds) w.add(`e.kind = any(${w.param(filter.kinds)}::text[])`);
    if (filter.calibrationId) w.add(isUuid(filter.calibrationId) ? `e.calibration_id = ${w.param(filter.calibrationId)}` : 'false');
    if (filter.from) w.add(`e.created_at >= ${w.param(filter.from)}`);
    if (filter.to) w.add(`e.created_at < ${w.param(filter.to)}`);
    return w;
  };
  return {
    /**
     * Stores an evaluation with its answers. An automatic one is stored once per call and version: returns
     * undefined when it already exists. Run inside a transaction.
     */
    async insert(e: NewEvaluation): Promise<string | undefined> {
      const [row] = await db.query<{ id: string }>(
        `insert into evaluations (call_id, scorecard_version_id, kind, status, reviewer_id, calibration_id, rescore_job_id, auto_result, result,
           overall, passed, needs_review)
         values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11, $12)
         on conflict do nothing returning id`,
        [e.callId, e.scorecardVersionId, e.kind, e.status, e.reviewerId ?? null, e.calibrationId ?? null, e.rescoreJobId ?? null,
          json(e.autoResult), JSON.stringify(e.result), e.result.overall, e.result.passed, e.needsReview],
      );
      if (!row) return undefined;
      const answers = answerRows(e.answers);
      await db.query(
        `insert into evaluation_answers (evaluation_id, question_id, position, auto_value, auto_outcome, auto_confidence, auto_detail, evidence,
           needs_review, review_reason)
         select $1, x.question_id, x.position, nullif(x.auto_value, 'null'::jsonb), x.auto_outcome, x.auto_confidence, x.auto_detail,
           coalesce(x.evidence, '[]'::jsonb), x.needs_review, x.review_reason
         from jsonb_to_recordset($2::jsonb) as x(question_id text, position integer, auto_value jsonb, auto_outcome text,
           auto_confidence double precision, auto_detail text, evidence jsonb, needs_review boolean, review_reason text)`,
        [row.id, JSON.stringify(answers)],
      );
      return row.id;
    },
    /**
     * insert for many evaluations in two statements: returns, in the order given, each one's id, or undefined when it
     * was not stored (an automatic one the call and version have already, also earlier in `es`). Each row gets its own
     * creation time, in the order given, as if stored one by one. Run inside a transaction.
     */
    async insertMany(es: readonly NewEvaluation[]): Promise<(string | undefined)[]> {
      if (!es.length) return [];
      const ids = es.map(() => randomUUID());
      const rows = es.map((e, i) => ({
        id: ids[i], call_id: e.callId, scorecard_version_id: e.scorecardVersionId, kind: e.kind, status: e.status, reviewer_id: e.reviewerId ?? null,
        calibration_id: e.calibrationId ?? null, rescore_job_id: e.rescoreJobId ?? null, auto_result: e.autoResult, result: e.result,
        overall: e.result.overall, passed: e.result.passed, needs_review: e.needsReview,
      }));
      // The subquery is not flattened (a volatile target list): clock_timestamp() is read once per row, in array order.
      const stored = await db.query<{ id: string }>(
        `insert into evaluations (id, call_id, scorecard_version_id, kind, status, reviewer_id, calibration_id, rescore_job_id, auto_result, result,
           overall, passed, needs_review, created_at, updated_at)
         select x.id, x.call_id, x.scorecard_version_id, x.kind, x.status, x.reviewer_id, x.calibration_id, x.rescore_job_id,
           nullif(x.auto_result, 'null'::jsonb), x.result, x.overall, x.passed, x.needs_review, x.ts, x.ts
         from (select y.*, clock_timestamp() as ts from jsonb_to_recordset($1::jsonb) as y(id uuid, call_id uuid, scorecard_version_id uuid,
           kind text, status text, reviewer_id uuid, calibration_id uuid, rescore_job_id uuid, auto_result jsonb, result jsonb,
           overall double precision, passed boolean, needs_review boolean)) x
         on conflict do nothing returning id`,
        [JSON.stringify(rows)],
      );
      const inserted = new Set(stored.map((r) => r.id));
      const answers = es.flatMap((e, i) => (inserted.has(ids[i]) ? answerRows(e.answers).map((a) => ({ evaluation_id: ids[i], ...a })) : []));
      if (answers.length) {
        await db.query(
          `insert into evaluation_answers (evaluation_id, question_id, position, auto_value, auto_outcome, auto_confidence, auto_detail, evidence,
             needs_review, review_reason)
           select x.evaluation_id, x.question_id, x.position, nullif(x.auto_value, 'null'::jsonb), x.auto_outcome, x.auto_confidence, x.auto_detail,
             coalesce(x.evidence, '[]'::jsonb), x.needs_review, x.review_reason
           from jsonb_to_recordset($1::jsonb) as x(evaluation_id uuid, ${ANSWER_COLUMNS})`,
          [JSON.stringify(answers)],
        );
      }
      return ids.map((id) => (inserted.has(id) ? id : undefined));
    },
    /** The call and version pairs among `callIds` × `versionIds` that have an automatic evaluation. */
    async autoEvaluated(callIds: readonly string[], versionIds: readonly string[]): Promise<{ callId: string; scorecardVersionId: string }[]> {
      const calls = callIds.filter(isUuid), versions = versionIds.filter(isUuid);
      if (!calls.length || !versions.length) return [];
      const rows = await db.query<{ call_id: string; scorecard_version_id: string }>(
        `select call_id, scorecard_version_id from evaluations
         where kind = 'auto' and call_id = any($1::uuid[]) and scorecard_version_id = any($2::uuid[])`,
        [calls, versions],
      );
      return rows.map((r) => ({ callId: r.call_id, scorecardVersionId: r.scorecard_version_id }));
    },
    /** The evaluations among `ids` whose calls `scope` may see (any order). */
    async getMany(ids: readonly string[], scope: CallScope): Promise<EvaluationRecord[]> {
      const valid = ids.filter(isUuid);
      if (!valid.length) return [];
      const w = where({}, scope);
      w.add(`e.id = any(${w.param(valid)}::uuid[])`);
      const rows = await db.query<EvalRow>(`${SELECT} ${w.sql()}`, w.params);
      return rows.map(toRecord);
    },
    /** The evaluation if `scope` may see its call. */
    async get(id: string, scope: CallScope): Promise<EvaluationRecord | undefined> {
      if (!isUuid(id)) return undefined;
      const w = where({}, scope);
      w.add(`e.id = ${w.param(id)}`);
      const [row] = await db.query<EvalRow>(`${SELECT} ${w.sql()}`, w.params);
      return row ? toRecord(row) : undefined;
    },
    /** Locks the evaluation row for the rest of the transaction (concurrent reviews and disputes queue up). */
    async lock(id: string): Promise<void> {
      if (isUuid(id)) await db.query('select id from evaluations where id = $1 for update', [id]);
    },
    async answers(evaluationId: string): Promise<StoredAnswer[]> {
      const rows = await db.query<AnswerRow>(
        `select x.question_id, x.position, x.auto_value, x.auto_outcome, x.auto_confidence, x.auto_detail, x.evidence, x.needs_review,
           x.review_reason, x.reviewed_value, x.comment, x.comment_ms, x.changed_by, u.username as changed_by_username, x.changed_at
         from evaluation_answers x left join users u on u.id = x.changed_by where x.evaluation_id = $1 order by x.position`,
        [evaluationId],
      );
      return rows.map(toAnswer);
    },
    /** Evaluations matching `filter` within `scope`, newest first. */
    async list(filter: EvaluationFilter, scope: CallScope, page: PageRequest): Promise<Page<EvaluationRecord>> {
      const w = where(filter, scope);
      const [{ n }] = await db.query<{ n: number | string }>(`select count(*) as n ${FROM} ${w.sql()}`, w.params);
      const rows = await db.query<EvalRow>(
        `${SELECT} ${w.sql()} order by e.created_at desc, e.id desc limit ${w.param(page.limit)} offset ${w.param(page.offset)}`, w.params,
      );
      return { items: rows.map(toRecord), total: toNumber(n), limit: page.limit, offset: page.offset };
    },
    /**
     * Trust in automation: per automatically answered question of `scorecardId` (any version), how often the
     * answer in force after review (and accepted disputes) kept or changed it, over the `last` reviewed automatic evaluations.
     */
    async trust(scorecardId: string, last: number): Promise<{ evaluations: number; questions: QuestionTrust[] }> {
      const recent = `select e.id from evaluations e join scorecard_versions v on v.id = e.scorecard_version_id
        where v.scorecard_id = $1 and e.kind = 'auto' and e.reviewed_at is not null order by e.reviewed_at desc, e.id desc limit $2`;
      const [{ n }] = await db.query<{ n: number | string }>(`select count(*) as n from (${recent}) r`, [scorecardId, last]);
      const rows = await db.query<{ question_id: string; reviewed: number | string; changed: number | string }>(
        `select x.question_id, count(*) as reviewed,
           count(*) filter (where x.reviewed_value is not null and x.reviewed_value <> x.auto_value) as changed
         from evaluation_answers x join (${recent}) r on r.id = x.evaluation_id
         where x.auto_value is not null group by x.question_id order by x.question_id`,
        [scorecardId, last],
      );
      return {
        evaluations: toNumber(n),
        questions: rows.map((r) => {
          const [reviewed, changed] = [toNumber(r.reviewed), toNumber(r.changed)];
          return { questionId: r.question_id, reviewed, kept: reviewed - changed, changed, changeRate: reviewed ? changed / reviewed : 0 };
        }),
      };
    },
    /** Sets reviewed answers and comments. */
    async changeAnswers(evaluationId: string, changes: readonly AnswerChange[], by: string | null): Promise<void> {
      for (const ch of changes) {
        await db.query(
          `update evaluation_answers set reviewed_value = $3::jsonb, comment = $4, comment_ms = $5, changed_by = $6, changed_at = now()
           where evaluation_id = $1 and question_id = $2`,
          [evaluationId, ch.questionId, json(ch.reviewedValue), ch.comment, ch.commentMs, by],
        );
      }
    },
    /** Stores a new current result (and optionally status, reviewer and times). */
    async update(id: string, u: {
      result?: ScoreResult; status?: EvaluationStatus; reviewerId?: string | null; reviewed?: boolean; acknowledged?: boolean; needsReview?: boolean;
    }): Promise<void> {
      await db.query(
        `update evaluations set
           result = coalesce($2::jsonb, result),
           overall = case when $2::jsonb is null then overall else ($2::jsonb ->> 'overall')::double precision end,
           passed = case when $2::jsonb is null then passed else ($2::jsonb ->> 'passed')::boolean end,
           status = coalesce($3, status), reviewer_id = coalesce($4, reviewer_id),
           reviewed_at = case when $5 then now() else reviewed_at end,
           acknowledged_at = case when $6 then now() else acknowledged_at end,
           needs_review = coalesce($7, needs_review), updated_at = now()
         where id = $1`,
        [id, json(u.result), u.status ?? null, u.reviewerId ?? null, u.reviewed ?? false, u.acknowledged ?? false, u.needsReview ?? null],
      );
    },
  };
}

export type EvaluationRepo = ReturnType<typeof createEvaluationRepo>;
