import type { Queryable } from './rows.js';

export interface TeamSupervisor { id: string; username: string; displayName: string }

export interface Team {
  id: string;
  name: string;
  createdAt: Date;
  supervisors: TeamSupervisor[];
  agentCount: number;
}

interface Row { id: string; name: string; created_at: Date; supervisors: TeamSupervisor[]; agent_count: number }
const toTeam = (r: Row): Team => ({
  id: r.id, name: r.name, createdAt: r.created_at, supervisors: r.supervisors, agentCount: r.agent_count,
});

const SELECT = `
  select t.id, t.name, t.created_at,
    coalesce((select json_agg(json_build_object('id', u.id, 'username', u.username, 'displayName', u.display_name) order by u.username)
              from team_supervisors ts join users u on u.id = ts.user_id where ts.team_id = t.id), '[]'::json) as supervisors,
    (select count(*)::int from agents a where a.team_id = t.id) as agent_count
  from teams t`;

export function createTeamRepo(db: Queryable) {
  const get = async (id: string): Promise<Team | undefined> => {
    const [row] = await db.query<Row>(`${SELECT} where t.id = $1`, [id]);
    return row ? toTeam(row) : undefined;
  };
  return {
    get,
    async findByName(name: string): Promise<Team | undefined> {
      const [row] = await db.query<Row>(`${SELECT} where t.name = $1`, [name]);
      return row ? toTeam(row) : undefined;
    },
    /** Creates a team; undefined when the name is taken. */
    async create(name: string): Promise<Team | undefined> {
      const [row] = await db.query<{ id: string }>('insert into teams (name) values ($1) on conflict (name) do nothing returning id', [name]);
      return row ? get(row.id) : undefined;
    },
    async list(): Promise<Team[]> {
      return (await db.query<Row>(`${SELECT} order by t.name`)).map(toTeam);
    },
    /** Adds a supervisor to a team (idempotent). */
    async addSupervisor(teamId: string, userId: string): Promise<void> {
      await db.query('insert into team_supervisors (team_id, user_id) values ($1, $2) on conflict do nothing', [teamId, userId]);
    },
    /** False when the user did not supervise the team. */
    async removeSupervisor(teamId: string, userId: string): Promise<boolean> {
      return (await db.query('delete from team_supervisors where team_id = $1 and user_id = $2 returning team_id', [teamId, userId])).length > 0;
    },
    async supervisedTeamIds(userId: string): Promise<string[]> {
      return (await db.query<{ team_id: string }>('select team_id from team_supervisors where user_id = $1', [userId])).map((r) => r.team_id);
    },
  };
}

export type TeamRepo = ReturnType<typeof createTeamRepo>;
