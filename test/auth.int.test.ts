import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateRequest, findTapKey } from '../services/auth/index.js';
import { DEMO_TAP_KEY, DEMO_USERS, seedDemo } from '../services/server/demo-seed.js';
import { createStore } from '../services/store/index.js';
import { cookieHeader, login } from './helpers/api-session.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const password = (username: string) => DEMO_USERS.find((u) => u.username === username)?.password ?? '';
const postLogin = (url: string, username: string, pw: string) => fetch(`${url}/api/auth/login`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: pw }),
});

describe('auth', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ login: { maxFailures: 3, windowSeconds: 60 } });
    await seedDemo(server.db);
  });
  afterAll(async () => { await server?.close(); });

  it('logs in with a password: session cookie HttpOnly and SameSite=Lax, CSRF token in the body and a readable cookie', async () => {
    const res = await postLogin(server.url, 'admin', 'admin-demo');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json() as { user: Record<string, unknown>; csrfToken: string };
    expect(body.user).toMatchObject({ username: 'admin', role: 'admin', disabled: false });
    expect(JSON.stringify(body)).not.toMatch(/scrypt|password/i);
    const cookies = res.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('cs_session='));
    const csrf = cookies.find((c) => c.startsWith('cs_csrf='));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).not.toMatch(/Secure/i);
    expect(csrf).not.toMatch(/HttpOnly/i);
    expect(csrf).toContain(`cs_csrf=${body.csrfToken}`);
  });

  it('answers /me with the user and CSRF token, 401 without a session', async () => {
    expect((await fetch(`${server.url}/api/auth/me`)).status).toBe(401);
    const s = await login(server.url, 'qa', password('qa'));
    const res = await s.get('/api/auth/me');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { username: 'qa', role: 'qa' }, csrfToken: s.csrfToken });
    expect((await fetch(`${server.url}/api/auth/me`, { headers: { cookie: 'cs_session=forged' } })).status).toBe(401);
  });

  it('refuses a wrong password and an unknown user with the same 401 message', async () => {
    const wrong = await postLogin(server.url, 'trainer', 'not-the-password');
    const unknown = await postLogin(server.url, 'nobody-here', 'whatever-pw');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    expect(wrong.headers.getSetCookie()).toEqual([]);
    expect((await postLogin(server.url, 'trainer', '')).status).toBe(400);
  });

  it('rate-limits repeated failures per username and address with 429 and Retry-After', async () => {
    const admin = await login(server.url, 'admin', 'admin-demo');
    await admin.request('POST', '/api/admin/users', { username: 'victim', displayName: 'V', role: 'qa', password: 'victim-pass' });
    for (let i = 0; i < 3; i++) expect((await postLogin(server.url, 'victim', 'wrong-pass')).status).toBe(401);
    const limited = await postLogin(server.url, 'victim', 'victim-pass');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await limited.json() as { error: string }).error).toMatch(/too many failed logins/);
    expect((await postLogin(server.url, 'supervisor', password('supervisor'))).status).toBe(200);
    const failures = await admin.get('/api/admin/audit?action=auth.login_failed');
    const entries = (await failures.json() as { items: { details: Record<string, unknown> }[] }).items;
    expect(entries.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(entries)).not.toContain('wrong-pass');
  });

  it('requires X-CSRF-Token on cookie-authenticated state changes', async () => {
    const s = await login(server.url, 'admin', 'admin-demo');
    const body = { name: 'CSRF team' };
    const missing = await s.request('POST', '/api/admin/teams', body, { 'x-csrf-token': '' });
    expect(missing.status).toBe(403);
    expect((await missing.json() as { error: string }).error).toMatch(/X-CSRF-Token/);
    expect((await s.request('POST', '/api/admin/teams', body, { 'x-csrf-token': 'wrong' })).status).toBe(403);
    const other = await login(server.url, 'admin', 'admin-demo');
    expect((await s.request('POST', '/api/admin/teams', body, { 'x-csrf-token': other.csrfToken })).status).toBe(403);
    expect((await s.request('POST', '/api/admin/teams', body)).status).toBe(201);
    expect((await s.get('/api/admin/teams', { 'x-csrf-token': '' })).status).toBe(200);
  });

  it('logs out: needs the CSRF token, ends the session and clears the cookies', async () => {
    const s = await login(server.url, 'trainer', password('trainer'));
    expect((await s.request('POST', '/api/auth/logout', undefined, { 'x-csrf-token': '' })).status).toBe(403);
    const res = await s.request('POST', '/api/auth/logout');
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().some((c) => /^cs_session=;/.test(c) && /Max-Age=0/i.test(c))).toBe(true);
    expect((await s.get('/api/auth/me')).status).toBe(401);
  });

  it('returns 401 unauthenticated and 403 for every non-admin role on every admin endpoint', async () => {
    const endpoints: [string, string, unknown?][] = [
      ['GET', '/api/admin/users'], ['POST', '/api/admin/users', { username: 'x1', displayName: 'X', role: 'qa', password: 'long-enough' }],
      ['GET', '/api/admin/teams'], ['POST', '/api/admin/teams', { name: 'Nope' }],
      ['GET', '/api/admin/agents'], ['GET', '/api/admin/queues'], ['POST', '/api/admin/queues', { name: 'nope' }],
      ['GET', '/api/admin/tap-keys'], ['POST', '/api/admin/tap-keys', { name: 'nope' }], ['GET', '/api/admin/audit'],
    ];
    for (const [method, path] of endpoints) {
      expect((await fetch(`${server.url}${path}`, { method })).status, `${method} ${path}`).toBe(401);
    }
    for (const role of ['trainer', 'qa', 'supervisor', 'agent']) {
      const s = await login(server.url, role, password(role));
      for (const [method, path, body] of endpoints) expect((await s.request(method, path, body)).status, `${role} ${method} ${path}`).toBe(403);
    }
    const admin = await login(server.url, 'admin', 'admin-demo');
    for (const [, path] of endpoints.filter(([m]) => m === 'GET')) expect((await admin.get(path)).status, path).toBe(200);
  });

  it('authenticates a WebSocket-style request from its Cookie header', async () => {
    const s = await login(server.url, 'supervisor', password('supervisor'));
    expect(await authenticateRequest(server.db, { cookie: s.cookie })).toMatchObject({ username: 'supervisor', role: 'supervisor' });
    expect((await authenticateRequest(server.db, new Headers({ cookie: s.cookie })))?.username).toBe('supervisor');
    expect(await authenticateRequest(server.db, {})).toBeUndefined();
    expect(await authenticateRequest(server.db, { cookie: 'cs_session=nope' })).toBeUndefined();
  });

  it('seeds demo data idempotently: one user per role, teams, linked agent, queues and a working tap key', async () => {
    const again = await seedDemo(server.db);
    expect(again.created).toEqual([]);
    expect(again.users.map((u) => u.role).sort()).toEqual(['admin', 'agent', 'qa', 'supervisor', 'trainer']);
    for (const u of again.users) expect((await postLogin(server.url, u.username, u.password)).status, u.username).toBe(200);
    const store = createStore(server.db);
    const agentUser = await store.users.findByUsername('agent');
    const agent = await store.agents.findByExternalId('agent-1001');
    expect(agent?.userId).toBe(agentUser?.id);
    const team = await store.teams.findByName('Support A');
    expect(team?.supervisors.map((s) => s.username)).toEqual(['supervisor']);
    expect(team?.agentCount).toBe(2);
    expect((await store.queues.list()).map((q) => q.name)).toEqual(['complaints', 'sales', 'support', 'technical']);
    expect((await findTapKey(server.db, DEMO_TAP_KEY, 'native'))?.name).toBe('demo');
  });
});

describe('secure cookies', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ session: { secureCookie: true, ttlHours: 1 } });
    await seedDemo(server.db);
  });
  afterAll(async () => { await server?.close(); });

  it('marks both cookies Secure when configured', async () => {
    const res = await postLogin(server.url, 'admin', 'admin-demo');
    expect(res.status).toBe(200);
    for (const c of res.headers.getSetCookie()) expect(c).toMatch(/;\s*Secure/i);
    expect(cookieHeader(res)).toMatch(/cs_session=.+; cs_csrf=.+/);
  });
});
