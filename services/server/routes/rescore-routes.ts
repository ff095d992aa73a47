import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { currentUser, requireRole, type AuthEnv } from '../../auth/index.js';
import { NotFoundError } from '../../core/index.js';
import { isScorecardId, type RescoreRunner } from '../../scoring/workflow/index.js';
import { createRescoreJobRepo } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { pageQuery, readJson, readQuery, uuidParam } from './http.js';

const rescoreBody = z.object({ from: z.coerce.date(), to: z.coerce.date() });

function versionOf(c: Context): { id: string; n: number } {
  const id = c.req.param('id') ?? '';
  const n = Number(c.req.param('n'));
  if (!isScorecardId(id) || !Number.isInteger(n) || n < 1) throw new NotFoundError('scorecard version');
  return { id, n };
}

/** POST /api/scorecards/:id/versions/:n/rescore {from, to} (trainer, admin): 202 with the queued job. */
export function createRescoreRoutes(_ctx: Pick<ServerContext, 'db'>, opts: { rescore: RescoreRunner }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.post('/:id/versions/:n/rescore', requireRole('admin', 'trainer'), async (c) => {
    const { id, n } = versionOf(c);
    const { from, to } = await readJson(c, rescoreBody);
    const job = await opts.rescore.start({ scorecardId: id, version: n, from, to, user: currentUser(c) });
    return c.json(job, 202, { location: `/api/rescore-jobs/${job.id}` });
  });
  return app;
}

/** /api/rescore-jobs (admin, trainer, qa): GET /?scorecard= (newest first), GET /:id (status, total/done/failed, errors). */
export function createRescoreJobRoutes(ctx: Pick<ServerContext, 'db'>): Hono<AuthEnv> {
  const jobs = createRescoreJobRepo(ctx.db);
  const app = new Hono<AuthEnv>();
  app.use('*', requireRole('admin', 'trainer', 'qa'));
  app.get('/', async (c) => {
    const q = readQuery(c, z.object({ scorecard: z.string().max(100).optional(), limit: pageQuery.limit }));
    return c.json({ items: await jobs.list({ scorecardId: q.scorecard }, q.limit) });
  });
  app.get('/:id', async (c) => {
    const job = await jobs.get(uuidParam(c, 'id', 're-score job'));
    if (!job) throw new NotFoundError('re-score job');
    return c.json(job);
  });
  return app;
}
