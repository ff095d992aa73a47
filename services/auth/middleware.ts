import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AuthError } from '../core/index.js';
import type { Queryable, Role, User } from '../store/index.js';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, resolveSession, type ActiveSession, type OpenedSession } from './sessions.js';

export interface AuthVariables {
  user: User | undefined;
  session: ActiveSession | undefined;
}
export type AuthEnv = { Variables: AuthVariables };

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Resolves the session cookie into `c.var.user` / `c.var.session` and, for state-changing requests authenticated by
 * that cookie, requires the session's CSRF token in the X-CSRF-Token header (403 otherwise).
 */
export function createSessionMiddleware(opts: { db: Queryable; csrfExemptPaths?: readonly string[] }): MiddlewareHandler<AuthEnv> {
  const exempt = new Set(opts.csrfExemptPaths ?? []);
  return async function sessionMiddleware(c, next) {
    const session = await resolveSession(opts.db, getCookie(c, SESSION_COOKIE));
    c.set('session', session);
    c.set('user', session?.user);
    if (session && UNSAFE_METHODS.has(c.req.method) && !exempt.has(c.req.path)) {
      const sent = c.req.header(CSRF_HEADER);
      if (!sent) throw new AuthError(`missing ${CSRF_HEADER} header: send the csrfToken from /api/auth/me (also in the ${CSRF_COOKIE} cookie)`, 403);
      if (!sameToken(sent, session.csrfToken)) throw new AuthError(`invalid ${CSRF_HEADER} header: it does not match this session`, 403);
    }
    await next();
  };
}

/** 401 unless the request carries a valid session. */
export function requireUser(): MiddlewareHandler<AuthEnv> {
  return async function requireUserMiddleware(c, next) {
    if (!c.get('user')) throw new AuthError('authentication required: log in first', 401);
    await next();
  };
}

/** 401 without a session, 403 when the user's role is not one of `roles`. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AuthEnv> {
  return async function requireRoleMiddleware(c, next) {
    const user = c.get('user');
    if (!user) throw new AuthError('authentication required: log in first', 401);
    if (!roles.includes(user.role)) throw new AuthError(`this needs the ${roles.join(' or ')} role`, 403);
    await next();
  };
}

/** The authenticated user (use behind requireUser/requireRole). */
export function currentUser(c: Context<AuthEnv>): User {
  const user = c.get('user');
  if (!user) throw new AuthError('authentication required: log in first', 401);
  return user;
}

/** Sets the HttpOnly session cookie and the readable CSRF cookie. */
export function setSessionCookies(c: Context, session: OpenedSession, secure: boolean): void {
  const common = { path: '/', sameSite: 'Lax', secure, expires: session.expiresAt } as const;
  setCookie(c, SESSION_COOKIE, session.token, { ...common, httpOnly: true });
  setCookie(c, CSRF_COOKIE, session.csrfToken, { ...common, httpOnly: false });
}

export function clearSessionCookies(c: Context, secure: boolean): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure, sameSite: 'Lax', httpOnly: true });
  deleteCookie(c, CSRF_COOKIE, { path: '/', secure, sameSite: 'Lax' });
}
