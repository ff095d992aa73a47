import { Hono } from 'hono';
import { createSessionMiddleware, requireRole, type AuthEnv } from '../../auth/index.js';
import type { Importer } from '../../import/index.js';
import type { RescoreRunner } from '../../scoring/workflow/index.js';
import type { ServerContext } from '../context.js';
import { createAdminAgentRoutes } from './admin-agents.js';
import { createAdminAlertRuleRoutes } from './admin-alert-rules.js';
import { createAdminAuditRoutes } from './admin-audit.js';
import { createAdminQueueRoutes } from './admin-queues.js';
import { createAdminTapKeyRoutes } from './admin-tap-keys.js';
import { createAdminTeamRoutes } from './admin-teams.js';
import { createAdminUserRoutes } from './admin-users.js';
import { createAlertsRoutes } from './alerts-routes.js';
import { createAnalyticsRoutes } from './analytics-routes.js';
import { createAuthRoutes } from './auth-routes.js';
import { createCallNoteRoutes } from './call-notes-routes.js';
import { createCallSpeechRoutes } from './call-speech-routes.js';
import { createCallsRoutes } from './calls-routes.js';
import { createCalibrationRoutes } from './calibrations-routes.js';
import { createRescoreJobRoutes, createRescoreRoutes } from './rescore-routes.js';
import { createCoachingRoutes } from './coaching-routes.js';
import { createCsatRoutes } from './csat-routes.js';
import { createImportRoutes } from './import-routes.js';
import { createSearchRoutes } from './search-routes.js';
import { createDisputeRoutes, createEvaluationRoutes, createMyEvaluationRoutes } from './evaluations-routes.js';
import { createScorecardRoutes } from './scorecards-routes.js';

/**
 * Mounts the session middleware on /api/* (resolves `c.var.user`; requires X-CSRF-Token on cookie-authenticated
 * state changes) and the auth, calls, import, search, scoring and admin routes. Routes others mount later under /api/ get
 * both for free. Uploads go to `importer` and re-scoring to `rescore` (the server's, closed with it).
 */
export function mountApiRoutes(app: Hono, ctx: ServerContext, opts: { importer: Importer; rescore: RescoreRunner }): void {
  const { importer, rescore } = opts;
  app.use('/api/*', createSessionMiddleware({ db: ctx.db, csrfExemptPaths: ['/api/auth/login'] }));
  app.route('/api/auth', createAuthRoutes(ctx));
  app.route('/api/calls', createImportRoutes(ctx, { importer }));
  app.route('/api/calls', createCsatRoutes(ctx)); // before the calls routes: a tap key posts without a session
  app.route('/api/calls', createCallsRoutes(ctx));
  app.route('/api/calls', createCallSpeechRoutes(ctx));
  app.route('/api/calls', createCallNoteRoutes(ctx));
  app.route('/api/search', createSearchRoutes(ctx));
  app.route('/api/alerts', createAlertsRoutes(ctx));
  app.route('/api/scorecards', createScorecardRoutes(ctx));
  app.route('/api/evaluations', createEvaluationRoutes(ctx));
  app.route('/api/disputes', createDisputeRoutes(ctx));
  app.route('/api/me', createMyEvaluationRoutes(ctx));
  app.route('/api/calibrations', createCalibrationRoutes(ctx));
  app.route('/api/coaching', createCoachingRoutes(ctx));
  app.route('/api/scorecards', createRescoreRoutes(ctx, { rescore }));
  app.route('/api/rescore-jobs', createRescoreJobRoutes(ctx));
  app.route('/api/analytics', createAnalyticsRoutes(ctx));

  const admin = new Hono<AuthEnv>();
  admin.use('*', requireRole('admin'));
  admin.route('/users', createAdminUserRoutes(ctx));
  admin.route('/teams', createAdminTeamRoutes(ctx));
  admin.route('/agents', createAdminAgentRoutes(ctx));
  admin.route('/queues', createAdminQueueRoutes(ctx));
  admin.route('/tap-keys', createAdminTapKeyRoutes(ctx));
  admin.route('/audit', createAdminAuditRoutes(ctx));
  admin.route('/alert-rules', createAdminAlertRuleRoutes(ctx));
  app.route('/api/admin', admin);
}
