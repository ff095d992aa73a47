import { Hono } from 'hono';
import { z } from 'zod';
import { createAccount, setAccountDisabled, setAccountPassword, setAccountRole, type AuthEnv } from '../../auth/index.js';
import { NotFoundError } from '../../core/index.js';
import { createUserRepo, ROLES, type Role } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { auditAction } from './audit.js';
import { readJson, readQuery, uuidParam } from './http.js';

const role = z.enum(ROLES as [Role, ...Role[]]);
const createBody = z.object({
  username: z.string().min(1).max(64),
  displayName: z.string().min(1).max(200),
  role,
  password: z.string().min(1).max(256),
});
const patchBody = z.object({
  displayName: z.string().min(1).max(200).optional(),
  role: role.optional(),
  disabled: z.boolean().optional(),
  password: z.string().min(1).max(256).optional(),
}).strict();

/** GET / (list, ?role=), POST / (create), PATCH /:id (displayName, role, disabled, password). Admin only (mounted behind requireRole). */
export function createAdminUserRoutes(ctx: Pick<ServerContext, 'db'>): Hono<AuthEnv> {
  const { db } = ctx;
  const users = createUserRepo(db);
  const app = new Hono<AuthEnv>();

  app.get('/', async (c) => {
    const { role: r } = readQuery(c, z.object({ role: role.optional() }));
    return c.json({ items: await users.list({ role: r }) });
  });

  app.post('/', async (c) => {
    const body = await readJson(c, createBody);
    const user = await db.transaction(async (tx) => {
      const u = await createAccount(tx, body);
      await auditAction(tx, c, 'user.created', { type: 'user', id: u.id }, { username: u.username, role: u.role });
      return u;
    });
    return c.json(user, 201);
  });

  app.patch('/:id', async (c) => {
    const id = uuidParam(c, 'id', 'user');
    const body = await readJson(c, patchBody);
    // One transaction: a refused change (last admin, weak password) leaves the user as it was.
    const user = await db.transaction(async (tx) => {
      const repo = createUserRepo(tx);
      let u = await repo.findById(id);
      if (!u) throw new NotFoundError('user');
      const target = { type: 'user', id };
      if (body.displayName !== undefined && body.displayName.trim() !== u.displayName) {
        u = (await repo.setDisplayName(id, body.displayName.trim())) ?? u;
        await auditAction(tx, c, 'user.renamed', target, { username: u.username, displayName: u.displayName });
      }
      if (body.role !== undefined && body.role !== u.role) {
        const from = u.role;
        u = await setAccountRole(tx, id, body.role);
        await auditAction(tx, c, 'user.role_changed', target, { username: u.username, from, to: u.role });
      }
      if (body.disabled !== undefined && body.disabled !== u.disabled) {
        u = await setAccountDisabled(tx, id, body.disabled);
        await auditAction(tx, c, body.disabled ? 'user.disabled' : 'user.enabled', target, { username: u.username });
      }
      if (body.password !== undefined) {
        u = await setAccountPassword(tx, id, body.password);
        await auditAction(tx, c, 'user.password_set', target, { username: u.username });
      }
      return u;
    });
    return c.json(user);
  });
  return app;
}
