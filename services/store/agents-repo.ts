import { createWhere, type Queryable } from './rows.js';

/** The agent identity a phone platform sends, optionally linked to an agent user and placed in a team. */
export interface Agent {
  id: string;
  externalId: string;
  displayName: string;
  userId: string | null;
  teamId: string | null;
  createdAt: Date;
}

interface Row { id: string; external_id: string; display_name: string; user_id: string | null; team_id: string | null; created_at: Date }
const COLUMNS = 'id, external_id, display_name, user_id, team_id, created_at';
const toAgent = (r: Row): Agent => ({
  id: r.id, externalId: r.external_id, displayName: r.display_name, userId: r.user_id, teamId: r.team_id, createdAt: r.created_at,
});

export function createAgentRepo(db: Queryable) {
  const one = async (sql: string, params: unknown[]) => {
    const [row] = await db.query<Row>(sql, params);
    return row ? toAgent(row) : undefined;
  };
  return {
    /**
     * The agent with this platform id, created on first sight (safe under concurrent calls). A display name
     * given later replaces the placeholder (the external id) but never a name already set.
     */
    async findOrCreate(externalId: string, displayName?: string): Promise<Agent> {
      const agent = await one(
        `insert into agents (external_id, display_name) values ($1, $2)
         on conflict (external_id) do update set display_name = case
           when agents.display_name = agents.external_id then excluded.display_name else agents.display_name end
         returning ${COLUMNS}`,
        [externalId, displayName || externalId],
      );
      return agent as Agent;
    },
    /** Creates an agent; undefined when the external id is taken. */
    create(a: { externalId: string; displayName: string; teamId?: string | null; userId?: string | null }): Promise<Agent | undefined> {
      return one(
        `insert into agents (external_id, display_name, team_id, user_id) values ($1, $2, $3, $4)
         on conflict (external_id) do nothing returning ${COLUMNS}`,
        [a.externalId, a.displayName, a.teamId ?? null, a.userId ?? null],
      );
    },
    get(id: string): Promise<Agent | undefined> {
      return one(`select ${COLUMNS} from agents where id = $1`, [id]);
    },
    findByExternalId(externalId: string): Promise<Agent | undefined> {
      return one(`select ${COLUMNS} from agents where external_id = $1`, [externalId]);
    },
    findByUserId(userId: string): Promise<Agent | undefined> {
      return one(`select ${COLUMNS} from agents where user_id = $1`, [userId]);
    },
    async list(filter: { teamId?: string } = {}): Promise<Agent[]> {
      const w = createWhere();
      if (filter.teamId) w.add(`team_id = ${w.param(filter.teamId)}`);
      return (await db.query<Row>(`select ${COLUMNS} from agents ${w.sql()} order by external_id`, w.params)).map(toAgent);
    },
    setTeam(id: string, teamId: string | null): Promise<Agent | undefined> {
      return one(`update agents set team_id = $2 where id = $1 returning ${COLUMNS}`, [id, teamId]);
    },
    setDisplayName(id: string, displayName: string): Promise<Agent | undefined> {
      return one(`update agents set display_name = $2 where id = $1 returning ${COLUMNS}`, [id, displayName]);
    },
    /** Links the agent to a user (or unlinks with null). A user is linked to at most one agent: check `findByUserId` first. */
    linkUser(id: string, userId: string | null): Promise<Agent | undefined> {
      return one(`update agents set user_id = $2 where id = $1 returning ${COLUMNS}`, [id, userId]);
    },
  };
}

export type AgentRepo = ReturnType<typeof createAgentRepo>;
