import { callFilterWhere, type CallScope, type Queryable } from '../store/index.js';
import type { FilterOptions } from './types.js';

/** The agents the viewer may see (a supervisor: those of their teams), their teams, and every queue. */
export async function filterOptions(db: Queryable, scope: CallScope): Promise<FilterOptions> {
  const w = callFilterWhere({}, scope); // only the scope's condition on agents a
  const agents = await db.query<{ id: string; external_id: string; display_name: string; team_id: string | null; team_name: string | null }>(
    `select a.id, a.external_id, a.display_name, a.team_id, t.name as team_name from agents a left join teams t on t.id = a.team_id
     ${w.sql()} order by a.display_name, a.external_id`,
    w.params,
  );
  const teams = new Map<string, string>();
  for (const a of agents) if (a.team_id && a.team_name !== null) teams.set(a.team_id, a.team_name);
  const queues = await db.query<{ id: string; name: string }>('select id, name from queues order by name');
  return {
    teams: [...teams].map(([id, name]) => ({ id, name })).sort((x, y) => x.name.localeCompare(y.name)),
    agents: agents.map((a) => ({ id: a.id, externalId: a.external_id, name: a.display_name, teamId: a.team_id })),
    queues,
  };
}
