import type { AnswerValue } from '../scoring/index.js';
import { isUuid, type Queryable } from './rows.js';

export type DisputeStatus = 'open' | 'accepted' | 'rejected';

/** An agent's objection to one answer of an evaluation, and how QA resolved it. */
export interface Dispute {
  id: string;
  evaluationId: string;
  questionId: string;
  raisedBy: { id: string; username: string } | null;
  reason: string;
  proposedValue: AnswerValue | null;
  status: DisputeStatus;
  resolutionReason: string | null;
  resolvedValue: AnswerValue | null;
  resolvedBy: { id: string; username: string } | null;
  resolvedAt: Date | null;
  createdAt: Date;
}

export interface NewDispute {
  evaluationId: string;
  questionId: string;
  raisedBy: string;
  reason: string;
  proposedValue: AnswerValue | null;
}

interface Row {
  id: string; evaluation_id: string; question_id: string; raised_by: string | null; raised_by_username: string | null; reason: string;
  proposed_value: AnswerValue | null; status: DisputeStatus; resolution_reason: string | null; resolved_value: AnswerValue | null;
  resolved_by: string | null; resolved_by_username: string | null; resolved_at: Date | null; created_at: Date;
}

const SELECT = `select d.id, d.evaluation_id, d.question_id, d.raised_by, ru.username as raised_by_username, d.reason, d.proposed_value, d.status,
    d.resolution_reason, d.resolved_value, d.resolved_by, su.username as resolved_by_username, d.resolved_at, d.created_at
  from disputes d left join users ru on ru.id = d.raised_by left join users su on su.id = d.resolved_by`;

const toDispute = (r: Row): Dispute => ({
  id: r.id, evaluationId: r.evaluation_id, questionId: r.question_id,
  raisedBy: r.raised_by ? { id: r.raised_by, username: r.raised_by_username ?? '' } : null,
  reason: r.reason, proposedValue: r.proposed_value, status: r.status, resolutionReason: r.resolution_reason, resolvedValue: r.resolved_value,
  resolvedBy: r.resolved_by ? { id: r.resolved_by, username: r.resolved_by_username ?? '' } : null, resolvedAt: r.resolved_at, createdAt: r.created_at,
});

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

/** Disputes of evaluation answers. At most one open dispute per question. Not scoped: check the evaluation first. */
export function createDisputeRepo(db: Queryable) {
  return {
    /** Undefined when the question already has an open dispute. */
    async insert(d: NewDispute): Promise<Dispute | undefined> {
      const [row] = await db.query<{ id: string }>(
        `insert into disputes (evaluation_id, question_id, raised_by, reason, proposed_value, created_at)
         values ($1, $2, $3, $4, $5::jsonb, clock_timestamp())
         on conflict do nothing returning id`,
        [d.evaluationId, d.questionId, d.raisedBy, d.reason, json(d.proposedValue)],
      );
      return row ? this.get(row.id) : undefined;
    },
    async get(id: string): Promise<Dispute | undefined> {
      if (!isUuid(id)) return undefined;
      const [row] = await db.query<Row>(`${SELECT} where d.id = $1`, [id]);
      return row ? toDispute(row) : undefined;
    },
    async lock(id: string): Promise<void> {
      if (isUuid(id)) await db.query('select id from disputes where id = $1 for update', [id]);
    },
    async listForEvaluation(evaluationId: string): Promise<Dispute[]> {
      const rows = await db.query<Row>(`${SELECT} where d.evaluation_id = $1 order by d.created_at, d.id`, [evaluationId]);
      return rows.map(toDispute);
    },
    /** Open disputes, oldest first (the QA queue). */
    async listOpen(limit: number): Promise<Dispute[]> {
      const rows = await db.query<Row>(`${SELECT} where d.status = 'open' order by d.created_at, d.id limit $1`, [limit]);
      return rows.map(toDispute);
    },
    async countOpen(evaluationId: string): Promise<number> {
      const [{ n }] = await db.query<{ n: number | string }>(
        `select count(*) as n from disputes where evaluation_id = $1 and status = 'open'`, [evaluationId],
      );
      return Number(n);
    },
    /** Resolves an open dispute; false when it is not open (any more). */
    async resolve(id: string, r: { status: 'accepted' | 'rejected'; reason: string | null; value: AnswerValue | null; by: string }): Promise<boolean> {
      const rows = await db.query(
        `update disputes set status = $2, resolution_reason = $3, resolved_value = $4::jsonb, resolved_by = $5, resolved_at = now()
         where id = $1 and status = 'open' returning id`,
        [id, r.status, r.reason, json(r.value), r.by],
      );
      return rows.length > 0;
    },
  };
}

export type DisputeRepo = ReturnType<typeof createDisputeRepo>;
