import { Hono } from 'hono';
import { z } from 'zod';
import { currentUser, requireRole, requireUser, scopeFor, type AuthEnv } from '../../auth/index.js';
import { NotFoundError } from '../../core/index.js';
import { createCoachingItems, setCoachingStatus } from '../../scoring/workflow/index.js';
import { createCoachingRepo } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { pageQuery, readJson, readQuery, uuid, uuidParam } from './http.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/u, 'must be a date (YYYY-MM-DD)').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'must be a valid date');

const item = z.object({
  questionId: z.string().min(1).max(200).nullable().optional(),
  callMs: z.number().int().min(0).nullable().optional(),
  note: z.string().trim().min(1).max(5000),
  dueDate: day.nullable().optional(),
});
const createBody = z.union([
  z.object({ evaluationId: uuid(), items: z.array(item).min(1).max(100) }),
  item.extend({ evaluationId: uuid() }),
]);

const listQuery = z.object({
  status: z.enum(['open', 'done']).optional(),
  team: z.string().min(1).max(200).optional(),
  evaluationId: z.string().min(1).max(100).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  ...pageQuery,
});

/**
 * /api/coaching: POST / (qa, supervisor, admin: items from an evaluation they can see, for its agent), GET / (scoped:
 * agents their own items, supervisors their teams'), GET /teams (open and overdue per team), GET /:id,
 * POST /:id/done and /:id/reopen (the coached agent).
 */
export function createCoachingRoutes(ctx: Pick<ServerContext, 'db' | 'bus'>): Hono<AuthEnv> {
  const { db, bus } = ctx;
  const repo = createCoachingRepo(db);
  const app = new Hono<AuthEnv>();
  app.use('*', requireUser());

  app.post('/', requireRole('qa', 'supervisor', 'admin'), async (c) => {
    const body = await readJson(c, createBody);
    const user = currentUser(c);
    const { evaluationId, ...single } = body;
    const items = 'items' in body ? body.items : [single as z.infer<typeof item>];
    return c.json({ items: await createCoachingItems(db, bus, { evaluationId, user, scope: scopeFor(user), items }) }, 201);
  });

  app.get('/', async (c) => {
    const { limit, offset, ...filter } = readQuery(c, listQuery);
    return c.json(await repo.list(filter, scopeFor(currentUser(c)), { limit, offset }));
  });

  app.get('/teams', requireRole('supervisor', 'qa', 'admin', 'trainer'), async (c) => c.json({ items: await repo.openByTeam(scopeFor(currentUser(c))) }));

  app.get('/:id', async (c) => {
    const found = await repo.get(uuidParam(c, 'id', 'coaching item'), scopeFor(currentUser(c)));
    if (!found) throw new NotFoundError('coaching item');
    return c.json(found);
  });

  for (const [path, status] of [['done', 'done'], ['reopen', 'open']] as const) {
    app.post(`/:id/${path}`, async (c) => {
      const user = currentUser(c);
      return c.json(await setCoachingStatus(db, { itemId: uuidParam(c, 'id', 'coaching item'), user, scope: scopeFor(user), status }));
    });
  }
  return app;
}
