import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTapKey } from '../services/auth/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { createStore, type Store } from '../services/store/index.js';
import { login, type ApiSession } from './helpers/api-session.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { connectSupervisor, startToneCall, waitListed } from './live-helpers.js';

interface NoteJson { id: string; callId: string; atMs: number; text: string; author: { id: string; username: string; displayName: string } | null; createdAt: string }
interface ListJson { callId: string; items: NoteJson[] }

const CAPS = { listen: true, whisper: false, barge: false, playToCustomer: false };
const USERS = { admin: 'admin-demo', qa: 'qa-demo-1', trainer: 'trainer-demo', supervisor: 'supervisor-demo', agent: 'agent-demo', sup2: 'sup2-pass' } as const;

describe('call notes API', () => {
  let server: TestServer;
  let store: Store;
  const s = {} as Record<keyof typeof USERS, ApiSession>;
  /** own: agent-1001 (the agent user, Support A); team: agent-1002 (Support A); sales: agent-2001 (Sales B, sup2). */
  const calls = { own: '', team: '', sales: '' };

  async function addCall(agentExt: string): Promise<string> {
    const agent = await store.agents.findOrCreate(agentExt);
    const id = randomUUID();
    expect(await store.calls.insert({
      id, protocol: 'native', externalId: `ext-${id}`, direction: 'inbound', startedAt: new Date('2024-05-01T09:00:00Z'), sampleRate: 8000,
      agentId: agent.id, capabilities: CAPS,
    })).toBe(true);
    return id;
  }

  const notesOf = (who: keyof typeof USERS, callId: string) => s[who].get(`/api/calls/${callId}/notes`);
  const add = (who: keyof typeof USERS, callId: string, body: unknown, headers?: Record<string, string>) =>
    s[who].request('POST', `/api/calls/${callId}/notes`, body, headers);
  const error = async (res: Response) => (await res.json() as { error: string }).error;

  beforeAll(async () => {
    server = await startTestServer();
    store = createStore(server.db);
    await seedDemo(server.db);
    const admin = await login(server.url, 'admin', USERS.admin);
    const sup2 = await (await admin.request('POST', '/api/admin/users', { username: 'sup2', displayName: 'Sue Two', role: 'supervisor', password: USERS.sup2 })).json() as { id: string };
    const salesB = await store.teams.findByName('Sales B');
    expect((await admin.request('PUT', `/api/admin/teams/${salesB?.id}/supervisors/${sup2.id}`)).status).toBe(200);
    calls.own = await addCall('agent-1001');
    calls.team = await addCall('agent-1002');
    calls.sales = await addCall('agent-2001');
    for (const [u, pw] of Object.entries(USERS)) s[u as keyof typeof USERS] = await login(server.url, u, pw);
  });
  afterAll(async () => { await server?.close(); });

  it('saves a supervisor\'s note at a call time with its author, lists notes in call-time order, and audits it', async () => {
    const res = await add('supervisor', calls.own, { atMs: 42_500, text: '  Offer the callback earlier.  ' });
    expect(res.status).toBe(201);
    const note = await res.json() as NoteJson;
    expect(note).toMatchObject({ callId: calls.own, atMs: 42_500, text: 'Offer the callback earlier.', author: { username: 'supervisor', displayName: 'Sam Supervisor' } });
    expect(Number.isNaN(Date.parse(note.createdAt))).toBe(false);
    expect((await add('qa', calls.own, { atMs: 1000, text: 'Greeting was warm.' })).status).toBe(201);
    expect((await add('admin', calls.own, { atMs: 0, text: 'Checked by admin.' })).status).toBe(201);

    const list = await (await notesOf('supervisor', calls.own)).json() as ListJson;
    expect(list.callId).toBe(calls.own);
    expect(list.items.map((n) => [n.atMs, n.author?.username, n.text])).toEqual([
      [0, 'admin', 'Checked by admin.'], [1000, 'qa', 'Greeting was warm.'], [42_500, 'supervisor', 'Offer the callback earlier.'],
    ]);
    const audit = await (await s.admin.get(`/api/admin/audit?targetId=${calls.own}&action=call_note.created`)).json() as { items: { actorUsername: string; details: { noteId: string; atMs: number } }[] };
    expect(audit.items.map((e) => e.actorUsername).sort()).toEqual(['admin', 'qa', 'supervisor']);
    expect(audit.items.find((e) => e.actorUsername === 'supervisor')?.details).toEqual({ noteId: note.id, atMs: 42_500 });
  });

  it('lets the call\'s own agent read its notes, but no other call\'s, and never write', async () => {
    const own = await notesOf('agent', calls.own);
    expect(own.status).toBe(200);
    expect((await own.json() as ListJson).items.length).toBeGreaterThanOrEqual(3);
    expect((await add('supervisor', calls.team, { atMs: 5000, text: 'Team call note.' })).status).toBe(201);
    const other = await notesOf('agent', calls.team);
    expect(other.status).toBe(404);
    expect(await error(other)).toBe('call not found');
    const write = await add('agent', calls.own, { atMs: 0, text: 'My own note' });
    expect(write.status).toBe(403);
    expect(await error(write)).toMatch(/supervisor or admin or qa role/);
  });

  it('refuses trainers, and supervisors outside the call\'s team', async () => {
    for (const res of [await notesOf('trainer', calls.own), await add('trainer', calls.own, { atMs: 0, text: 'x' })]) {
      expect(res.status).toBe(403);
    }
    expect((await notesOf('supervisor', calls.sales)).status).toBe(404);
    expect((await add('supervisor', calls.sales, { atMs: 0, text: 'Not my team' })).status).toBe(404);
    expect((await add('sup2', calls.own, { atMs: 0, text: 'Not my team either' })).status).toBe(404);
    // sup2 supervises Sales B: their own team's call is fine, and the demo supervisor still does not see its notes.
    expect((await add('sup2', calls.sales, { atMs: 3000, text: 'Sales note.' })).status).toBe(201);
    expect((await (await notesOf('qa', calls.sales)).json() as ListJson).items.map((n) => n.text)).toEqual(['Sales note.']);
    expect((await notesOf('supervisor', calls.sales)).status).toBe(404);
  });

  it('refuses bad notes with a 400 that says what is wrong, and stores nothing', async () => {
    const before = (await (await notesOf('qa', calls.team)).json() as ListJson).items.length;
    const cases: [unknown, RegExp][] = [
      [{ atMs: 0, text: '' }, /^text: must not be empty$/],
      [{ atMs: 0, text: '   ' }, /^text: must not be empty$/],
      [{ atMs: 0, text: 'x'.repeat(2001) }, /^text: must be at most 2000 characters$/],
      [{ atMs: -1, text: 'Too early' }, /^atMs: must be 0 or more/],
      [{ atMs: 1.5, text: 'Half a ms' }, /^atMs: must be a whole number/],
      [{ atMs: '100', text: 'String time' }, /^atMs: /],
      [{ text: 'No time' }, /^atMs: /],
      [{ atMs: 0 }, /^text: /],
      [{ atMs: 0, text: 'ok', author: 'someone' }, /author/],
    ];
    for (const [body, message] of cases) {
      const res = await add('qa', calls.team, body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(await error(res)).toMatch(message);
    }
    const notJson = await s.qa.request('POST', `/api/calls/${calls.team}/notes`, undefined, { 'content-type': 'application/json' });
    expect(notJson.status).toBe(400);
    expect((await add('qa', calls.team, { atMs: 0, text: 'x'.repeat(2000) })).status).toBe(201);
    expect((await (await notesOf('qa', calls.team)).json() as ListJson).items.length).toBe(before + 1);
    expect((await s.qa.get('/api/calls/not-a-uuid/notes')).status).toBe(404);
    expect((await s.qa.get(`/api/calls/${randomUUID()}/notes`)).status).toBe(404);
  });

  it('needs a session, and the CSRF token to write', async () => {
    expect((await fetch(`${server.url}/api/calls/${calls.own}/notes`)).status).toBe(401);
    const missing = await add('supervisor', calls.own, { atMs: 0, text: 'No token' }, { 'x-csrf-token': '' });
    expect(missing.status).toBe(403);
    expect(await error(missing)).toMatch(/X-CSRF-Token/);
    expect((await add('supervisor', calls.own, { atMs: 0, text: 'Wrong token' }, { 'x-csrf-token': s.qa.csrfToken })).status).toBe(403);
    const texts = (await (await notesOf('supervisor', calls.own)).json() as ListJson).items.map((n) => n.text);
    expect(texts).not.toContain('No token');
    expect(texts).not.toContain('Wrong token');
  });

  it('deletes only one\'s own note, with the CSRF token, and audits it', async () => {
    const mine = await (await add('qa', calls.own, { atMs: 9000, text: 'Delete me.' })).json() as NoteJson;
    const path = `/api/calls/${calls.own}/notes/${mine.id}`;
    const byOther = await s.supervisor.request('DELETE', path);
    expect(byOther.status).toBe(403);
    expect(await error(byOther)).toMatch(/only its author/);
    expect((await s.admin.request('DELETE', path)).status).toBe(403);
    expect((await s.agent.request('DELETE', path)).status).toBe(403);
    expect((await s.qa.request('DELETE', path, undefined, { 'x-csrf-token': '' })).status).toBe(403);
    expect((await s.qa.request('DELETE', `/api/calls/${calls.team}/notes/${mine.id}`)).status).toBe(404); // wrong call
    expect((await s.qa.request('DELETE', path)).status).toBe(204);
    expect((await s.qa.request('DELETE', path)).status).toBe(404);
    expect((await s.qa.request('DELETE', `/api/calls/${calls.own}/notes/nope`)).status).toBe(404);
    const left = (await (await notesOf('qa', calls.own)).json() as ListJson).items;
    expect(left.map((n) => n.id)).not.toContain(mine.id);
    expect(left.length).toBe(3);
    const audit = await (await s.admin.get(`/api/admin/audit?targetId=${calls.own}&action=call_note.deleted`)).json() as { items: { actorUsername: string; details: object }[] };
    expect(audit.items).toEqual([expect.objectContaining({ actorUsername: 'qa', details: { noteId: mine.id, atMs: 9000 } })]);
  });

  it('drops a call\'s notes with the call', async () => {
    const id = await addCall('agent-1002');
    expect((await add('admin', id, { atMs: 10, text: 'Goes with the call.' })).status).toBe(201);
    await server.db.query('delete from calls where id = $1', [id]);
    expect((await server.db.query('select id from call_notes where call_id = $1', [id])).length).toBe(0);
  });

  it('tells the supervisors watching a live call when a note is added or deleted (ids only, the text stays behind the API)', async () => {
    const apiKey = (await createTapKey(server.db, { name: 'notes-live' })).apiKey;
    const live = startToneCall({ url: server.wsUrl, protocol: 'native', credentials: { apiKey }, agentId: 'agent-1001', seconds: 30 });
    const sup = await connectSupervisor(server.wsUrl, s.supervisor.cookie);
    try {
      const callId = await live.callId;
      await waitListed(sup, callId);
      expect(await sup.request({ type: 'subscribe', callId })).toMatchObject({ type: 'subscribed', callId });
      const note = await (await add('qa', callId, { atMs: 1500, text: 'Slow down a little.' })).json() as NoteJson;
      const added = await sup.waitFor((m) => m.type === 'note.added');
      expect(added).toEqual({ type: 'note.added', callId, noteId: note.id, atMs: 1500 });
      expect((await s.qa.request('DELETE', `/api/calls/${callId}/notes/${note.id}`)).status).toBe(204);
      expect(await sup.waitFor((m) => m.type === 'note.deleted')).toEqual({ type: 'note.deleted', callId, noteId: note.id });
    } finally {
      await sup.close();
      await live.stop();
    }
  });
});
