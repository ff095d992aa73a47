/**
 * Demo mode's fixed data. Documented credentials (demo only — outside demo mode no account exists until
 * `npm run users -- create` makes one):
 *
 *   admin / admin-demo            trainer / trainer-demo        qa / qa-demo-1 (8 characters minimum)
 *   supervisor / supervisor-demo  (supervises team "Support A")
 *   agent / agent-demo            (linked to platform agent id "agent-1001", team "Support A")
 *
 * Teams: "Support A" = agent-1001, agent-1002 (supervisor: supervisor); "Sales B" = agent-2001, agent-2002.
 * Queues: sales, support, complaints, technical. Tap key "demo" = DEMO_TAP_KEY (all protocols, no signatures).
 */
import { createAccount, createTapKey, listTapKeys } from '../auth/index.js';
import { createStore, type Db, type Queryable, type Role } from '../store/index.js';

export const DEMO_TAP_KEY = 'tap_demo_callsight_not_for_production';

export const DEMO_USERS: readonly { username: string; password: string; role: Role; displayName: string }[] = [
  { username: 'admin', password: 'admin-demo', role: 'admin', displayName: 'Ada Admin' },
  { username: 'trainer', password: 'trainer-demo', role: 'trainer', displayName: 'Theo Trainer' },
  { username: 'qa', password: 'qa-demo-1', role: 'qa', displayName: 'Quinn QA' },
  { username: 'supervisor', password: 'supervisor-demo', role: 'supervisor', displayName: 'Sam Supervisor' },
  { username: 'agent', password: 'agent-demo', role: 'agent', displayName: 'Alex Agent' },
];

const TEAMS = [
  { name: 'Support A', supervisor: 'supervisor', agents: [['agent-1001', 'Alex Agent', 'agent'], ['agent-1002', 'Bea Baker', null]] },
  { name: 'Sales B', supervisor: null, agents: [['agent-2001', 'Chris Cole', null], ['agent-2002', 'Dana Diaz', null]] },
] as const;

const QUEUES = [['sales', 'sales'], ['support', 'support'], ['complaints', 'support'], ['technical', 'technical']] as const;

export interface DemoSeed {
  users: { username: string; password: string; role: Role }[];
  tapKey: { name: string; apiKey: string };
  /** What this run created (empty when everything already existed). */
  created: string[];
}

async function seedUsers(tx: Queryable, created: string[]): Promise<void> {
  const { users } = createStore(tx);
  for (const u of DEMO_USERS) {
    if (await users.findByUsername(u.username)) continue;
    await createAccount(tx, u);
    created.push(`user ${u.username}`);
  }
}

async function seedOrganisation(tx: Queryable, created: string[]): Promise<void> {
  const store = createStore(tx);
  for (const t of TEAMS) {
    let team = await store.teams.findByName(t.name);
    if (!team) {
      team = await store.teams.create(t.name);
      created.push(`team ${t.name}`);
    }
    if (!team) throw new Error(`cannot create demo team ${t.name}`);
    if (t.supervisor) {
      const sup = await store.users.findByUsername(t.supervisor);
      if (sup) await store.teams.addSupervisor(team.id, sup.id);
    }
    for (const [externalId, displayName, username] of t.agents) {
      const agent = await store.agents.findOrCreate(externalId, displayName);
      if (!agent.teamId) await store.agents.setTeam(agent.id, team.id);
      const user = username ? await store.users.findByUsername(username) : undefined;
      if (user && !agent.userId && !(await store.agents.findByUserId(user.id))) await store.agents.linkUser(agent.id, user.id);
    }
  }
  for (const [name, department] of QUEUES) await store.queues.findOrCreate(name, department);
}

/** Creates the demo users, teams, agents, queues and tap key when missing (idempotent) and returns the credentials to print. */
export async function seedDemo(db: Db): Promise<DemoSeed> {
  const created: string[] = [];
  await db.transaction(async (tx) => {
    await seedUsers(tx, created);
    await seedOrganisation(tx, created);
    if (!(await listTapKeys(tx)).some((k) => k.name === 'demo')) {
      await createTapKey(tx, { name: 'demo', apiKey: DEMO_TAP_KEY });
      created.push('tap key demo');
    }
    if (created.length) await createStore(tx).audit.append({ actorId: null, action: 'demo.seeded', details: { created } });
  });
  return {
    users: DEMO_USERS.map(({ username, password, role }) => ({ username, password, role })),
    tapKey: { name: 'demo', apiKey: DEMO_TAP_KEY },
    created,
  };
}
