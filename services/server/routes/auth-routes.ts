import { Hono } from 'hono';
import { z } from 'zod';
import {
  clearSessionCookies, closeSession, createLoginService, currentUser, LoginThrottledError, requireUser, setSessionCookies, type AuthEnv,
} from '../../auth/index.js';
import { createAuditRepo } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { clientIp, readJson } from './http.js';

const loginBody = z.object({ username: z.string().min(1).max(128), password: z.string().min(1).max(1024) });

/** POST /login, POST /logout, GET /me. */
export function createAuthRoutes(ctx: Pick<ServerContext, 'db' | 'log' | 'config'>): Hono<AuthEnv> {
  const { db, config } = ctx;
  const log = ctx.log.child({ component: 'auth' });
  const secure = config.session.secureCookie;
  const audit = createAuditRepo(db);
  const logins = createLoginService({
    db, log, ttlHours: config.session.ttlHours, maxFailures: config.login.maxFailures, windowSeconds: config.login.windowSeconds,
    async onEvent(e) {
      // Attempted names of unknown users stay out of the audit log (they are often mistyped passwords).
      await audit.append({
        actorId: e.user?.id ?? null, action: e.action, targetType: e.user ? 'user' : undefined, targetId: e.user?.id,
        details: e.user ? { username: e.user.username, ip: e.ip } : { ip: e.ip, unknownUser: true },
      });
    },
  });

  const app = new Hono<AuthEnv>();
  app.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  app.post('/login', async (c) => {
    const body = await readJson(c, loginBody);
    try {
      const { user, session } = await logins.login({ ...body, ip: clientIp(c) });
      setSessionCookies(c, session, secure);
      return c.json({ user, csrfToken: session.csrfToken, expiresAt: session.expiresAt });
    } catch (err) {
      if (err instanceof LoginThrottledError) {
        return c.json({ error: err.message }, 429, { 'Retry-After': String(err.retryAfterSeconds) });
      }
      throw err;
    }
  });
  app.post('/logout', async (c) => {
    const session = c.get('session');
    if (session) {
      await closeSession(db, session.tokenHash);
      await audit.append({ actorId: session.user.id, action: 'auth.logout', targetType: 'user', targetId: session.user.id });
      log.info({ userId: session.user.id }, 'logout');
    }
    clearSessionCookies(c, secure);
    return c.body(null, 204);
  });
  app.get('/me', requireUser(), (c) => {
    const session = c.get('session');
    return c.json({ user: currentUser(c), csrfToken: session?.csrfToken, expiresAt: session?.expiresAt });
  });
  return app;
}
