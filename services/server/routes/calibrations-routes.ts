import { Hono } from 'hono';
import { z } from 'zod';
import { currentUser, requireRole, type AuthEnv } from '../../auth/index.js';
import {
  calibrationReport, calibrationView, closeCalibration, createCalibration, isScorecardId, submitCalibrationAnswers,
} from '../../scoring/workflow/index.js';
import { createCalibrationRepo } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { pageQuery, readJson, readQuery, uuid, uuidParam } from './http.js';

const answerValue = z.union([z.enum(['yes', 'no', 'na']), z.number().finite()]);
const answersBody = z.object({
  answers: z.array(z.object({
    questionId: z.string().min(1).max(200),
    value: answerValue.nullable(),
    comment: z.string().max(5000).nullable().optional(),
    commentMs: z.number().int().min(0).nullable().optional(),
  })).min(1).max(500),
});
const createBody = z.object({
  callId: uuid(),
  scorecardId: z.string().refine(isScorecardId, 'not a scorecard id'),
  /** Default: the card's published version. */
  version: z.number().int().min(1).optional(),
  title: z.string().trim().max(500).optional(),
});

/**
 * /api/calibrations (qa, admin): POST / {callId, scorecardId, version?, title?}, GET /?status=&callId=, GET /:id (blind
 * while open: own answers only), POST /:id/answers (each reviewer, while open), PUT /:id/reference (the answer key:
 * creator or admin), POST /:id/close (creator or admin), GET /:id/report (once closed).
 */
export function createCalibrationRoutes(ctx: Pick<ServerContext, 'db'>): Hono<AuthEnv> {
  const { db } = ctx;
  const app = new Hono<AuthEnv>();
  app.use('*', requireRole('qa', 'admin'));

  app.post('/', async (c) => {
    const body = await readJson(c, createBody);
    const session = await createCalibration(db, { ...body, user: currentUser(c) });
    return c.json(session, 201);
  });

  app.get('/', async (c) => {
    const q = readQuery(c, z.object({ status: z.enum(['open', 'closed']).optional(), callId: z.string().max(100).optional(), limit: pageQuery.limit }));
    return c.json({ items: await createCalibrationRepo(db).list(q, q.limit) });
  });

  app.get('/:id', async (c) => c.json(await calibrationView(db, uuidParam(c, 'id', 'calibration session'), currentUser(c))));

  app.post('/:id/answers', async (c) => {
    const id = uuidParam(c, 'id', 'calibration session');
    const { answers } = await readJson(c, answersBody);
    const user = currentUser(c);
    const evaluationId = await submitCalibrationAnswers(db, { sessionId: id, user, answers, reference: false });
    return c.json({ evaluationId, session: await calibrationView(db, id, user) });
  });

  app.put('/:id/reference', async (c) => {
    const id = uuidParam(c, 'id', 'calibration session');
    const { answers } = await readJson(c, answersBody);
    const user = currentUser(c);
    const evaluationId = await submitCalibrationAnswers(db, { sessionId: id, user, answers, reference: true });
    return c.json({ evaluationId, session: await calibrationView(db, id, user) });
  });

  app.post('/:id/close', async (c) => {
    const id = uuidParam(c, 'id', 'calibration session');
    const user = currentUser(c);
    await closeCalibration(db, { sessionId: id, user });
    return c.json(await calibrationView(db, id, user));
  });

  app.get('/:id/report', async (c) => c.json(await calibrationReport(db, uuidParam(c, 'id', 'calibration session'))));
  return app;
}
