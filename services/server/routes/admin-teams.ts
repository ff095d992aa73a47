import { Hono } from 'hono';
import { z } from 'zod';
import type { AuthEnv } from '../../auth/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../../core/index.js';
import { createStore } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { auditAction } from './audit.js';
import { readJson, uuidParam } from './http.js';

const name = z.string().trim().min(1).max(100);

/** Teams: GET /, POST / {name}, PUT|DELETE /:id/supervisors/:userId. Admin only. */
export function createAdminTeamRoutes(ctx: Pick<ServerContext, 'db'>): Hono<AuthEnv> {
  const { db } = ctx;
  const { teams } = createStore(db);
  const app = new Hono<AuthEnv>();

  app.get('/', async (c) => c.json({ items: await teams.list() }));

  app.post('/', async (c) => {
    const body = await readJson(c, z.object({ name }));
    const team = await db.transaction(async (tx) => {
      const t = await createStore(tx).teams.create(body.name);
      if (!t) throw new ConflictError(`a team named ${body.name} already exists`);
      await auditAction(tx, c, 'team.created', { type: 'team', id: t.id }, { name: t.name });
      return t;
    });
    return c.json(team, 201);
  });

  app.put('/:id/supervisors/:userId', async (c) => {
    const teamId = uuidParam(c, 'id', 'team');
    const userId = uuidParam(c, 'userId', 'user');
    const team = await db.transaction(async (tx) => {
      const store = createStore(tx);
      const [t, user] = [await store.teams.get(teamId), await store.users.findById(userId)];
      if (!t) throw new NotFoundError('team');
      if (!user) throw new NotFoundError('user');
      if (user.role !== 'supervisor') throw new ValidationError(`${user.username} is not a supervisor (role ${user.role})`, 'userId');
      await store.teams.addSupervisor(teamId, userId);
      await auditAction(tx, c, 'team.supervisor_added', { type: 'team', id: teamId }, { team: t.name, userId, username: user.username });
      return store.teams.get(teamId);
    });
    return c.json(team);
  });

  app.delete('/:id/supervisors/:userId', async (c) => {
    const teamId = uuidParam(c, 'id', 'team');
    const userId = uuidParam(c, 'userId', 'user');
    const team = await db.transaction(async (tx) => {
      const store = createStore(tx);
      if (!(await store.teams.removeSupervisor(teamId, userId))) throw new NotFoundError('supervisor of this team');
      await auditAction(tx, c, 'team.supervisor_removed', { type: 'team', id: teamId }, { userId });
      return store.teams.get(teamId);
    });
    return c.json(team);
  });
  return app;
}
