import { Hono } from 'hono';
import { z } from 'zod';
import type { AuthEnv } from '../../auth/index.js';
import { createAuditRepo } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { pageQuery, readQuery, uuid } from './http.js';

const listQuery = z.object({
  action: z.string().max(100).optional(),
  actor: uuid().optional(),
  targetType: z.string().max(100).optional(),
  targetId: z.string().max(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  ...pageQuery,
});

/** GET / — the audit log, newest first, filtered. Admin only. */
export function createAdminAuditRoutes(ctx: Pick<ServerContext, 'db'>): Hono<AuthEnv> {
  const audit = createAuditRepo(ctx.db);
  const app = new Hono<AuthEnv>();
  app.get('/', async (c) => {
    const { limit, offset, actor, ...filter } = readQuery(c, listQuery);
    return c.json(await audit.list({ ...filter, actorId: actor }, { limit, offset }));
  });
  return app;
}
