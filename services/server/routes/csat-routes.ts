import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { findActiveTapKey, type AuthEnv } from '../../auth/index.js';
import { AuthError, NotFoundError } from '../../core/index.js';
import { createCsatRepo } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { readJson, uuidParam } from './http.js';

const SCORE = 'must be a whole number from 1 to 5';
const csatBody = z.object({
  score: z.number({ error: SCORE }).int(SCORE).min(1, SCORE).max(5, SCORE),
  comment: z.string({ error: 'must be text' }).trim().max(2000, 'must be at most 2000 characters').nullish(),
});

/** Who posts: a tap API key (Authorization: Bearer or X-API-Key) or an admin's session; 401/403 otherwise. */
async function poster(ctx: Pick<ServerContext, 'db'>, c: Context<AuthEnv>): Promise<{ tapKeyId: string | null; postedBy: string | null }> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  const apiKey = bearer ?? c.req.header('x-api-key');
  if (apiKey) {
    const key = await findActiveTapKey(ctx.db, apiKey);
    if (!key) throw new AuthError('unknown or revoked API key');
    return { tapKeyId: key.id, postedBy: null };
  }
  const user = c.get('user');
  if (!user) throw new AuthError('authentication required: a tap API key (Authorization: Bearer <key>) or an admin session');
  if (user.role !== 'admin') throw new AuthError('posting survey results needs a tap API key or the admin role', 403);
  return { tapKeyId: null, postedBy: user.id };
}

/**
 * POST /api/calls/:id/csat `{score: 1–5, comment?}` — the call's customer satisfaction survey result, posted by the
 * phone platform with a tap key, or by an admin. 201 when stored, 200 when it replaced the call's earlier result.
 */
export function createCsatRoutes(ctx: Pick<ServerContext, 'db'>): Hono<AuthEnv> {
  const csat = createCsatRepo(ctx.db);
  const app = new Hono<AuthEnv>();
  app.post('/:id/csat', async (c) => {
    const who = await poster(ctx, c);
    const callId = uuidParam(c, 'id', 'call');
    const body = await readJson(c, csatBody);
    const saved = await csat.save({ callId, score: body.score, comment: body.comment || null, ...who });
    if (!saved) throw new NotFoundError('call');
    const { response: r, created } = saved;
    return c.json({ callId: r.callId, score: r.score, comment: r.comment, createdAt: r.createdAt, updatedAt: r.updatedAt }, created ? 201 : 200);
  });
  return app;
}
