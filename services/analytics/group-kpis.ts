import type { CallScope, Queryable } from '../store/index.js';
import { FINAL_EVALUATIONS, selectCalls } from './call-selection.js';
import type { AgentKpis, AnalyticsFilter, GroupKpis, QaSummary, TeamKpis } from './types.js';

interface GroupRow {
  key: string | null; calls: number; aht_ms: number | null; evaluations: number; avg_score: number | null; judged: number; passed: number;
  csat_responses: number; csat_average: number | null;
}

/**
 * Calls, handle time, QA (final evaluations) and CSAT of the selected calls per `key` ('all' = one row for all of
 * them; rows whose agent or team is unknown are left out). The key is one of three fixed column names.
 */
async function kpisBy(db: Queryable, key: 'agent_id' | 'team_id' | 'all', filter: AnalyticsFilter, scope: CallScope): Promise<GroupRow[]> {
  const s = selectCalls(filter, scope);
  const k = key === 'all' ? 'null::uuid' : key;
  const known = key === 'all' ? '' : `where ${key} is not null`;
  return db.query<GroupRow>(
    `with scoped as (select c.id as call_id, c.agent_id, a.team_id, c.status, c.duration_ms ${s.fromWhere}),
     final as (${FINAL_EVALUATIONS}),
     by_call as (select ${k} as key, count(*)::int as calls,
         (avg(duration_ms) filter (where status = 'ended'))::double precision as aht_ms
       from scoped ${known} group by 1),
     by_eval as (select ${k} as key, count(score)::int as evaluations, avg(score) as avg_score,
         count(passed)::int as judged, count(*) filter (where passed)::int as passed
       from final ${known} group by 1),
     by_csat as (select ${k} as key, count(*)::int as csat_responses, avg(r.score)::double precision as csat_average
       from scoped join csat_responses r using (call_id) ${known} group by 1)
     select b.key, b.calls, b.aht_ms, coalesce(e.evaluations, 0) as evaluations, e.avg_score, coalesce(e.judged, 0) as judged,
       coalesce(e.passed, 0) as passed, coalesce(r.csat_responses, 0) as csat_responses, r.csat_average
     from by_call b
     left join by_eval e on e.key is not distinct from b.key
     left join by_csat r on r.key is not distinct from b.key`,
    s.where.params,
  );
}

const qa = (r: GroupRow): QaSummary => ({
  evaluations: r.evaluations, avgScore: r.avg_score, passRate: r.judged ? r.passed / r.judged : null,
});
const kpis = (r: GroupRow): GroupKpis => ({
  calls: r.calls, ahtMs: r.aht_ms, ...qa(r), csat: { responses: r.csat_responses, average: r.csat_average },
});

/** QA over all the selected calls (their final evaluations). */
export async function qaSummary(db: Queryable, filter: AnalyticsFilter, scope: CallScope): Promise<QaSummary> {
  const [row] = await kpisBy(db, 'all', filter, scope);
  return row ? qa(row) : { evaluations: 0, avgScore: null, passRate: null };
}

/** Per agent with calls in the selection, by name. */
export async function agentKpis(db: Queryable, filter: AnalyticsFilter, scope: CallScope): Promise<AgentKpis[]> {
  const rows = await kpisBy(db, 'agent_id', filter, scope);
  if (!rows.length) return [];
  const agents = await db.query<{ id: string; external_id: string; display_name: string; team_id: string | null; team_name: string | null }>(
    `select a.id, a.external_id, a.display_name, a.team_id, t.name as team_name from agents a left join teams t on t.id = a.team_id
     where a.id = any($1::uuid[])`,
    [rows.map((r) => r.key)],
  );
  const byId = new Map(agents.map((a) => [a.id, a]));
  return rows.flatMap((r) => {
    const a = byId.get(r.key ?? '');
    return a ? [{ agentId: a.id, externalId: a.external_id, name: a.display_name, teamId: a.team_id, teamName: a.team_name, ...kpis(r) }] : [];
  }).sort((x, y) => x.name.localeCompare(y.name) || x.externalId.localeCompare(y.externalId));
}

/** Per team with calls in the selection (by the agents' current team), by name. */
export async function teamKpis(db: Queryable, filter: AnalyticsFilter, scope: CallScope): Promise<TeamKpis[]> {
  const rows = await kpisBy(db, 'team_id', filter, scope);
  if (!rows.length) return [];
  const teams = await db.query<{ id: string; name: string }>('select id, name from teams where id = any($1::uuid[])', [rows.map((r) => r.key)]);
  const byId = new Map(teams.map((t) => [t.id, t.name]));
  return rows.flatMap((r) => {
    const name = byId.get(r.key ?? '');
    return name === undefined ? [] : [{ teamId: r.key ?? '', name, ...kpis(r) }];
  }).sort((x, y) => x.name.localeCompare(y.name));
}
