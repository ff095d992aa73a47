import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '../services/live/index.js';
import { parseScorecard, scoreAnswers, type AnswerValue } from '../services/scoring/index.js';
import { seedScorecards } from '../services/scoring/workflow/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { createStore } from '../services/store/index.js';
import { login, type ApiSession } from './helpers/api-session.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const EN_SOURCE = readFileSync('scorecards/inbound-support-en.yaml', 'utf8');

interface Answer { questionId: string; autoValue: AnswerValue | null; value: AnswerValue | null; reviewedValue: AnswerValue | null; evidence: { segmentId?: string; startMs: number; endMs: number; text?: string; note: string }[]; comment: string | null; commentMs: number | null }
interface Detail {
  id: string; callId: string; status: string; kind: string; overall: number | null; passed: boolean | null;
  scorecard: { id: string; version: number }; sections: { questions: { id: string; text: string; automatic: boolean; answer: Answer }[] }[];
  disputes: { id: string; questionId: string; status: string }[];
  result: { overall: number | null };
}
/** POST of a raw YAML body (the session helper sends JSON). */
const postYaml = (api: ApiSession, url: string, path: string, yaml: string) => fetch(`${url}${path}`, {
  method: 'POST', headers: { cookie: api.cookie, 'x-csrf-token': api.csrfToken, 'content-type': 'application/yaml' }, body: yaml,
});
const answersOf = (d: Detail) => d.sections.flatMap((s) => s.questions.map((q) => q.answer));

/** Stores an ended inbound English call with a transcript, as the speech pipeline would, and announces it on the bus. */
async function storeCall(server: TestServer, agentExternalId: string, lines: [speaker: 'agent' | 'customer', text: string, startMs: number, endMs: number][]): Promise<string> {
  const store = createStore(server.db);
  const agent = await store.agents.findOrCreate(agentExternalId);
  const queue = await store.queues.findOrCreate('support');
  const id = randomUUID();
  await store.calls.insert({
    id, protocol: 'native', externalId: `ext-${id}`, direction: 'inbound', startedAt: new Date(), sampleRate: 16000,
    agentId: agent.id, queueId: queue.id, language: 'en-US',
  });
  await store.transcripts.saveSegments(lines.map(([speaker, text, startMs, endMs], i) => ({
    callId: id, speaker, utteranceId: `u${i}`, text, startMs, endMs, engine: 'test', language: 'en-US',
    words: text.split(' ').map((w, j) => ({ text: w, startMs: startMs + j * 200, endMs: startMs + j * 200 + 180, confidence: 0.95 })),
  })));
  await store.calls.finish(id, { status: 'ended', endedAt: new Date(), durationMs: lines.at(-1)![3] + 1000 });
  await store.transcripts.setTranscriptionStatus(id, 'done', { engine: 'test' });
  server.bus.publish({ type: 'transcription.changed', callId: id, status: 'done', engine: 'test' });
  return id;
}

async function evaluationOf(api: ApiSession, callId: string): Promise<Detail> {
  for (let i = 0; i < 100; i++) {
    const page = await (await api.get(`/api/evaluations?callId=${callId}`)).json() as { items: { id: string }[] };
    if (page.items.length) return await (await api.get(`/api/evaluations/${page.items[0].id}`)).json() as Detail;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`call ${callId} was never evaluated`);
}

describe('scoring workflow through the API', () => {
  let server: TestServer;
  let admin: ApiSession, trainer: ApiSession, qa: ApiSession, supervisor: ApiSession, agent: ApiSession;
  const events: BusEvent[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    server.bus.subscribe((e) => events.push(e));
    await seedDemo(server.db);
    [admin, trainer, qa, supervisor, agent] = await Promise.all([
      login(server.url, 'admin', 'admin-demo'), login(server.url, 'trainer', 'trainer-demo'), login(server.url, 'qa', 'qa-demo-1'),
      login(server.url, 'supervisor', 'supervisor-demo'), login(server.url, 'agent', 'agent-demo'),
    ]);
  });
  afterAll(async () => { await server?.close(); });

  describe('scorecard versions', () => {
    it('seeds the shipped cards as published version 1, once', async () => {
      const res = await qa.get('/api/scorecards');
      expect(res.status).toBe(200);
      const { items } = await res.json() as { items: { id: string; published: { version: number; status: string } | null }[] };
      expect(items.map((c) => c.id).sort()).toEqual(['inbound-support-en', 'inbound-support-fa', 'outbound-sales']);
      for (const c of items) expect(c.published).toMatchObject({ version: 1, status: 'published' });
      expect(await seedScorecards(server.db)).toEqual([]);
      expect((await agent.get('/api/scorecards')).status).toBe(403);
    });

    it('rejects invalid YAML and schema errors with line and field; the active version stays', async () => {
      const bad = EN_SOURCE.replace('passThreshold: 80', 'passThreshold: 180');
      const res = await trainer.request('POST', '/api/scorecards/inbound-support-en/versions', { source: bad });
      expect(res.status).toBe(400);
      const body = await res.json() as { issues: { line: number; field: string; message: string }[] };
      const line = EN_SOURCE.split('\n').findIndex((l) => l.startsWith('passThreshold')) + 1;
      expect(body.issues).toContainEqual(expect.objectContaining({ line, field: 'passThreshold' }));

      const syntax = await postYaml(trainer, server.url, '/api/scorecards', 'id: x\nname: [unclosed\n');
      expect(syntax.status).toBe(400);
      expect((await syntax.json() as { issues: { line: number; message: string }[] }).issues[0]).toMatchObject({ message: expect.stringMatching(/^YAML/) });

      const unknown = EN_SOURCE.replace('type: phrase\n    speaker: agent\n    within: { first: 15 }', 'type: telepathy\n    speaker: agent\n    within: { first: 15 }');
      const u = await (await trainer.request('POST', '/api/scorecards/inbound-support-en/versions', { source: unknown })).json() as { issues: { field: string; message: string }[] };
      expect(u.issues[0]).toMatchObject({ field: expect.stringContaining('rules.company-greeting'), message: expect.stringContaining('unknown rule type') });

      const versions = await (await qa.get('/api/scorecards/inbound-support-en/versions')).json() as { items: unknown[] };
      expect(versions.items).toHaveLength(1);
    });

    it('creates drafts, publishes them once, and keeps published versions immutable', async () => {
      const v2 = EN_SOURCE.replace('passThreshold: 80', 'passThreshold: 75');
      expect((await qa.request('POST', '/api/scorecards/inbound-support-en/versions', { source: v2 })).status).toBe(403);
      expect((await agent.request('POST', '/api/scorecards/inbound-support-en/versions', { source: v2 })).status).toBe(403);
      const created = await postYaml(trainer, server.url, '/api/scorecards/inbound-support-en/versions', v2);
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ version: 2, status: 'draft', publishedAt: null });
      // Wrong id in the YAML for this card; a new card that already exists.
      expect((await trainer.request('POST', '/api/scorecards/outbound-sales/versions', { source: v2 })).status).toBe(400);
      expect((await trainer.request('POST', '/api/scorecards', { source: v2 })).status).toBe(409);

      let list = await (await qa.get('/api/scorecards')).json() as { items: { id: string; latest: { version: number }; published: { version: number } }[] };
      expect(list.items.find((c) => c.id === 'inbound-support-en')).toMatchObject({ latest: { version: 2 }, published: { version: 1 } });

      const pub = await trainer.request('POST', '/api/scorecards/inbound-support-en/versions/2/publish');
      expect(pub.status).toBe(200);
      expect(await pub.json()).toMatchObject({ version: 2, status: 'published', definition: { passThreshold: 75 } });
      expect((await trainer.request('POST', '/api/scorecards/inbound-support-en/versions/2/publish')).status).toBe(409);
      expect((await admin.request('POST', '/api/scorecards/inbound-support-en/versions/1/publish')).status).toBe(409);
      expect((await trainer.request('POST', '/api/scorecards/inbound-support-en/versions/9/publish')).status).toBe(404);

      const v1 = await (await supervisor.get('/api/scorecards/inbound-support-en/versions/1')).json() as { source: string; status: string };
      expect(v1).toMatchObject({ status: 'published', source: EN_SOURCE });
      list = await (await qa.get('/api/scorecards')).json() as typeof list;
      expect(list.items.find((c) => c.id === 'inbound-support-en')).toMatchObject({ published: { version: 2 } });

      const fresh = EN_SOURCE.replace('id: inbound-support-en', 'id: inbound-support-en-2').replace('name: Inbound customer support', 'name: Inbound v2');
      const made = await trainer.request('POST', '/api/scorecards', { source: fresh });
      expect(made.status).toBe(201);
      expect(await made.json()).toMatchObject({ scorecardId: 'inbound-support-en-2', version: 1, status: 'draft' });
      const history = await (await qa.get('/api/scorecards/inbound-support-en/versions')).json() as { items: { version: number }[] };
      expect(history.items.map((v) => v.version)).toEqual([2, 1]);

      const audit = await (await admin.get('/api/admin/audit?targetType=scorecard&targetId=inbound-support-en')).json() as { items: { action: string }[] };
      expect(audit.items.map((e) => e.action)).toEqual(expect.arrayContaining(['scorecard.seeded', 'scorecard.version_created', 'scorecard.version_published']));
    });
  });

  describe('evaluations', () => {
    let own: Detail;
    let other: Detail;

    beforeAll(async () => {
      const ownCall = await storeCall(server, 'agent-1001', [
        ['agent', 'hello how can i help', 500, 2500],
        ['customer', 'my internet is down again', 3000, 5000],
        ['agent', 'i am sorry to hear that can i have your account number', 5500, 8500],
        ['customer', 'it is four five seven', 9000, 11000],
      ]);
      const otherCall = await storeCall(server, 'agent-2001', [
        ['agent', 'thank you for calling acme my name is chris how can i help', 500, 4500],
        ['customer', 'my bill is wrong', 5000, 6500],
      ]);
      own = await evaluationOf(qa, ownCall);
      other = await evaluationOf(qa, otherCall);
    });

    it('scores a call when its transcription is final, with evidence and the question text', async () => {
      expect(own).toMatchObject({ kind: 'auto', status: 'auto', scorecard: { id: 'inbound-support-en', version: 2 } });
      const greeting = own.sections[0].questions.find((q) => q.id === 'greeting')!;
      expect(greeting.text).toMatch(/Greeted the customer/);
      expect(greeting.answer).toMatchObject({ autoValue: 'no', value: 'no' });
      const otherGreeting = answersOf(other).find((a) => a.questionId === 'greeting')!;
      expect(otherGreeting.autoValue).toBe('yes');
      expect(otherGreeting.evidence.length).toBeGreaterThan(0);
      expect(otherGreeting.evidence[0]).toMatchObject({ segmentId: expect.any(String), text: expect.stringMatching(/thank you for calling/) });
      expect(otherGreeting.evidence[0].startMs).toBeGreaterThanOrEqual(500);
      expect(otherGreeting.evidence[0].endMs).toBeLessThanOrEqual(4500);
      expect(events).toContainEqual(expect.objectContaining({ type: 'evaluation.created', callId: own.callId, evaluation: expect.objectContaining({ id: own.id, agentExternalId: 'agent-1001' }) }));
      // Scored once, whatever else is announced about the call.
      server.bus.publish({ type: 'call.ended', callId: own.callId, at: new Date().toISOString(), status: 'ended', durationMs: 12000 });
      await new Promise((r) => setTimeout(r, 300));
      expect((await (await qa.get(`/api/evaluations?callId=${own.callId}`)).json() as { total: number }).total).toBe(1);
    });

    it('scopes evaluations: agents see their own, supervisors their teams, out of scope is 404', async () => {
      expect((await agent.get(`/api/evaluations/${own.id}`)).status).toBe(200);
      expect((await agent.get(`/api/evaluations/${other.id}`)).status).toBe(404);
      expect((await supervisor.get(`/api/evaluations/${own.id}`)).status).toBe(200);
      expect((await supervisor.get(`/api/evaluations/${other.id}`)).status).toBe(404);
      const mine = await (await agent.get('/api/evaluations')).json() as { items: { id: string }[] };
      expect(mine.items.map((e) => e.id)).toEqual([own.id]);
      const team = await (await supervisor.get('/api/evaluations?scorecard=inbound-support-en')).json() as { items: { id: string }[] };
      expect(team.items.map((e) => e.id)).toEqual([own.id]);
      const all = await (await qa.get('/api/evaluations?agent=agent-2001')).json() as { items: { id: string }[] };
      expect(all.items.map((e) => e.id)).toEqual([other.id]);
      expect((await agent.request('POST', `/api/evaluations/${other.id}/disputes`, { questionId: 'greeting', reason: 'x' })).status).toBe(404);
    });

    it('a QA review overrides answers with timed comments, recomputes the score and notifies the agent; disputes re-score', async () => {
      const card = parseScorecard(EN_SOURCE.replace('passThreshold: 80', 'passThreshold: 75'));
      const questions = card.sections.flatMap((s) => s.questions);
      const best = (id: string): AnswerValue => { const q = questions.find((x) => x.id === id)!; return q.type === 'yes-no' ? 'yes' : q.max; };
      const fill = answersOf(own).map((a) => ({ questionId: a.questionId, value: a.value ?? best(a.questionId) }));
      const review = [...fill.filter((a) => a.questionId !== 'greeting'), { questionId: 'greeting', value: 'yes' as const, comment: 'greeted at 0:01, name said', commentMs: 1000 }];
      expect((await agent.request('POST', `/api/evaluations/${own.id}/review`, { answers: review })).status).toBe(403);
      expect((await supervisor.request('POST', `/api/evaluations/${own.id}/review`, { answers: review })).status).toBe(403);
      expect((await agent.request('POST', `/api/evaluations/${own.id}/disputes`, { questionId: 'greeting', reason: 'not reviewed yet' })).status).toBe(409);
      const bad = await qa.request('POST', `/api/evaluations/${own.id}/review`, { answers: [{ questionId: 'greeting', value: 7 }] });
      expect(bad.status).toBe(400);

      const res = await qa.request('POST', `/api/evaluations/${own.id}/review`, { answers: review });
      expect(res.status).toBe(200);
      const reviewed = await res.json() as Detail;
      const expected = scoreAnswers(card, Object.fromEntries(review.map((a) => [a.questionId, a.value])));
      expect(reviewed).toMatchObject({ status: 'reviewed', overall: expected.overall, passed: expected.passed });
      expect(reviewed.overall).not.toBe(own.overall);
      expect(answersOf(reviewed).find((a) => a.questionId === 'greeting')).toMatchObject({
        autoValue: 'no', reviewedValue: 'yes', value: 'yes', comment: 'greeted at 0:01, name said', commentMs: 1000,
      });
      expect(events).toContainEqual(expect.objectContaining({ type: 'evaluation.reviewed', evaluation: expect.objectContaining({ id: own.id, agentUserId: agent.user.id }) }));
      const trust = await (await trainer.get('/api/scorecards/inbound-support-en/trust?last=10')).json() as { evaluations: number; questions: { questionId: string; reviewed: number; kept: number; changed: number }[] };
      expect(trust.evaluations).toBe(1);
      expect(trust.questions.find((q) => q.questionId === 'greeting')).toMatchObject({ reviewed: 1, kept: 0, changed: 1 });
      expect(trust.questions.filter((q) => q.questionId !== 'greeting').every((q) => q.changed === 0 && q.kept === 1)).toBe(true);
      expect((await agent.get('/api/scorecards/inbound-support-en/trust')).status).toBe(403);
      const notified = await (await agent.get('/api/me/evaluations?status=reviewed')).json() as { items: { id: string }[] };
      expect(notified.items.map((e) => e.id)).toEqual([own.id]);

      // The agent disputes two answers; QA accepts one (re-scored) and rejects the other (a reason is required).
      const critical = questions.find((q) => q.type === 'yes-no' && !q.critical && q.id !== 'greeting' && review.find((a) => a.questionId === q.id)?.value === 'yes')!;
      expect((await supervisor.request('POST', `/api/evaluations/${own.id}/disputes`, { questionId: critical.id, reason: 'x' })).status).toBe(403);
      const raised = await agent.request('POST', `/api/evaluations/${own.id}/disputes`, {
        items: [{ questionId: critical.id, reason: 'I did this at 0:05', proposedValue: 'no' }, { questionId: 'greeting', reason: 'fine' }],
      });
      expect(raised.status).toBe(201);
      const [d1, d2] = (await raised.json() as { items: { id: string; questionId: string }[] }).items;
      expect((await agent.request('POST', `/api/evaluations/${own.id}/disputes`, { questionId: critical.id, reason: 'again' })).status).toBe(409);
      expect((await agent.request('POST', `/api/disputes/${d1.id}/resolve`, { accept: true })).status).toBe(403);

      const accepted = await qa.request('POST', `/api/disputes/${d1.id}/resolve`, { accept: true, reason: 'agreed' });
      expect(accepted.status).toBe(200);
      const after = (await accepted.json() as { evaluation: Detail }).evaluation;
      const rescored = scoreAnswers(card, { ...Object.fromEntries(review.map((a) => [a.questionId, a.value])), [critical.id]: 'no' });
      expect(after).toMatchObject({ status: 'disputed', overall: rescored.overall });
      expect(answersOf(after).find((a) => a.questionId === critical.id)).toMatchObject({ value: 'no' });

      expect((await qa.request('POST', `/api/disputes/${d2.id}/resolve`, { accept: false })).status).toBe(400);
      const rejected = await qa.request('POST', `/api/disputes/${d2.id}/resolve`, { accept: false, reason: 'the name was not said' });
      expect(((await rejected.json()) as { evaluation: Detail }).evaluation).toMatchObject({ status: 'reviewed', overall: rescored.overall });
      expect((await qa.request('POST', `/api/disputes/${d2.id}/resolve`, { accept: true })).status).toBe(409);

      expect((await supervisor.request('POST', `/api/evaluations/${own.id}/acknowledge`)).status).toBe(403);
      const ack = await agent.request('POST', `/api/evaluations/${own.id}/acknowledge`);
      expect(ack.status).toBe(200);
      expect(await ack.json()).toMatchObject({ status: 'acknowledged', disputes: [{ status: 'accepted' }, { status: 'rejected' }] });

      const audit = await (await admin.get(`/api/admin/audit?targetType=evaluation&targetId=${own.id}`)).json() as { items: { action: string; actorUsername: string; details: Record<string, unknown> }[] };
      expect(audit.items.map((e) => e.action).reverse()).toEqual([
        'evaluation.reviewed', 'dispute.raised', 'dispute.raised', 'dispute.accepted', 'dispute.rejected', 'evaluation.acknowledged',
      ]);
      const reviewEntry = audit.items.find((e) => e.action === 'evaluation.reviewed')!;
      expect(reviewEntry.actorUsername).toBe('qa');
      expect(reviewEntry.details.changes).toContainEqual(expect.objectContaining({ questionId: 'greeting', old: 'no', new: 'yes', commentMs: 1000 }));
      expect(audit.items.find((e) => e.action === 'dispute.accepted')!.details).toMatchObject({ answer: { new: 'no' }, overall: { new: rescored.overall } });
    });
  });
});
