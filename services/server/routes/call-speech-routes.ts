import { Hono } from 'hono';
import { currentUser, requireUser, scopeFor, type AuthEnv } from '../../auth/index.js';
import { NotFoundError } from '../../core/index.js';
import { createCallRepo, createTranscriptRepo } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { uuidParam } from './http.js';

/** GET /:id/transcript and GET /:id/metrics under /api/calls — within the user's scope (out of scope = 404). */
export function createCallSpeechRoutes(ctx: Pick<ServerContext, 'db'>): Hono<AuthEnv> {
  const calls = createCallRepo(ctx.db);
  const transcripts = createTranscriptRepo(ctx.db);
  const app = new Hono<AuthEnv>();
  app.use('*', requireUser());

  app.get('/:id/transcript', async (c) => {
    const call = await calls.get(uuidParam(c, 'id', 'call'), scopeFor(currentUser(c)));
    if (!call) throw new NotFoundError('call');
    const segments = await transcripts.listSegments(call.id);
    return c.json({ callId: call.id, transcription: call.transcription, segments });
  });

  app.get('/:id/metrics', async (c) => {
    const call = await calls.get(uuidParam(c, 'id', 'call'), scopeFor(currentUser(c)));
    if (!call) throw new NotFoundError('call');
    const stored = await transcripts.getMetrics(call.id);
    return c.json({ callId: call.id, metrics: stored?.metrics ?? null, sentiment: stored?.sentiment ?? null, updatedAt: stored?.updatedAt ?? null });
  });
  return app;
}
