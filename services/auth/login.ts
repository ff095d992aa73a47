import { AuthError, type Logger } from '../core/index.js';
import { createUserRepo, type Queryable, type User } from '../store/index.js';
import { createLoginLimiter } from './login-limiter.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';
import { openSession, type OpenedSession } from './sessions.js';

/** Too many failed logins for this username from this address; `retryAfterSeconds` goes in Retry-After. */
export class LoginThrottledError extends AuthError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(`too many failed logins: try again in ${retryAfterSeconds} s`, 429);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface LoginAttempt {
  username: string;
  password: string;
  /** The client's address (the limiter counts failures per username and address). */
  ip: string;
}

export interface LoginService {
  /** A new session for valid credentials; AuthError 401 otherwise, LoginThrottledError 429 when rate-limited. */
  login(attempt: LoginAttempt): Promise<{ user: User; session: OpenedSession }>;
}

export function createLoginService(opts: {
  db: Queryable; log: Logger; ttlHours: number; maxFailures: number; windowSeconds: number;
  onEvent?: (e: { action: 'auth.login' | 'auth.login_failed'; user?: User; username: string; ip: string }) => Promise<void>;
}): LoginService {
  const { db, log } = opts;
  const limiter = createLoginLimiter({ maxFailures: opts.maxFailures, windowSeconds: opts.windowSeconds });
  const users = createUserRepo(db);

  return {
    async login({ username, password, ip }) {
      const name = username.trim().toLowerCase().slice(0, 128);
      const key = `${name}|${ip}`;
      const blocked = limiter.blockedFor(key);
      if (blocked !== undefined) {
        log.warn({ username: name, ip, retryAfterSeconds: blocked }, 'login rate-limited');
        throw new LoginThrottledError(blocked);
      }
      const found = name ? await users.findCredentials(name) : undefined;
      const ok = found && !found.user.disabled
        ? await verifyPassword(password, found.passwordHash)
        : await verifyAgainstDummy(password);
      if (!ok || !found) {
        limiter.failed(key);
        log.warn({ username: name, ip, knownUser: Boolean(found) }, 'login failed');
        await opts.onEvent?.({ action: 'auth.login_failed', username: name, ip, user: found?.user });
        throw new AuthError('wrong username or password', 401);
      }
      limiter.succeeded(key);
      const session = await openSession(db, found.user.id, opts.ttlHours);
      log.info({ userId: found.user.id, username: name, ip }, 'login');
      await opts.onEvent?.({ action: 'auth.login', username: name, ip, user: found.user });
      return { user: found.user, session };
    },
  };
}
