import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTapKey } from '../services/auth/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { login, type ApiSession } from './helpers/api-session.js';
import { startTestServer, type TestServer } from './helpers/server.js';

interface Item { id: string; [k: string]: unknown }
const json = async <T = Item>(res: Response) => res.json() as Promise<T>;

describe('admin API', () => {
  let server: TestServer;
  let admin: ApiSession;
  beforeAll(async () => {
    server = await startTestServer();
    await seedDemo(server.db);
    admin = await login(server.url, 'admin', 'admin-demo');
  });
  afterAll(async () => { await server?.close(); });

  const auditFor = async (targetId: string) =>
    (await json<{ items: { action: string; actorUsername: string; details: object }[] }>(await admin.get(`/api/admin/audit?targetId=${targetId}`))).items;

  it('creates, lists, renames, re-roles, disables and re-passwords users, auditing each change', async () => {
    const create = (body: object) => admin.request('POST', '/api/admin/users', body);
    const res = await create({ username: 'NewQA', displayName: 'New QA', role: 'qa', password: 'new-qa-pass' });
    expect(res.status).toBe(201);
    const user = await json(res);
    expect(user).toMatchObject({ username: 'newqa', role: 'qa', disabled: false });
    expect((await create({ username: 'newqa', displayName: 'Dup', role: 'qa', password: 'new-qa-pass' })).status).toBe(409);
    expect((await create({ username: 'weak', displayName: 'W', role: 'qa', password: 'short' })).status).toBe(400);
    expect((await create({ username: 'badrole', displayName: 'B', role: 'root', password: 'long-enough' })).status).toBe(400);
    const list = await json<{ items: Item[] }>(await admin.get('/api/admin/users'));
    expect(list.items.map((u) => u.username)).toContain('newqa');
    expect(JSON.stringify(list)).not.toMatch(/scrypt|password/i);

    const qa = await login(server.url, 'newqa', 'new-qa-pass');
    const patched = await admin.request('PATCH', `/api/admin/users/${user.id}`, { role: 'trainer', displayName: 'Now Trainer' });
    expect(await json(patched)).toMatchObject({ role: 'trainer', displayName: 'Now Trainer' });
    expect(await json(await qa.get('/api/auth/me'))).toMatchObject({ user: { role: 'trainer' } });

    expect((await admin.request('PATCH', `/api/admin/users/${user.id}`, { password: 'another-pass' })).status).toBe(200);
    expect((await qa.get('/api/auth/me')).status).toBe(401);
    const again = await login(server.url, 'newqa', 'another-pass');
    expect((await admin.request('PATCH', `/api/admin/users/${user.id}`, { disabled: true })).status).toBe(200);
    expect((await again.get('/api/auth/me')).status).toBe(401);
    await expect(login(server.url, 'newqa', 'another-pass')).rejects.toThrow(/401/);

    const actions = (await auditFor(user.id)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.created', 'user.renamed', 'user.role_changed', 'user.password_set', 'user.disabled']));
    const changes = (await auditFor(user.id)).filter((e) => e.action.startsWith('user.'));
    expect(changes.every((e) => e.actorUsername === 'admin')).toBe(true);
    expect((await auditFor(user.id)).filter((e) => e.action === 'auth.login').map((e) => e.actorUsername)).toEqual(['newqa', 'newqa']);
  });

  it('keeps the last enabled admin and leaves a refused change without effect', async () => {
    const res = await admin.request('PATCH', `/api/admin/users/${admin.user.id}`, { displayName: 'Renamed', disabled: true });
    expect(res.status).toBe(409);
    expect((await json<{ error: string }>(res)).error).toMatch(/last enabled admin/);
    expect((await admin.request('PATCH', `/api/admin/users/${admin.user.id}`, { role: 'qa' })).status).toBe(409);
    expect(await json(await admin.get('/api/auth/me'))).toMatchObject({ user: { displayName: 'Ada Admin', role: 'admin' } });
    expect((await admin.request('PATCH', '/api/admin/users/00000000-0000-4000-8000-000000000000', { disabled: true })).status).toBe(404);
    expect((await admin.request('PATCH', '/api/admin/users/not-a-uuid', { disabled: true })).status).toBe(404);
    expect((await admin.request('PATCH', `/api/admin/users/${admin.user.id}`, { bogus: 1 })).status).toBe(400);
  });

  it('manages teams and their supervisors', async () => {
    const team = await json(await admin.request('POST', '/api/admin/teams', { name: 'Retention' }));
    expect((await admin.request('POST', '/api/admin/teams', { name: 'Retention' })).status).toBe(409);
    const users = (await json<{ items: Item[] }>(await admin.get('/api/admin/users'))).items;
    const sup = users.find((u) => u.username === 'supervisor') as Item;
    const qa = users.find((u) => u.username === 'qa') as Item;
    expect((await admin.request('PUT', `/api/admin/teams/${team.id}/supervisors/${qa.id}`)).status).toBe(400);
    const added = await json<{ supervisors: Item[] }>(await admin.request('PUT', `/api/admin/teams/${team.id}/supervisors/${sup.id}`));
    expect(added.supervisors.map((s) => s.username)).toEqual(['supervisor']);
    expect((await admin.request('DELETE', `/api/admin/teams/${team.id}/supervisors/${sup.id}`)).status).toBe(200);
    expect((await admin.request('DELETE', `/api/admin/teams/${team.id}/supervisors/${sup.id}`)).status).toBe(404);
    const actions = (await auditFor(team.id)).map((e) => e.action);
    expect(actions).toEqual(['team.supervisor_removed', 'team.supervisor_added', 'team.created']);
  });

  it('creates agents, assigns teams and links agent users', async () => {
    const teams = (await json<{ items: Item[] }>(await admin.get('/api/admin/teams'))).items;
    const salesB = teams.find((t) => t.name === 'Sales B') as Item;
    const agent = await json(await admin.request('POST', '/api/admin/agents', { externalId: 'agent-9001', displayName: 'Nine', teamId: salesB.id }));
    expect(agent).toMatchObject({ externalId: 'agent-9001', teamId: salesB.id, userId: null });
    expect((await admin.request('POST', '/api/admin/agents', { externalId: 'agent-9001' })).status).toBe(409);
    const user = await json(await admin.request('POST', '/api/admin/users', { username: 'nine', displayName: 'Nine', role: 'agent', password: 'nine-pass-1' }));
    const linked = await json(await admin.request('PATCH', `/api/admin/agents/${agent.id}`, { userId: user.id, teamId: null }));
    expect(linked).toMatchObject({ userId: user.id, teamId: null });
    const users = (await json<{ items: Item[] }>(await admin.get('/api/admin/users?role=agent'))).items;
    const demoAgentUser = users.find((u) => u.username === 'agent') as Item;
    expect((await admin.request('PATCH', `/api/admin/agents/${agent.id}`, { userId: demoAgentUser.id })).status).toBe(409);
    expect((await admin.request('PATCH', `/api/admin/agents/${agent.id}`, { userId: admin.user.id })).status).toBe(400);
    const listed = (await json<{ items: Item[] }>(await admin.get(`/api/admin/agents?team=${salesB.id}`))).items;
    expect(listed.map((a) => a.externalId)).toEqual(['agent-2001', 'agent-2002']);
    expect((await auditFor(agent.id)).map((e) => e.action)).toEqual(['agent.user_linked', 'agent.team_assigned', 'agent.created']);
  });

  it('creates and updates queues', async () => {
    const q = await json(await admin.request('POST', '/api/admin/queues', { name: 'billing', department: 'finance' }));
    expect(q).toMatchObject({ name: 'billing', department: 'finance' });
    expect((await admin.request('POST', '/api/admin/queues', { name: 'billing' })).status).toBe(409);
    expect(await json(await admin.request('PATCH', `/api/admin/queues/${q.id}`, { department: 'support' }))).toMatchObject({ department: 'support' });
    const names = (await json<{ items: Item[] }>(await admin.get('/api/admin/queues'))).items.map((x) => x.name);
    expect(names).toEqual(['billing', 'complaints', 'sales', 'support', 'technical']);
  });

  it('creates tap keys (secret shown once), lists them without secrets, revokes them, and audits without secrets', async () => {
    const res = await admin.request('POST', '/api/admin/tap-keys', { name: 'genesys', protocols: ['audiohook'], clientSecret: true });
    expect(res.status).toBe(201);
    const created = await json<Item & { apiKey: string; clientSecret: string }>(res);
    expect(created.apiKey).toMatch(/^tap_/);
    expect(Buffer.from(created.clientSecret, 'base64')).toHaveLength(32);
    expect(created).toMatchObject({ name: 'genesys', protocols: ['audiohook'], signaturesRequired: true, revoked: false });
    expect((await admin.request('POST', '/api/admin/tap-keys', { name: 'genesys' })).status).toBe(409);

    const listText = await (await admin.get('/api/admin/tap-keys')).text();
    expect(listText).not.toContain(created.apiKey);
    expect(listText).not.toContain(created.clientSecret);
    expect(JSON.parse(listText).items.find((k: Item) => k.id === created.id)).toMatchObject({ keyPrefix: created.apiKey.slice(0, 8) });

    expect((await findTapKey(server.db, created.apiKey, 'audiohook'))?.id).toBe(created.id);
    expect(await findTapKey(server.db, created.apiKey, 'twilio')).toBeUndefined();
    const revoked = await admin.request('POST', `/api/admin/tap-keys/${created.id}/revoke`);
    expect(await json(revoked)).toMatchObject({ id: created.id, revoked: true });
    expect(await findTapKey(server.db, created.apiKey, 'audiohook')).toBeUndefined();
    expect((await admin.request('POST', '/api/admin/tap-keys/00000000-0000-4000-8000-000000000000/revoke')).status).toBe(404);

    expect((await auditFor(created.id)).map((e) => e.action)).toEqual(['tap_key.revoked', 'tap_key.created']);
    const wholeLog = await (await admin.get('/api/admin/audit?limit=500')).text();
    for (const secret of [created.apiKey, created.clientSecret, 'new-qa-pass', 'another-pass', 'nine-pass-1', 'admin-demo']) {
      expect(wholeLog).not.toContain(secret);
    }
  });

  it('filters and pages the audit log', async () => {
    const page = await json<{ items: Item[]; total: number; limit: number }>(await admin.get('/api/admin/audit?limit=2&action=user.created'));
    expect(page.limit).toBe(2);
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThanOrEqual(2);
    expect(page.items.every((e) => e.action === 'user.created')).toBe(true);
    const mine = await json<{ items: Item[] }>(await admin.get(`/api/admin/audit?actor=${admin.user.id}&from=2000-01-01`));
    expect(mine.items.every((e) => e.actorId === admin.user.id)).toBe(true);
    expect((await admin.get('/api/admin/audit?actor=nope')).status).toBe(400);
  });
});
