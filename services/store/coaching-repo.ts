import { createWhere, isUuid, toNumber, type Page, type PageRequest, type Queryable } from './rows.js';
import { scopeCondition, type CallScope } from './scope.js';

export type CoachingStatus = 'open' | 'done';

/** A coaching item: something an agent is to work on, from an evaluation (question, call time), with a due date. */
export interface CoachingItem {
  id: string;
  agent: { id: string; externalId: string; displayName: string; teamId: string | null; teamName: string | null; userId: string | null };
  callId: string | null;
  evaluationId: string | null;
  questionId: string | null;
  /** The call time (ms from its start) the item refers to. */
  callMs: number | null;
  note: string;
  /** YYYY-MM-DD, or null. */
  dueDate: string | null;
  status: CoachingStatus;
  /** Open and past its due date (in UTC). */
  overdue: boolean;
  createdBy: { id: string; username: string } | null;
  createdAt: Date;
  doneAt: Date | null;
}

export interface NewCoachingItem {
  agentId: string;
  callId: string | null;
  evaluationId: string | null;
  questionId: string | null;
  callMs: number | null;
  note: string;
  dueDate: string | null;
  createdBy: string;
}

export interface CoachingFilter {
  status?: CoachingStatus;
  /** Team id or name. */
  team?: string;
  evaluationId?: string;
  overdue?: boolean;
}

interface Row {
  id: string; agent_id: string; agent_external_id: string; agent_display_name: string; agent_team_id: string | null; team_name: string | null;
  agent_user_id: string | null; call_id: string | null; evaluation_id: string | null; question_id: string | null; call_ms: number | null;
  note: string; due_date: string | null; status: CoachingStatus; overdue: boolean; created_by: string | null; created_by_username: string | null;
  created_at: Date; done_at: Date | null;
}

const OVERDUE = `(k.status = 'open' and k.due_date is not null and k.due_date < (now() at time zone 'utc')::date)`;
const FROM = `from coaching_items k join agents a on a.id = k.agent_id left join teams t on t.id = a.team_id left join users u on u.id = k.created_by`;
const SELECT = `select k.id, k.agent_id, a.external_id as agent_external_id, a.display_name as agent_display_name, a.team_id as agent_team_id,
    t.name as team_name, a.user_id as agent_user_id, k.call_id, k.evaluation_id, k.question_id, k.call_ms, k.note,
    to_char(k.due_date, 'YYYY-MM-DD') as due_date, k.status, ${OVERDUE} as overdue, k.created_by, u.username as created_by_username,
    k.created_at, k.done_at
  ${FROM}`;

const toItem = (r: Row): CoachingItem => ({
  id: r.id,
  agent: { id: r.agent_id, externalId: r.agent_external_id, displayName: r.agent_display_name, teamId: r.agent_team_id, teamName: r.team_name, userId: r.agent_user_id },
  callId: r.call_id, evaluationId: r.evaluation_id, questionId: r.question_id, callMs: r.call_ms === null ? null : toNumber(r.call_ms), note: r.note,
  dueDate: r.due_date, status: r.status, overdue: !!r.overdue,
  createdBy: r.created_by ? { id: r.created_by, username: r.created_by_username ?? '' } : null, createdAt: r.created_at, doneAt: r.done_at,
});

/** Coaching items. Reads are scoped like calls, through the agent: supervisors see their teams', agents their own. */
export function createCoachingRepo(db: Queryable) {
  return {
    async insert(items: readonly NewCoachingItem[]): Promise<string[]> {
      const ids: string[] = [];
      for (const k of items) {
        const [row] = await db.query<{ id: string }>(
          `insert into coaching_items (agent_id, call_id, evaluation_id, question_id, call_ms, note, due_date, created_by)
           values ($1, $2, $3, $4, $5, $6, $7::date, $8) returning id`,
          [k.agentId, k.callId, k.evaluationId, k.questionId, k.callMs, k.note, k.dueDate, k.createdBy],
        );
        ids.push(row.id);
      }
      return ids;
    },
    async get(id: string, scope: CallScope): Promise<CoachingItem | undefined> {
      if (!isUuid(id)) return undefined;
      const w = createWhere();
      w.add(`k.id = ${w.param(id)}`);
      w.add(scopeCondition(scope, 'a', w));
      const [row] = await db.query<Row>(`${SELECT} ${w.sql()}`, w.params);
      return row ? toItem(row) : undefined;
    },
    async lock(id: string): Promise<void> {
      if (isUuid(id)) await db.query('select id from coaching_items where id = $1 for update', [id]);
    },
    /** Items within `scope`: open ones by due date (none last), then done ones newest first. */
    async list(filter: CoachingFilter, scope: CallScope, page: PageRequest): Promise<Page<CoachingItem>> {
      const w = createWhere();
      w.add(scopeCondition(scope, 'a', w));
      if (filter.status) w.add(`k.status = ${w.param(filter.status)}`);
      if (filter.team) w.add(isUuid(filter.team) ? `a.team_id = ${w.param(filter.team)}` : `t.name = ${w.param(filter.team)}`);
      if (filter.evaluationId) w.add(isUuid(filter.evaluationId) ? `k.evaluation_id = ${w.param(filter.evaluationId)}` : 'false');
      if (filter.overdue !== undefined) w.add(filter.overdue ? OVERDUE : `not ${OVERDUE}`);
      const [{ n }] = await db.query<{ n: number | string }>(`select count(*) as n ${FROM} ${w.sql()}`, w.params);
      const rows = await db.query<Row>(
        `${SELECT} ${w.sql()} order by (k.status = 'done'), k.due_date asc nulls last, k.created_at desc, k.id
         limit ${w.param(page.limit)} offset ${w.param(page.offset)}`, w.params,
      );
      return { items: rows.map(toItem), total: toNumber(n), limit: page.limit, offset: page.offset };
    },
    /** Open items per team within `scope` (agents without a team under null), with how many are overdue. */
    async openByTeam(scope: CallScope): Promise<{ teamId: string | null; teamName: string | null; open: number; overdue: number }[]> {
      const w = createWhere();
      w.add(scopeCondition(scope, 'a', w));
      w.add(`k.status = 'open'`);
      const rows = await db.query<{ team_id: string | null; team_name: string | null; open: number | string; overdue: number | string }>(
        `select a.team_id, t.name as team_name, count(*) as open, count(*) filter (where ${OVERDUE}) as overdue
         ${FROM} ${w.sql()} group by a.team_id, t.name order by t.name nulls last`, w.params,
      );
      return rows.map((r) => ({ teamId: r.team_id, teamName: r.team_name, open: toNumber(r.open), overdue: toNumber(r.overdue) }));
    },
    /** Sets the status; false when it already had it. */
    async setStatus(id: string, status: CoachingStatus): Promise<boolean> {
      const rows = await db.query(
        `update coaching_items set status = $2, done_at = case when $2 = 'done' then now() else null end where id = $1 and status <> $2 returning id`,
        [id, status],
      );
      return rows.length > 0;
    },
  };
}

export type CoachingRepo = ReturnType<typeof createCoachingRepo>;
