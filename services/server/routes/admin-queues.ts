import { Hono } from 'hono';
import { z } from 'zod';
import type { AuthEnv } from '../../auth/index.js';
import { ConflictError, NotFoundError } from '../../core/index.js';
import { createStore } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { auditAction } from './audit.js';
import { readJson, uuidParam } from './http.js';

const department = z.string().trim().min(1).max(100);

/** Queues: GET /, POST / {name, department}, PATCH /:id {department}. Admin only. */
export function createAdminQueueRoutes(ctx: Pick<ServerContext, 'db'>): Hono<AuthEnv> {
  const { db } = ctx;
  const app = new Hono<AuthEnv>();

  app.get('/', async (c) => c.json({ items: await createStore(db).queues.list() }));

  app.post('/', async (c) => {
    const body = await readJson(c, z.object({ name: z.string().trim().min(1).max(100), department: department.default('support') }));
    const queue = await db.transaction(async (tx) => {
      const q = await createStore(tx).queues.create(body.name, body.department);
      if (!q) throw new ConflictError(`a queue named ${body.name} already exists`);
      await auditAction(tx, c, 'queue.created', { type: 'queue', id: q.id }, { name: q.name, department: q.department });
      return q;
    });
    return c.json(queue, 201);
  });

  app.patch('/:id', async (c) => {
    const id = uuidParam(c, 'id', 'queue');
    const body = await readJson(c, z.object({ department }).strict());
    const queue = await db.transaction(async (tx) => {
      const q = await createStore(tx).queues.setDepartment(id, body.department);
      if (!q) throw new NotFoundError('queue');
      await auditAction(tx, c, 'queue.updated', { type: 'queue', id }, { name: q.name, department: q.department });
      return q;
    });
    return c.json(queue);
  });
  return app;
}
