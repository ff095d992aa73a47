import { Hono } from 'hono';
import { z } from 'zod';
import { currentUser, requireRole, requireUser, scopeFor, type AuthEnv } from '../../auth/index.js';
import { NotFoundError } from '../../core/index.js';
import {
  acknowledgeEvaluation, evaluationDetail, raiseDisputes, resolveDispute, submitReview,
} from '../../scoring/workflow/index.js';
import { createDisputeRepo, createEvaluationRepo, type EvaluationKind } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { pageQuery, readJson, readQuery, uuidParam } from './http.js';

const answerValue = z.union([z.enum(['yes', 'no', 'na']), z.number().finite()]);

const listQuery = z.object({
  callId: z.string().min(1).max(100).optional(),
  agent: z.string().min(1).max(200).optional(),
  team: z.string().min(1).max(200).optional(),
  scorecard: z.string().min(1).max(100).optional(),
  status: z.enum(['auto', 'in-review', 'reviewed', 'acknowledged', 'disputed']).optional(),
  kind: z.enum(['auto', 'review']).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  ...pageQuery,
});

const reviewBody = z.object({
  answers: z.array(z.object({
    questionId: z.string().min(1).max(200),
    value: answerValue.nullable(),
    comment: z.string().max(5000).nullable().optional(),
    commentMs: z.number().int().min(0).nullable().optional(),
  })).max(500),
  /** false: save the review in progress; true (default): submit it. */
  submit: z.boolean().default(true),
});

const disputeItem = z.object({
  questionId: z.string().min(1).max(200),
  reason: z.string().trim().min(1).max(5000),
  proposedValue: answerValue.nullable().optional(),
});
const disputeBody = z.union([z.object({ items: z.array(disputeItem).min(1).max(100) }), disputeItem]);

const resolveBody = z.object({
  accept: z.boolean(),
  reason: z.string().max(5000).nullable().optional(),
  value: answerValue.nullable().optional(),
});

/** Calibration answers are blind: only the roles that run calibrations see them. */
const CALIBRATORS = new Set(['admin', 'qa', 'trainer']);
const LISTED_KINDS: readonly EvaluationKind[] = ['auto', 'review'];
const listed = (kind?: string): readonly EvaluationKind[] => (kind ? [kind as EvaluationKind] : LISTED_KINDS);

/**
 * /api/evaluations: GET / (scoped list), GET /:id (answers with evidence), POST /:id/review (qa, admin),
 * POST /:id/acknowledge and POST /:id/disputes (the evaluated agent).
 */
export function createEvaluationRoutes(ctx: Pick<ServerContext, 'db' | 'bus'>): Hono<AuthEnv> {
  const { db, bus } = ctx;
  const evaluations = createEvaluationRepo(db);
  const app = new Hono<AuthEnv>();
  app.use('*', requireUser());

  app.get('/', async (c) => {
    const user = currentUser(c);
    const { limit, offset, kind, ...filter } = readQuery(c, listQuery);
    const page = await evaluations.list({ ...filter, kinds: listed(kind) }, scopeFor(user), { limit, offset });
    return c.json(page);
  });

  app.get('/:id', async (c) => {
    const user = currentUser(c);
    const detail = await evaluationDetail(db, uuidParam(c, 'id', 'evaluation'), scopeFor(user));
    if (detail.kind === 'calibration' && !CALIBRATORS.has(user.role)) throw new NotFoundError('evaluation');
    if (detail.kind === 'calibration' && !(await mayReadCalibrationAnswers(db, detail.id, user))) throw new NotFoundError('evaluation');
    return c.json(detail);
  });

  app.post('/:id/review', requireRole('qa', 'admin'), async (c) => {
    const id = uuidParam(c, 'id', 'evaluation');
    const body = await readJson(c, reviewBody);
    const user = currentUser(c);
    await submitReview(db, bus, { evaluationId: id, user, answers: body.answers, submit: body.submit });
    return c.json(await evaluationDetail(db, id, scopeFor(user)));
  });

  app.post('/:id/acknowledge', async (c) => {
    const id = uuidParam(c, 'id', 'evaluation');
    const user = currentUser(c);
    await acknowledgeEvaluation(db, bus, { evaluationId: id, user, scope: scopeFor(user) });
    return c.json(await evaluationDetail(db, id, scopeFor(user)));
  });

  app.post('/:id/disputes', async (c) => {
    const id = uuidParam(c, 'id', 'evaluation');
    const body = await readJson(c, disputeBody);
    const user = currentUser(c);
    const { disputes } = await raiseDisputes(db, bus, { evaluationId: id, user, scope: scopeFor(user), items: 'items' in body ? body.items : [body] });
    return c.json({ items: disputes }, 201);
  });
  return app;
}

/** /api/disputes: GET / (open disputes, qa and admin), POST /:id/resolve { accept, reason, value } (qa, admin). */
export function createDisputeRoutes(ctx: Pick<ServerContext, 'db' | 'bus'>): Hono<AuthEnv> {
  const { db, bus } = ctx;
  const app = new Hono<AuthEnv>();
  app.use('*', requireRole('qa', 'admin'));

  app.get('/', async (c) => {
    const { limit } = readQuery(c, z.object({ limit: pageQuery.limit }));
    return c.json({ items: await createDisputeRepo(db).listOpen(limit) });
  });

  app.post('/:id/resolve', async (c) => {
    const id = uuidParam(c, 'id', 'dispute');
    const body = await readJson(c, resolveBody);
    const { dispute } = await resolveDispute(db, bus, { disputeId: id, user: currentUser(c), accept: body.accept, reason: body.reason, value: body.value });
    return c.json({ dispute, evaluation: await evaluationDetail(db, dispute.evaluationId, { kind: 'all' }) });
  });
  return app;
}

/** /api/me/evaluations: the evaluations of the signed-in agent's own calls (reviewed ones are their notifications). */
export function createMyEvaluationRoutes(ctx: Pick<ServerContext, 'db'>): Hono<AuthEnv> {
  const evaluations = createEvaluationRepo(ctx.db);
  const app = new Hono<AuthEnv>();
  app.use('*', requireUser());
  app.get('/evaluations', async (c) => {
    const user = currentUser(c);
    const { limit, offset, status } = readQuery(c, z.object({ status: listQuery.shape.status, ...pageQuery }));
    const scope = user.disabled ? { kind: 'none' as const } : { kind: 'own-agent' as const, userId: user.id };
    return c.json(await evaluations.list({ status, kinds: LISTED_KINDS }, scope, { limit, offset }));
  });
  return app;
}

/**
 * Calibration is blind: while its session is open, a reviewer's answers are readable only by that reviewer and by
 * an admin (as /api/calibrations shows them); every other reviewer — the session's creator too — gets 404.
 */
async function mayReadCalibrationAnswers(db: ServerContext['db'], evaluationId: string, user: { id: string; role: string }): Promise<boolean> {
  const rows = await db.query<{ status: string; reviewer_id: string | null }>(
    `select s.status, e.reviewer_id from evaluations e join calibration_sessions s on s.id = e.calibration_id
     where e.id = $1`, [evaluationId]);
  const row = rows[0];
  if (!row || row.status !== 'open') return true;
  return user.role === 'admin' || row.reviewer_id === user.id;
}
