import { Hono } from 'hono';
import { z } from 'zod';
import { currentUser, requireUser, scopeFor, type AuthEnv } from '../../auth/index.js';
import { AppError, NotFoundError } from '../../core/index.js';
import { ALERT_PRESENCES, createCallRepo, createCsatRepo, SENTIMENT_LABELS, type CallRecord } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { pageQuery, readQuery, uuidParam } from './http.js';
import { sendRecording } from './recording-route.js';
import { searchText } from './search-routes.js';

const score = () => z.coerce.number({ error: 'must be a number from 0 to 100' })
  .min(0, 'must be a number from 0 to 100').max(100, 'must be a number from 0 to 100').optional();

const listQuery = z.object({
  agent: z.string().min(1).max(200).optional(),
  team: z.string().min(1).max(200).optional(),
  queue: z.string().min(1).max(200).optional(),
  status: z.enum(['live', 'ended', 'interrupted']).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  q: searchText().optional(),
  scoreMin: score(),
  scoreMax: score(),
  sentiment: z.enum(SENTIMENT_LABELS, { error: `must be ${SENTIMENT_LABELS.join(', ')}` }).optional(),
  alerts: z.enum(ALERT_PRESENCES, { error: `must be ${ALERT_PRESENCES.join(', ')}` }).optional(),
  ...pageQuery,
}).refine((f) => f.scoreMin === undefined || f.scoreMax === undefined || f.scoreMin <= f.scoreMax, {
  message: 'must not be below scoreMin', path: ['scoreMax'],
});

/** A call as clients see it: the recording's file path stays on the server. */
function publicCall<C extends CallRecord>(call: C) {
  const { recording, ...rest } = call;
  return {
    ...rest,
    recording: recording ? { format: recording.format, bytes: recording.bytes, url: `/api/calls/${call.id}/recording` } : null,
  };
}

/**
 * GET / (list: filters agent, team, queue, status, from, to, q (transcript text), scoreMin/scoreMax, sentiment, alerts;
 * items with score, customerSentiment, alerts, openAlerts), GET /:id, GET /:id/recording — every role, always within
 * the user's scope (out of scope = 404).
 */
export function createCallsRoutes(ctx: Pick<ServerContext, 'db' | 'config'>): Hono<AuthEnv> {
  const calls = createCallRepo(ctx.db);
  const app = new Hono<AuthEnv>();
  app.use('*', requireUser());

  app.get('/', async (c) => {
    const { limit, offset, ...filter } = readQuery(c, listQuery);
    const page = await calls.list(filter, scopeFor(currentUser(c)), { limit, offset });
    return c.json({ ...page, items: page.items.map(publicCall) });
  });

  app.get('/:id', async (c) => {
    const call = await calls.get(uuidParam(c, 'id', 'call'), scopeFor(currentUser(c)));
    if (!call) throw new NotFoundError('call');
    const csat = await createCsatRepo(ctx.db).get(call.id);
    return c.json({ ...publicCall(call), csat: csat ? { score: csat.score, comment: csat.comment, receivedAt: csat.updatedAt } : null });
  });

  app.get('/:id/recording', async (c) => {
    const call = await calls.get(uuidParam(c, 'id', 'call'), scopeFor(currentUser(c)));
    if (!call) throw new NotFoundError('call');
    if (!call.recording) throw new AppError(`call ${call.id} has no recording yet`, { status: 404 });
    return sendRecording(c, call.id, call.recording, ctx.config.dataDir);
  });
  return app;
}
