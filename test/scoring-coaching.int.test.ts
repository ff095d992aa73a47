import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '../services/live/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { login, type ApiSession } from './helpers/api-session.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { storeEvaluatedCall } from './scoring-helpers.js';

interface Item {
  id: string; status: string; overdue: boolean; dueDate: string | null; questionId: string | null; callMs: number | null; note: string;
  evaluationId: string; callId: string; agent: { externalId: string; teamName: string | null };
}

describe('coaching items', () => {
  let server: TestServer;
  let admin: ApiSession, qa: ApiSession, supervisor: ApiSession, agent: ApiSession, trainer: ApiSession;
  const events: BusEvent[] = [];
  let own: { callId: string; evaluation: { id: string } };
  let other: { callId: string; evaluation: { id: string } };
  let teammate: { callId: string; evaluation: { id: string } };

  beforeAll(async () => {
    server = await startTestServer();
    server.bus.subscribe((e) => events.push(e));
    await seedDemo(server.db);
    [admin, qa, supervisor, agent, trainer] = await Promise.all([
      login(server.url, 'admin', 'admin-demo'), login(server.url, 'qa', 'qa-demo-1'), login(server.url, 'supervisor', 'supervisor-demo'),
      login(server.url, 'agent', 'agent-demo'), login(server.url, 'trainer', 'trainer-demo'),
    ]);
    own = await storeEvaluatedCall(server.db, 'agent-1001');
    teammate = await storeEvaluatedCall(server.db, 'agent-1002');
    other = await storeEvaluatedCall(server.db, 'agent-2001');
  });
  afterAll(async () => { await server?.close(); });

  it('QA creates items from an evaluation, linked to questions and call times, for the evaluated agent', async () => {
    const res = await qa.request('POST', '/api/coaching', {
      evaluationId: own.evaluation.id,
      items: [
        { questionId: 'greeting', callMs: 1200, note: 'Say the company name first', dueDate: '2000-01-01' },
        { questionId: 'closing', callMs: 14000, note: 'Offer more help', dueDate: '2999-12-31' },
        { note: 'Listen to the recording together' },
      ],
    });
    expect(res.status).toBe(201);
    const { items } = await res.json() as { items: Item[] };
    expect(items).toHaveLength(3);
    expect(items[0]).toMatchObject({
      status: 'open', questionId: 'greeting', callMs: 1200, dueDate: '2000-01-01', overdue: true, evaluationId: own.evaluation.id, callId: own.callId,
      agent: { externalId: 'agent-1001', teamName: 'Support A' },
    });
    expect(items[1]).toMatchObject({ overdue: false, dueDate: '2999-12-31' });
    expect(items[2]).toMatchObject({ questionId: null, dueDate: null, overdue: false });
    const assigned = events.filter((e) => e.type === 'coaching.assigned');
    expect(assigned).toHaveLength(3);
    expect(assigned[0]).toMatchObject({ callId: own.callId, item: { id: items[0].id, agentExternalId: 'agent-1001', agentUserId: agent.user.id } });
    const audit = await (await admin.get(`/api/admin/audit?action=coaching.assigned&targetId=${items[0].id}`)).json() as { items: { details: Record<string, unknown> }[] };
    expect(audit.items[0].details).toMatchObject({ evaluationId: own.evaluation.id, questionId: 'greeting', callMs: 1200 });
  });

  it('checks roles, scope and input', async () => {
    const one = { evaluationId: own.evaluation.id, note: 'x' };
    expect((await agent.request('POST', '/api/coaching', one)).status).toBe(403);
    expect((await trainer.request('POST', '/api/coaching', one)).status).toBe(403);
    // Supervisors coach their teams only.
    expect((await supervisor.request('POST', '/api/coaching', { ...one, evaluationId: other.evaluation.id })).status).toBe(404);
    const made = await supervisor.request('POST', '/api/coaching', { evaluationId: teammate.evaluation.id, note: 'Slow down', dueDate: '2001-02-03' });
    expect(made.status).toBe(201);
    expect((await qa.request('POST', '/api/coaching', { ...one, questionId: 'telepathy' })).status).toBe(400);
    expect((await qa.request('POST', '/api/coaching', { ...one, dueDate: '2024-13-45' })).status).toBe(400);
    expect((await qa.request('POST', '/api/coaching', { ...one, note: '  ' })).status).toBe(400);
    expect((await qa.request('POST', '/api/coaching', { ...one, evaluationId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    expect((await qa.request('POST', '/api/coaching', { evaluationId: other.evaluation.id, note: 'Sales follow-up' })).status).toBe(201);
  });

  it('the agent lists their own items and marks them done; others cannot', async () => {
    const mine = await (await agent.get('/api/coaching?status=open')).json() as { items: Item[]; total: number };
    expect(mine.total).toBe(3);
    expect(mine.items.every((k) => k.agent.externalId === 'agent-1001')).toBe(true);
    // Open items by due date, overdue first.
    expect(mine.items.map((k) => k.dueDate)).toEqual(['2000-01-01', '2999-12-31', null]);
    const first = mine.items[0];
    expect((await qa.request('POST', `/api/coaching/${first.id}/done`)).status).toBe(403);
    expect((await supervisor.request('POST', `/api/coaching/${first.id}/done`)).status).toBe(403);
    const done = await agent.request('POST', `/api/coaching/${first.id}/done`);
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ status: 'done', overdue: false, doneAt: expect.any(String) });
    expect((await agent.request('POST', `/api/coaching/${first.id}/done`)).status).toBe(409);
    const others = await (await qa.get('/api/coaching?team=Sales B')).json() as { items: Item[] };
    expect(others.items).toHaveLength(1);
    expect((await agent.get(`/api/coaching/${others.items[0].id}`)).status).toBe(404);
    expect((await agent.request('POST', `/api/coaching/${others.items[0].id}/done`)).status).toBe(404);
    const audit = await (await admin.get(`/api/admin/audit?action=coaching.done&targetId=${first.id}`)).json() as { items: { actorUsername: string }[] };
    expect(audit.items[0].actorUsername).toBe('agent');
    expect((await agent.request('POST', `/api/coaching/${first.id}/reopen`)).status).toBe(200);
    expect((await agent.request('POST', `/api/coaching/${first.id}/done`)).status).toBe(200);
  });

  it('a supervisor sees the open items of their teams only, with the overdue ones', async () => {
    const open = await (await supervisor.get('/api/coaching?status=open')).json() as { items: Item[] };
    expect(open.items.map((k) => k.agent.externalId).sort()).toEqual(['agent-1001', 'agent-1001', 'agent-1002']);
    const overdue = await (await supervisor.get('/api/coaching?status=open&overdue=true')).json() as { items: Item[] };
    expect(overdue.items.map((k) => k.note)).toEqual(['Slow down']);
    const teams = await (await supervisor.get('/api/coaching/teams')).json() as { items: unknown[] };
    expect(teams.items).toEqual([{ teamId: expect.any(String), teamName: 'Support A', open: 3, overdue: 1 }]);
    const all = await (await admin.get('/api/coaching/teams')).json() as { items: { teamName: string }[] };
    expect(all.items.map((t) => t.teamName)).toEqual(['Sales B', 'Support A']);
    expect((await agent.get('/api/coaching/teams')).status).toBe(403);
  });
});
