import { Hono } from 'hono';
import { z } from 'zod';
import type { AuthEnv } from '../../auth/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/index.js';
import { createStore, type Queryable } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { auditAction } from './audit.js';
import { readJson, readQuery, uuid, uuidParam } from './http.js';

const createBody = z.object({
  externalId: z.string().trim().min(1).max(200),
  displayName: z.string().trim().min(1).max(200).optional(),
  teamId: uuid().nullable().optional(),
  userId: uuid().nullable().optional(),
});
const patchBody = z.object({
  displayName: z.string().trim().min(1).max(200).optional(),
  teamId: uuid().nullable().optional(),
  userId: uuid().nullable().optional(),
}).strict();

async function checkTeam(db: Queryable, teamId: string | null | undefined): Promise<void> {
  if (teamId && !(await createStore(db).teams.get(teamId))) throw new ValidationError('no team with this id', 'teamId');
}

/** A user may be linked when it exists, has the agent role and is not linked to another agent. */
async function checkLinkable(db: Queryable, userId: string | null | undefined, agentId?: string): Promise<void> {
  if (!userId) return;
  const store = createStore(db);
  const user = await store.users.findById(userId);
  if (!user) throw new ValidationError('no user with this id', 'userId');
  if (user.role !== 'agent') throw new ValidationError(`${user.username} does not have the agent role`, 'userId');
  const linked = await store.agents.findByUserId(userId);
  if (linked && linked.id !== agentId) throw new ConflictError(`${user.username} is already linked to agent ${linked.externalId}`);
}

/** Agents: GET / (?team=), POST /, PATCH /:id {displayName, teamId, userId}. Admin only. */
export function createAdminAgentRoutes(ctx: Pick<ServerContext, 'db'>): Hono<AuthEnv> {
  const { db } = ctx;
  const app = new Hono<AuthEnv>();

  app.get('/', async (c) => {
    const { team } = readQuery(c, z.object({ team: uuid().optional() }));
    return c.json({ items: await createStore(db).agents.list({ teamId: team }) });
  });

  app.post('/', async (c) => {
    const body = await readJson(c, createBody);
    const agent = await db.transaction(async (tx) => {
      await checkTeam(tx, body.teamId);
      await checkLinkable(tx, body.userId);
      const a = await createStore(tx).agents.create({ ...body, displayName: body.displayName ?? body.externalId });
      if (!a) throw new ConflictError(`agent ${body.externalId} already exists`);
      await auditAction(tx, c, 'agent.created', { type: 'agent', id: a.id }, { externalId: a.externalId, teamId: a.teamId, userId: a.userId });
      return a;
    });
    return c.json(agent, 201);
  });

  app.patch('/:id', async (c) => {
    const id = uuidParam(c, 'id', 'agent');
    const body = await readJson(c, patchBody);
    const agent = await db.transaction(async (tx) => {
      const { agents } = createStore(tx);
      let a = await agents.get(id);
      if (!a) throw new NotFoundError('agent');
      const target = { type: 'agent', id };
      if (body.displayName !== undefined && body.displayName !== a.displayName) {
        a = (await agents.setDisplayName(id, body.displayName)) ?? a;
        await auditAction(tx, c, 'agent.renamed', target, { externalId: a.externalId, displayName: a.displayName });
      }
      if (body.teamId !== undefined && body.teamId !== a.teamId) {
        await checkTeam(tx, body.teamId);
        const from = a.teamId;
        a = (await agents.setTeam(id, body.teamId)) ?? a;
        await auditAction(tx, c, 'agent.team_assigned', target, { externalId: a.externalId, from, to: a.teamId });
      }
      if (body.userId !== undefined && body.userId !== a.userId) {
        await checkLinkable(tx, body.userId, id);
        const from = a.userId;
        a = (await agents.linkUser(id, body.userId)) ?? a;
        await auditAction(tx, c, 'agent.user_linked', target, { externalId: a.externalId, from, to: a.userId });
      }
      return a;
    });
    return c.json(agent);
  });
  return app;
}
