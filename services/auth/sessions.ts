import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createSessionRepo, type Queryable, type User } from '../store/index.js';

/** HttpOnly cookie carrying the session token. */
export const SESSION_COOKIE = 'cs_session';
/** Readable cookie carrying the CSRF token (the web app echoes it in X-CSRF-Token). */
export const CSRF_COOKIE = 'cs_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

export interface OpenedSession {
  /** The secret cookie value; only its hash is stored. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface ActiveSession {
  user: User;
  csrfToken: string;
  tokenHash: string;
  expiresAt: Date;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function openSession(db: Queryable, userId: string, ttlHours: number): Promise<OpenedSession> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  const sessions = createSessionRepo(db);
  await sessions.purgeExpired();
  await sessions.create({ tokenHash: hashToken(token), userId, csrfToken, expiresAt });
  return { token, csrfToken, expiresAt };
}

/** The live session for a cookie token (unexpired, user enabled), or undefined. */
export async function resolveSession(db: Queryable, token: string | undefined): Promise<ActiveSession | undefined> {
  if (!token || token.length > 200) return undefined;
  const s = await createSessionRepo(db).findActive(hashToken(token));
  return s && { user: s.user, csrfToken: s.csrfToken, tokenHash: s.tokenHash, expiresAt: s.expiresAt };
}

export async function closeSession(db: Queryable, tokenHash: string): Promise<void> {
  await createSessionRepo(db).delete(tokenHash);
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    try { return decodeURIComponent(value); } catch { return undefined; }
  }
  return undefined;
}

/**
 * The user behind a request's session cookie (e.g. a WebSocket upgrade), or undefined. Does not check CSRF or Origin:
 * WebSocket handlers should also compare the Origin header with the expected host.
 */
export async function authenticateRequest(db: Queryable, headers: IncomingHttpHeaders | Headers): Promise<User | undefined> {
  const cookie = headers instanceof Headers ? headers.get('cookie') : headers.cookie;
  return (await resolveSession(db, readCookie(cookie, SESSION_COOKIE)))?.user;
}
