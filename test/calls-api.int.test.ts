import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Capabilities } from '../services/calls/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { createStore, recordCallFinished, recordCallStarted, type NewCall, type Store } from '../services/store/index.js';
import { login, type ApiSession } from './helpers/api-session.js';
import { startTestServer, type TestServer } from './helpers/server.js';

interface CallJson { id: string; status: string; agent: { externalId: string } | null; recording: { format: string; url: string } | null; [k: string]: unknown }
interface PageJson { items: CallJson[]; total: number; limit: number; offset: number }

const CAPS: Capabilities = { listen: true, whisper: false, barge: false, playToCustomer: false };
const WAV = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

describe('calls API', () => {
  let server: TestServer;
  let store: Store;
  const ids: Record<string, string> = {};
  const sessions: Record<string, ApiSession> = {};
  const ext = (page: PageJson) => page.items.map((c) => c.agent?.externalId ?? '-');

  async function addCall(name: string, agentExt: string | null, queue: string, startedAt: string, extra: Partial<NewCall> = {}) {
    const agent = agentExt ? await store.agents.findOrCreate(agentExt) : undefined;
    const q = await store.queues.findOrCreate(queue);
    const id = randomUUID();
    expect(await store.calls.insert({
      id, protocol: 'native', externalId: `ext-${name}`, direction: 'inbound', startedAt: new Date(startedAt), sampleRate: 8000,
      agentId: agent?.id, queueId: q.id, capabilities: CAPS, ...extra,
    })).toBe(true);
    ids[name] = id;
    return id;
  }

  beforeAll(async () => {
    server = await startTestServer();
    store = createStore(server.db);
    await seedDemo(server.db);
    // Team "Sales B" gets its own supervisor; "Support A" (agent-1001, agent-1002) is the demo supervisor's.
    const salesB = await store.teams.findByName('Sales B');
    const admin = await login(server.url, 'admin', 'admin-demo');
    const sup2 = await (await admin.request('POST', '/api/admin/users', { username: 'sup2', displayName: 'Sup Two', role: 'supervisor', password: 'sup2-pass' })).json() as { id: string };
    await admin.request('PUT', `/api/admin/teams/${salesB?.id}/supervisors/${sup2.id}`);

    const a1 = await addCall('a1', 'agent-1001', 'support', '2024-03-01T10:00:00Z');
    await addCall('a2', 'agent-1002', 'sales', '2024-03-02T10:00:00Z');
    await addCall('b1', 'agent-2001', 'sales', '2024-03-03T10:00:00Z');
    await addCall('none', null, 'technical', '2024-03-04T10:00:00Z');
    for (let i = 0; i < 25; i++) await addCall(`p${i}`, 'agent-2002', 'complaints', `2024-02-${String(i + 1).padStart(2, '0')}T08:00:00Z`);
    await store.calls.finish(a1, { status: 'ended', endedAt: new Date('2024-03-01T10:05:00Z'), durationMs: 300_000, stats: { framesIn: 10 } });
    mkdirSync(join(server.dataDir, 'recordings'), { recursive: true });
    writeFileSync(join(server.dataDir, 'recordings', 'a1.wav'), WAV);
    await store.calls.setRecording(a1, { path: 'recordings/a1.wav', format: 'wav', bytes: WAV.length });
    writeFileSync(join(server.dataDir, 'b1.ogg'), Buffer.from('OggS-fake'));
    await store.calls.setRecording(ids.b1, { path: join(server.dataDir, 'b1.ogg'), format: 'ogg', bytes: 9 });
    await store.calls.setRecording(ids.a2, { path: 'recordings/missing.wav', format: 'wav', bytes: null });

    for (const [u, pw] of [['admin', 'admin-demo'], ['qa', 'qa-demo-1'], ['trainer', 'trainer-demo'], ['supervisor', 'supervisor-demo'], ['agent', 'agent-demo'], ['sup2', 'sup2-pass']]) {
      sessions[u] = await login(server.url, u, pw);
    }
  });
  afterAll(async () => { await server?.close(); });

  const list = async (who: string, query = '') => {
    const res = await sessions[who].get(`/api/calls${query}`);
    expect(res.status, `${who} ${query}`).toBe(200);
    return res.json() as Promise<PageJson>;
  };

  it('needs a session', async () => {
    expect((await fetch(`${server.url}/api/calls`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/calls/${ids.a1}`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/calls/${ids.a1}/recording`)).status).toBe(401);
  });

  it('shows admin, QA and trainers every call, newest first', async () => {
    for (const who of ['admin', 'qa', 'trainer']) {
      const page = await list(who, '?limit=5');
      expect(page.total).toBe(29);
      expect(page.items.map((c) => c.id)).toEqual([ids.none, ids.b1, ids.a2, ids.a1, ids.p24]);
    }
  });

  it('shows an agent only their own calls, and 404 for any other', async () => {
    const page = await list('agent');
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({ id: ids.a1, status: 'ended', durationMs: 300_000, agent: { externalId: 'agent-1001', teamName: 'Support A' } });
    expect((await sessions.agent.get(`/api/calls/${ids.a1}`)).status).toBe(200);
    for (const other of [ids.a2, ids.b1, ids.none, ids.p0]) {
      const res = await sessions.agent.get(`/api/calls/${other}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'call not found' });
      expect((await sessions.agent.get(`/api/calls/${other}/recording`)).status).toBe(404);
    }
    expect((await list('agent', '?team=Sales B')).total).toBe(0);
  });

  it('shows a supervisor only the calls of the teams they supervise', async () => {
    expect(ext(await list('supervisor'))).toEqual(['agent-1002', 'agent-1001']);
    expect((await sessions.supervisor.get(`/api/calls/${ids.b1}`)).status).toBe(404);
    const sup2 = await list('sup2', '?limit=100');
    expect(sup2.total).toBe(26);
    expect(new Set(ext(sup2))).toEqual(new Set(['agent-2001', 'agent-2002']));
    expect((await sessions.sup2.get(`/api/calls/${ids.a1}`)).status).toBe(404);
  });

  it('filters by agent, team, queue, status and date range', async () => {
    const agent1001 = await store.agents.findByExternalId('agent-1001');
    expect((await list('admin', '?agent=agent-1001')).items.map((c) => c.id)).toEqual([ids.a1]);
    expect((await list('admin', `?agent=${agent1001?.id}`)).items.map((c) => c.id)).toEqual([ids.a1]);
    const supportA = await store.teams.findByName('Support A');
    expect((await list('admin', `?team=${supportA?.id}`)).total).toBe(2);
    expect((await list('admin', '?team=Support%20A')).total).toBe(2);
    expect((await list('admin', '?queue=sales')).items.map((c) => c.id)).toEqual([ids.b1, ids.a2]);
    expect((await list('admin', '?status=ended')).items.map((c) => c.id)).toEqual([ids.a1]);
    expect((await list('admin', '?status=live')).total).toBe(28);
    expect((await list('admin', '?from=2024-03-02T00:00:00Z&to=2024-03-04')).items.map((c) => c.id)).toEqual([ids.b1, ids.a2]);
    expect((await list('supervisor', '?queue=complaints')).total).toBe(0);
    for (const bad of ['?limit=0', '?limit=501', '?offset=-1', '?status=gone', '?from=yesterday']) {
      expect((await sessions.admin.get(`/api/calls${bad}`)).status, bad).toBe(400);
    }
  });

  it('pages with limit and offset and reports the total', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 30; offset += 10) {
      const page = await list('admin', `?queue=complaints&limit=10&offset=${offset}`);
      expect(page).toMatchObject({ total: 25, limit: 10, offset });
      seen.push(...page.items.map((c) => c.id));
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(seen[0]).toBe(ids.p24);
    expect(seen[24]).toBe(ids.p0);
    expect((await list('admin', '?queue=complaints&offset=100')).items).toEqual([]);
  });

  it('returns one call with its recording link but never the file path', async () => {
    const res = await sessions.supervisor.get(`/api/calls/${ids.a1}`);
    const call = await res.json() as CallJson;
    expect(call).toMatchObject({ id: ids.a1, queue: { name: 'support' }, stats: { framesIn: 10 }, capabilities: CAPS });
    expect(call.recording).toEqual({ format: 'wav', bytes: 1000, url: `/api/calls/${ids.a1}/recording` });
    expect(JSON.stringify(call)).not.toContain('recordings/');
    expect((await sessions.admin.get('/api/calls/not-a-uuid')).status).toBe(404);
    expect((await sessions.admin.get(`/api/calls/${randomUUID()}`)).status).toBe(404);
  });

  it('streams a recording with Range support', async () => {
    const url = `/api/calls/${ids.a1}/recording`;
    const full = await sessions.agent.get(url);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('audio/wav');
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect(full.headers.get('content-length')).toBe('1000');
    expect(Buffer.from(await full.arrayBuffer())).toEqual(WAV);

    const part = await sessions.agent.get(url, { range: 'bytes=10-19' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/1000');
    expect(part.headers.get('content-length')).toBe('10');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(WAV.subarray(10, 20));

    const tail = await sessions.agent.get(url, { range: 'bytes=-100' });
    expect(tail.headers.get('content-range')).toBe('bytes 900-999/1000');
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(WAV.subarray(900));
    const open = await sessions.agent.get(url, { range: 'bytes=995-' });
    expect(Buffer.from(await open.arrayBuffer())).toEqual(WAV.subarray(995));

    const bad = await sessions.agent.get(url, { range: 'bytes=1000-' });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe('bytes */1000');
    await bad.arrayBuffer();
  });

  it('serves Ogg recordings as audio/ogg and explains a missing recording', async () => {
    const ogg = await sessions.sup2.get(`/api/calls/${ids.b1}/recording`);
    expect(ogg.status).toBe(200);
    expect(ogg.headers.get('content-type')).toBe('audio/ogg');
    expect(await ogg.text()).toBe('OggS-fake');
    const none = await sessions.admin.get(`/api/calls/${ids.none}/recording`);
    expect(none.status).toBe(404);
    expect((await none.json() as { error: string }).error).toBe(`call ${ids.none} has no recording yet`);
    const gone = await sessions.admin.get(`/api/calls/${ids.a2}/recording`);
    expect(gone.status).toBe(404);
    expect((await gone.json() as { error: string }).error).toMatch(/recording file .* not found/);
  });

  it('records a tap call through the store helpers: agent and queue found or created, end stored', async () => {
    const id = randomUUID();
    const call = {
      id, rate: 16000 as const, startedAt: new Date('2024-04-01T09:00:00Z'), capabilities: CAPS,
      meta: { protocol: 'audiohook' as const, externalId: 'sess-1', direction: 'outbound' as const, agentExternalId: 'agent-7777', queue: 'retention', extra: { conversationId: 'c-1' } },
    };
    expect(await recordCallStarted(server.db, call)).toBe(true);
    expect(await recordCallStarted(server.db, call)).toBe(false);
    expect(await recordCallFinished(server.db, { id, durationMs: 61_234.4, stats: { framesIn: 3 } }, 'interrupted', { endedAt: new Date('2024-04-01T09:01:01Z') })).toBe(true);
    const got = await (await sessions.admin.get(`/api/calls/${id}`)).json() as CallJson;
    expect(got).toMatchObject({
      protocol: 'audiohook', direction: 'outbound', status: 'interrupted', durationMs: 61_234, sampleRate: 16000,
      agent: { externalId: 'agent-7777', teamId: null }, queue: { name: 'retention', department: 'support' }, metadata: { conversationId: 'c-1' },
      endedAt: '2024-04-01T09:01:01.000Z', recording: null,
    });
    expect((await list('supervisor', '?agent=agent-7777')).total).toBe(0);
  });

  it('finds or creates agents and queues safely under concurrent calls', async () => {
    const agents = await Promise.all(Array.from({ length: 10 }, () => store.agents.findOrCreate('agent-race')));
    expect(new Set(agents.map((a) => a.id)).size).toBe(1);
    const queues = await Promise.all(Array.from({ length: 10 }, () => store.queues.findOrCreate('race-queue', 'sales')));
    expect(new Set(queues.map((q) => q.id)).size).toBe(1);
    expect((await store.agents.findOrCreate('agent-race', 'Ray Race')).displayName).toBe('Ray Race');
    expect((await store.agents.findOrCreate('agent-race', 'Other Name')).displayName).toBe('Ray Race');
  });
});
