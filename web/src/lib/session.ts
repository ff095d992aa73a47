import { createSignal } from 'solid-js';
import { api, ApiError, setCsrfToken } from './api';
import type { Role, User } from './types';

/** undefined: not known yet (the first /me is in flight); null: signed out. */
const [user, setUser] = createSignal<User | null | undefined>(undefined);
export { user };

/** Asks the server who is signed in (the session cookie survives reloads). */
export async function loadSession(): Promise<void> {
  try {
    const s = await api.me();
    setCsrfToken(s.csrfToken);
    setUser(s.user);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setCsrfToken(undefined);
      setUser(null);
      return;
    }
    throw err;
  }
}

export async function login(username: string, password: string): Promise<User> {
  const s = await api.login(username, password);
  setCsrfToken(s.csrfToken);
  setUser(s.user);
  return s.user;
}

export async function logout(): Promise<void> {
  try {
    await api.logout();
  } finally {
    setCsrfToken(undefined);
    setUser(null);
  }
}

/** The session ended on the server (401 on some request). */
export function sessionExpired(): void {
  setCsrfToken(undefined);
  setUser(null);
}

export function hasRole(roles: readonly Role[]): boolean {
  const u = user();
  return !!u && roles.includes(u.role);
}
