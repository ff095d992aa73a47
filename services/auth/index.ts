export { createTapKey, findActiveTapKey, findTapKey, listTapKeys, revokeTapKey, type TapKey } from './tap-keys.js';
export { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
export {
  createAccount, setAccountDisabled, setAccountPassword, setAccountRole, USERNAME_PATTERN, type NewAccount,
} from './accounts.js';
export { createLoginService, LoginThrottledError, type LoginAttempt, type LoginService } from './login.js';
export {
  authenticateRequest, closeSession, CSRF_COOKIE, CSRF_HEADER, openSession, readCookie, resolveSession, SESSION_COOKIE,
  type ActiveSession, type OpenedSession,
} from './sessions.js';
export {
  clearSessionCookies, createSessionMiddleware, currentUser, requireRole, requireUser, setSessionCookies,
  type AuthEnv, type AuthVariables,
} from './middleware.js';
export { scopeFor } from './scope.js';
