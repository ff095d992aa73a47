import { Hono } from 'hono';
import { z } from 'zod';
import { currentUser, requireRole, scopeFor, type AuthEnv } from '../../auth/index.js';
import { ConflictError, NotFoundError } from '../../core/index.js';
import { ALERT_SEVERITIES, createAlertRepo, type AlertSeverity } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { auditAction } from './audit.js';
import { pageQuery, readQuery, uuid, uuidParam } from './http.js';

const listQuery = z.object({
  callId: uuid().optional(),
  open: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  severity: z.enum(ALERT_SEVERITIES as [AlertSeverity, ...AlertSeverity[]]).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  ...pageQuery,
});

/**
 * Live alerts. GET / (?callId=&open=true|false&severity=&from=&to=, newest first) and GET /:id for admin, QA, trainer
 * and supervisor, within the caller's call scope (a supervisor: the calls of their teams; out of scope = 404);
 * agents are refused (403) — alerts are a supervision tool. POST /:id/acknowledge: supervisor (own teams) or admin;
 * audited as `alert.acknowledged` and published on the bus.
 */
export function createAlertsRoutes(ctx: Pick<ServerContext, 'db' | 'bus'>): Hono<AuthEnv> {
  const { db, bus } = ctx;
  const alerts = createAlertRepo(db);
  const app = new Hono<AuthEnv>();
  app.use('*', requireRole('admin', 'qa', 'trainer', 'supervisor'));

  app.get('/', async (c) => {
    const { limit, offset, ...filter } = readQuery(c, listQuery);
    return c.json(await alerts.list(filter, scopeFor(currentUser(c)), { limit, offset }));
  });

  app.get('/:id', async (c) => {
    const alert = await alerts.get(uuidParam(c, 'id', 'alert'), scopeFor(currentUser(c)));
    if (!alert) throw new NotFoundError('alert');
    return c.json(alert);
  });

  app.post('/:id/acknowledge', requireRole('admin', 'supervisor'), async (c) => {
    const id = uuidParam(c, 'id', 'alert');
    const user = currentUser(c);
    const acknowledged = await db.transaction(async (tx) => {
      const repo = createAlertRepo(tx);
      const alert = await repo.get(id, scopeFor(user));
      if (!alert) throw new NotFoundError('alert');
      if (alert.acknowledgedAt) throw new ConflictError(`alert already acknowledged by ${alert.acknowledgedBy?.username ?? 'a deleted user'}`);
      const done = await repo.acknowledge(id, user.id);
      if (!done) throw new ConflictError('alert already acknowledged');
      await auditAction(tx, c, 'alert.acknowledged', { type: 'alert', id }, {
        callId: done.callId, ruleId: done.ruleId, kind: done.kind, severity: done.severity, raisedAt: done.raisedAt.toISOString(),
      });
      return done;
    });
    bus.publish({
      type: 'alert.acknowledged', callId: acknowledged.callId, alertId: acknowledged.id,
      acknowledgedBy: { id: user.id, username: user.username }, acknowledgedAt: (acknowledged.acknowledgedAt ?? new Date()).toISOString(),
    });
    return c.json(acknowledged);
  });
  return app;
}
