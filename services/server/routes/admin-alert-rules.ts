import { Hono } from 'hono';
import { z } from 'zod';
import type { AuthEnv } from '../../auth/index.js';
import { ConflictError, NotFoundError } from '../../core/index.js';
import { parseRuleParams } from '../../live/index.js';
import {
  ALERT_RULE_KINDS, ALERT_SEVERITIES, createAlertRepo, type AlertRuleKind, type AlertSeverity,
} from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { auditAction } from './audit.js';
import { readJson, uuidParam } from './http.js';

const name = z.string().trim().min(1).max(200);
const severity = z.enum(ALERT_SEVERITIES as [AlertSeverity, ...AlertSeverity[]]);
const cooldownMs = z.number().int().min(1000).max(86_400_000).nullable();
const params = z.record(z.string(), z.unknown());

const createBody = z.object({
  name,
  kind: z.enum(ALERT_RULE_KINDS as [AlertRuleKind, ...AlertRuleKind[]]),
  severity,
  enabled: z.boolean().optional(),
  params: params.default({}),
  cooldownMs: cooldownMs.optional(),
}).strict();
const patchBody = z.object({
  name: name.optional(),
  severity: severity.optional(),
  enabled: z.boolean().optional(),
  params: params.optional(),
  cooldownMs: cooldownMs.optional(),
}).strict();

/**
 * Alert rules: GET / (list), GET /:id, POST / {name, kind, severity, params, enabled?, cooldownMs?}, PATCH /:id (any
 * of name, severity, enabled, params — replaced whole and validated for the rule's kind —, cooldownMs; the kind is
 * fixed), DELETE /:id (its alerts stay). Admin only (mounted behind requireRole); every change audited. Rules apply
 * to calls that start after the change.
 */
export function createAdminAlertRuleRoutes(ctx: Pick<ServerContext, 'db'>): Hono<AuthEnv> {
  const { db } = ctx;
  const rules = createAlertRepo(db);
  const app = new Hono<AuthEnv>();

  app.get('/', async (c) => c.json({ items: await rules.listRules() }));

  app.get('/:id', async (c) => {
    const rule = await rules.getRule(uuidParam(c, 'id', 'alert rule'));
    if (!rule) throw new NotFoundError('alert rule');
    return c.json(rule);
  });

  app.post('/', async (c) => {
    const body = await readJson(c, createBody);
    const checked = { ...body, params: parseRuleParams(body.kind, body.params) as Record<string, unknown> };
    const rule = await db.transaction(async (tx) => {
      const r = await createAlertRepo(tx).createRule(checked);
      if (!r) throw new ConflictError(`an alert rule named ${body.name} already exists`);
      await auditAction(tx, c, 'alert_rule.created', { type: 'alert_rule', id: r.id }, { name: r.name, kind: r.kind, severity: r.severity });
      return r;
    });
    return c.json(rule, 201);
  });

  app.patch('/:id', async (c) => {
    const id = uuidParam(c, 'id', 'alert rule');
    const body = await readJson(c, patchBody);
    const rule = await db.transaction(async (tx) => {
      const repo = createAlertRepo(tx);
      const before = await repo.getRule(id);
      if (!before) throw new NotFoundError('alert rule');
      const checked = body.params === undefined ? undefined : parseRuleParams(before.kind, body.params) as Record<string, unknown>;
      if (body.name !== undefined && body.name !== before.name && await repo.findRuleByName(body.name)) {
        throw new ConflictError(`an alert rule named ${body.name} already exists`);
      }
      const after = await repo.updateRule(id, { ...body, params: checked });
      if (!after) throw new NotFoundError('alert rule');
      await auditAction(tx, c, 'alert_rule.updated', { type: 'alert_rule', id }, { name: after.name, changed: Object.keys(body) });
      return after;
    });
    return c.json(rule);
  });

  app.delete('/:id', async (c) => {
    const id = uuidParam(c, 'id', 'alert rule');
    await db.transaction(async (tx) => {
      const repo = createAlertRepo(tx);
      const rule = await repo.getRule(id);
      if (!rule || !(await repo.deleteRule(id))) throw new NotFoundError('alert rule');
      await auditAction(tx, c, 'alert_rule.deleted', { type: 'alert_rule', id }, { name: rule.name, kind: rule.kind });
    });
    return c.body(null, 204);
  });
  return app;
}
