import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTapKey, revokeTapKey } from '../services/auth/index.js';
import type { AnalyticsReport } from '../services/analytics/index.js';
import type { AnswerValue, AutoAnswer, ScoreResult } from '../services/scoring/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { computeConversationMetrics, summarizeCallSentiment, type ScoredSegment } from '../services/speech/index.js';
import { createEvaluationRepo, createScorecardRepo, createStore, type EvaluationKind, type Store } from '../services/store/index.js';
import { login, type ApiSession } from './helpers/api-session.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const RANGE = 'from=2024-03-01T00:00:00Z&to=2024-04-01T00:00:00Z';
const PERSIAN_NAME = 'بهاره بیکر';
const COMMA_NAME = 'Cole, "Chris"';

/** A score as the scorer stores it, with the overall and pass result given. */
const score = (overall: number, passed: boolean): ScoreResult => ({
  overall, rawOverall: overall, passThreshold: 80, passed, autoFailed: false, criticalFailures: [], sections: [], pending: [], complete: true,
});
const answer = (questionId: string, value: AnswerValue): AutoAnswer => ({
  questionId, value, outcome: value === 'yes' ? 'pass' : value === 'no' ? 'fail' : 'na', confidence: 1, evidence: [], detail: '',
  needsReview: false, reviewReason: null,
});
const scored = (utteranceId: string, speaker: 'agent' | 'customer', startMs: number, value: number): ScoredSegment => ({
  utteranceId, speaker, startMs, endMs: startMs + 2000, text: 'x', sentiment: { score: value, label: value < 0 ? 'negative' : 'positive', engine: 'test' },
});

describe('analytics API and CSAT survey results', () => {
  let server: TestServer;
  let store: Store;
  let tapKey: string;
  const ids: Record<string, string> = {};
  const s: Record<string, ApiSession> = {};

  async function addCall(name: string, agent: string, startedAt: string, o: { durationS: number; status?: 'ended' | 'interrupted'; customer?: string; queue: string }) {
    const id = randomUUID();
    const start = new Date(startedAt);
    await store.calls.insert({
      id, protocol: 'native', externalId: `ext-${name}`, direction: 'inbound', startedAt: start, sampleRate: 16000, language: 'en-US',
      agentId: (await store.agents.findOrCreate(agent)).id, queueId: (await store.queues.findOrCreate(o.queue)).id, customerNumber: o.customer ?? null,
    });
    await store.calls.finish(id, { status: o.status ?? 'ended', endedAt: new Date(start.getTime() + o.durationS * 1000), durationMs: o.durationS * 1000 });
    ids[name] = id;
  }

  /** An evaluation against the active inbound English card, stored like the scorer (and a reviewer) store them. */
  async function addEvaluation(call: string, kind: EvaluationKind, auto: ScoreResult, answers: [string, AnswerValue][]) {
    const version = (await createScorecardRepo(server.db).listActive()).find((v) => v.scorecardId === 'inbound-support-en');
    if (!version) throw new Error('the inbound-support-en card is not seeded');
    const id = await server.db.transaction((tx) => createEvaluationRepo(tx).insert({
      callId: ids[call], scorecardVersionId: version.id, kind, status: 'auto', autoResult: auto, result: auto, needsReview: false,
      answers: answers.map(([q, v]) => answer(q, v)),
    }));
    if (!id) throw new Error('evaluation not stored');
    return id;
  }

  const report = async (who: string, query = RANGE): Promise<AnalyticsReport> => {
    const res = await s[who].get(`/api/analytics?${query}`);
    expect(res.status, `${who} ${query}: ${res.status === 200 ? '' : await res.clone().text()}`).toBe(200);
    return res.json() as Promise<AnalyticsReport>;
  };
  const postCsat = (call: string, body: unknown, headers: Record<string, string>) => fetch(`${server.url}/api/calls/${call}/csat`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
  });
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    server = await startTestServer();
    await seedDemo(server.db);
    store = createStore(server.db);
    await store.agents.setDisplayName((await store.agents.findByExternalId('agent-1002'))!.id, PERSIAN_NAME);
    await store.agents.setDisplayName((await store.agents.findByExternalId('agent-2001'))!.id, COMMA_NAME);

    // March 2024 (the 1st is a Friday). Support A: agent-1001, agent-1002; Sales B: agent-2001, agent-2002.
    await addCall('c1', 'agent-1001', '2024-03-04T09:15:00Z', { durationS: 300, customer: '+15550100', queue: 'support' }); // Monday
    await addCall('c2', 'agent-1001', '2024-03-07T09:40:00Z', { durationS: 180, customer: '+15550100', queue: 'support' }); // 3 days later
    await addCall('c3', 'agent-1002', '2024-03-15T10:05:00Z', { durationS: 240, customer: '+15550100', queue: 'support' }); // 8 days after c2
    await addCall('c4', 'agent-2001', '2024-03-04T09:50:00Z', { durationS: 600, customer: '+15550200', queue: 'sales' });
    await addCall('c5', 'agent-2002', '2024-03-05T22:30:00Z', { durationS: 60, status: 'interrupted', queue: 'sales' }); // Wednesday 02:00 in Tehran
    await addCall('c7', 'agent-1002', '2024-03-30T12:00:00Z', { durationS: 120, customer: '+15550300', queue: 'complaints' });
    // Outside the range: c8 is the repeat of c7 (4 days later), c0 is before it.
    await addCall('c8', 'agent-2001', '2024-04-03T10:00:00Z', { durationS: 100, customer: '+15550300', queue: 'support' });
    await addCall('c0', 'agent-1001', '2024-02-20T10:00:00Z', { durationS: 999, customer: '+15550100', queue: 'support' });

    // Conversation metrics: 30 s of 300 s and 60 s of 600 s are non-talk (both-silent gaps ≥ 3 s): 10 %.
    const c1Metrics = computeConversationMetrics({ spans: [{ speaker: 'agent', startMs: 0, endMs: 100_000 }, { speaker: 'customer', startMs: 130_000, endMs: 300_000 }], endMs: 300_000 });
    const c4Metrics = computeConversationMetrics({ spans: [{ speaker: 'agent', startMs: 0, endMs: 200_000 }, { speaker: 'customer', startMs: 260_000, endMs: 600_000 }], endMs: 600_000 });
    expect([c1Metrics.nonTalk.totalMs, c4Metrics.nonTalk.totalMs]).toEqual([30_000, 60_000]);
    await store.transcripts.saveMetrics(ids.c1, { metrics: c1Metrics, sentiment: summarizeCallSentiment([scored('a', 'customer', 0, -0.5), scored('b', 'customer', 5000, 0.1), scored('c', 'agent', 2000, 0.9)]) });
    await store.transcripts.saveMetrics(ids.c4, { metrics: c4Metrics, sentiment: summarizeCallSentiment([scored('a', 'customer', 0, 0.4)]) });
    await store.transcripts.saveMetrics(ids.c2, { sentiment: summarizeCallSentiment([scored('a', 'customer', 0, -0.6)]) });

    // QA. c1: 90, passed. c2: automatic 60 (failed), reviewed to 85 (passed), greeting changed to yes. c4: 50, failed, and a
    // calibration answer (never counts). c3: automatic 70 (failed); a review saved as a draft (95) does not count until submitted.
    await addEvaluation('c1', 'auto', score(90, true), [['greeting', 'yes'], ['verification', 'yes']]);
    const e2 = await addEvaluation('c2', 'auto', score(60, false), [['greeting', 'no'], ['verification', 'yes']]);
    const evaluations = createEvaluationRepo(server.db);
    await evaluations.changeAnswers(e2, [{ questionId: 'greeting', reviewedValue: 'yes', comment: 'greeted at 0:03', commentMs: 3000 }], null);
    await evaluations.update(e2, { result: score(85, true), status: 'reviewed', reviewed: true, needsReview: false });
    await addEvaluation('c4', 'auto', score(50, false), [['greeting', 'no'], ['verification', 'na']]);
    await addEvaluation('c4', 'calibration', score(0, false), [['greeting', 'no'], ['verification', 'no']]);
    const e5 = await addEvaluation('c3', 'auto', score(70, false), [['greeting', 'no'], ['verification', 'yes']]);
    await evaluations.changeAnswers(e5, [{ questionId: 'greeting', reviewedValue: 'yes', comment: null, commentMs: null }], null);
    await evaluations.update(e5, { result: score(95, true), status: 'in-review' });

    tapKey = (await createTapKey(server.db, { name: 'survey-platform', protocols: ['twilio'] })).apiKey;
    for (const [u, pw] of [['admin', 'admin-demo'], ['qa', 'qa-demo-1'], ['trainer', 'trainer-demo'], ['supervisor', 'supervisor-demo'], ['agent', 'agent-demo']]) {
      s[u] = await login(server.url, u, pw);
    }
  });
  afterAll(async () => { await server?.close(); });

  describe('POST /api/calls/:id/csat', () => {
    it('stores a survey result posted with a tap key (any protocol) and replaces it when posted again', async () => {
      let res = await postCsat(ids.c1, { score: 5, comment: 'عالی بود' }, bearer(tapKey));
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ callId: ids.c1, score: 5, comment: 'عالی بود' });
      res = await postCsat(ids.c4, { score: 4 }, { 'x-api-key': tapKey });
      expect(res.status).toBe(201);
      res = await postCsat(ids.c4, { score: 2, comment: 'second thoughts' }, bearer(tapKey));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ callId: ids.c4, score: 2, comment: 'second thoughts' });
      expect((await postCsat(ids.c8, { score: 1 }, bearer(tapKey))).status).toBe(201);
      // The call's page shows the survey result (the latest one).
      const call = await (await s.admin.get(`/api/calls/${ids.c4}`)).json() as { csat: { score: number; comment: string | null; receivedAt: string } | null };
      expect(call.csat).toMatchObject({ score: 2, comment: 'second thoughts' });
      expect(Date.parse(call.csat!.receivedAt)).toBeGreaterThan(Date.now() - 60_000);
      expect(((await (await s.admin.get(`/api/calls/${ids.c3}`)).json()) as { csat: unknown }).csat).toBeNull();
    });

    it('lets an admin post (with the session\'s CSRF token) and refuses other roles', async () => {
      const res = await s.admin.request('POST', `/api/calls/${ids.c2}/csat`, { score: 3 });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ score: 3, comment: null });
      for (const role of ['qa', 'supervisor', 'trainer', 'agent']) {
        const refused = await s[role].request('POST', `/api/calls/${ids.c3}/csat`, { score: 3 });
        expect(refused.status, role).toBe(403);
        expect((await refused.json() as { error: string }).error).toBe('posting survey results needs a tap API key or the admin role');
      }
      expect((await postCsat(ids.c3, { score: 3 }, { cookie: s.admin.cookie })).status).toBe(403); // no CSRF token
      expect((await postCsat(ids.c3, { score: 3 }, {})).status).toBe(401);
    });

    it('refuses unknown or revoked keys, bad scores and unknown calls', async () => {
      expect((await postCsat(ids.c3, { score: 3 }, bearer('tap_not_a_key'))).status).toBe(401);
      const revoked = await createTapKey(server.db, { name: 'revoked-platform' });
      await revokeTapKey(server.db, revoked.id);
      expect((await postCsat(ids.c3, { score: 3 }, bearer(revoked.apiKey))).status).toBe(401);

      for (const body of [{ score: 0 }, { score: 6 }, { score: 3.5 }, { score: '4' }, {}]) {
        const res = await postCsat(ids.c3, body, bearer(tapKey));
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(await res.json(), JSON.stringify(body)).toEqual({ error: 'score: must be a whole number from 1 to 5' });
      }
      const long = await postCsat(ids.c3, { score: 3, comment: 'x'.repeat(2001) }, bearer(tapKey));
      expect(long.status).toBe(400);
      expect(await long.json()).toEqual({ error: 'comment: must be at most 2000 characters' });
      const notJson = await fetch(`${server.url}/api/calls/${ids.c3}/csat`, { method: 'POST', headers: bearer(tapKey), body: 'five' });
      expect(notJson.status).toBe(400);

      const unknown = await postCsat(randomUUID(), { score: 3 }, bearer(tapKey));
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ error: 'call not found' });
      expect((await postCsat('not-a-call', { score: 3 }, bearer(tapKey))).status).toBe(404);
      expect(await createStore(server.db).calls.get(ids.c3, { kind: 'all' })).toBeDefined();
    });
  });

  describe('GET /api/analytics', () => {
    it('counts calls per weekday and hour, handle time, non-talk share and the repeat-call rate (UTC by default)', async () => {
      const r = await report('admin');
      expect(r.range).toEqual({ from: '2024-03-01T00:00:00.000Z', to: '2024-04-01T00:00:00.000Z', tz: 'UTC' });
      expect(r.totals).toMatchObject({
        calls: 6, endedCalls: 5, ahtMs: 288_000, callsWithNumber: 5, repeatCalls: 2, repeatCallRate: 0.4,
      });
      expect(r.totals.nonTalkShare).toBeCloseTo(0.1, 10);
      const cells = r.heatmap.flatMap((hours, day) => hours.flatMap((n, hour) => (n ? [[day, hour, n]] : [])));
      expect(cells).toEqual([[1, 9, 2], [2, 22, 1], [4, 9, 1], [5, 10, 1], [6, 12, 1]]);
      expect(r.heatmap).toHaveLength(7);
      expect(r.heatmap.every((h) => h.length === 24)).toBe(true);
    });

    it('shifts the heat map and the days into the requested time zone', async () => {
      const r = await report('admin', `${RANGE}&tz=asia/tehran`);
      expect(r.range.tz).toBe('Asia/Tehran'); // the database's spelling
      const cells = r.heatmap.flatMap((hours, day) => hours.flatMap((n, hour) => (n ? [[day, hour, n]] : [])));
      // +03:30: Monday 09:15 and 09:50 → 12:45 and 13:20; Tuesday 22:30 → Wednesday 02:00.
      expect(cells).toEqual([[1, 12, 1], [1, 13, 1], [3, 2, 1], [4, 13, 1], [5, 13, 1], [6, 15, 1]]);
      expect(r.daily.map((d) => [d.day, d.calls])).toEqual([['2024-03-04', 2], ['2024-03-06', 1], ['2024-03-07', 1], ['2024-03-15', 1], ['2024-03-30', 1]]);
      const ny = await report('admin', `${RANGE}&tz=America/New_York`);
      // UTC−5 until 10 March, then −4: the zone's own rules, not a fixed offset.
      expect(ny.heatmap[1][4]).toBe(2);
      expect(ny.heatmap[2][17]).toBe(1);
      expect(ny.heatmap[5][6]).toBe(1);
      expect(ny.heatmap[6][8]).toBe(1);
    });

    it('gives the customer sentiment per day', async () => {
      const r = await report('admin');
      expect(r.daily.map((d) => [d.day, d.calls, d.sentimentCalls])).toEqual([
        ['2024-03-04', 2, 2], ['2024-03-05', 1, 0], ['2024-03-07', 1, 1], ['2024-03-15', 1, 0], ['2024-03-30', 1, 0],
      ]);
      expect(r.daily[0].customerSentiment).toBeCloseTo(0.1, 10); // mean of −0.2 (c1) and 0.4 (c4)
      expect(r.daily[2].customerSentiment).toBeCloseTo(-0.6, 10);
      expect(r.daily[1].customerSentiment).toBeNull();
    });

    it('averages the final QA scores (reviewed when submitted, else automatic; no calibration) by agent, team and question', async () => {
      const r = await report('qa');
      expect(r.totals.qa).toEqual({ evaluations: 4, avgScore: 73.75, passRate: 0.5 }); // 90, 85 (reviewed), 50, 70 (draft ignored)
      const agent = (ext: string) => r.agents.find((a) => a.externalId === ext);
      expect(agent('agent-1001')).toMatchObject({ name: 'Alex Agent', teamName: 'Support A', calls: 2, ahtMs: 240_000, evaluations: 2, avgScore: 87.5, passRate: 1, csat: { responses: 2, average: 4 } });
      expect(agent('agent-1002')).toMatchObject({ name: PERSIAN_NAME, calls: 2, ahtMs: 180_000, evaluations: 1, avgScore: 70, passRate: 0, csat: { responses: 0, average: null } });
      expect(agent('agent-2001')).toMatchObject({ name: COMMA_NAME, teamName: 'Sales B', calls: 1, ahtMs: 600_000, evaluations: 1, avgScore: 50, passRate: 0, csat: { responses: 1, average: 2 } });
      expect(agent('agent-2002')).toMatchObject({ name: 'Dana Diaz', calls: 1, ahtMs: null, evaluations: 0, avgScore: null, passRate: null });
      expect(r.agents).toHaveLength(4);

      expect(r.teams.map((t) => t.name)).toEqual(['Sales B', 'Support A']);
      expect(r.teams[0]).toMatchObject({ calls: 2, ahtMs: 600_000, evaluations: 1, avgScore: 50, passRate: 0, csat: { responses: 1, average: 2 } });
      expect(r.teams[1]).toMatchObject({ calls: 4, ahtMs: 210_000, evaluations: 3, csat: { responses: 2, average: 4 } });
      expect(r.teams[1].avgScore).toBeCloseTo(245 / 3, 10);
      expect(r.teams[1].passRate).toBeCloseTo(2 / 3, 10);

      expect(r.questions).toEqual([
        { scorecardId: 'inbound-support-en', scorecardName: 'Inbound customer support', questionId: 'greeting',
          text: 'Greeted the customer with the company name and their own name', answered: 4, yes: 2, no: 2, na: 0, yesRate: 0.5 },
        { scorecardId: 'inbound-support-en', scorecardName: 'Inbound customer support', questionId: 'verification',
          text: 'Identified and verified the customer before discussing the account', answered: 4, yes: 3, no: 0, na: 1, yesRate: 1 },
      ]);
    });

    it('averages CSAT over the calls in range that have a survey result', async () => {
      const r = await report('trainer');
      expect(r.totals.csat.responses).toBe(3); // c1 5, c2 3, c4 2 (replaced 4); c8 is outside the range
      expect(r.totals.csat.average).toBeCloseTo(10 / 3, 10);
    });

    it('filters by team, agent and queue', async () => {
      expect((await report('admin', `${RANGE}&team=Sales%20B`)).totals).toMatchObject({ calls: 2, ahtMs: 600_000 });
      expect((await report('admin', `${RANGE}&agent=agent-1001`)).totals).toMatchObject({ calls: 2, repeatCalls: 1, repeatCallRate: 0.5 });
      const sales = await report('admin', `${RANGE}&queue=sales`);
      expect(sales.agents.map((a) => a.externalId).sort()).toEqual(['agent-2001', 'agent-2002']);
    });

    it('shows a supervisor only the agents of the teams they supervise', async () => {
      const r = await report('supervisor');
      expect(r.totals).toMatchObject({ calls: 4, endedCalls: 4, ahtMs: 210_000, callsWithNumber: 4, repeatCalls: 2, repeatCallRate: 0.5 });
      expect(r.totals.qa.evaluations).toBe(3);
      expect(r.totals.csat).toEqual({ responses: 2, average: 4 });
      expect(r.heatmap.flat().reduce((a, b) => a + b, 0)).toBe(4);
      expect(r.heatmap[1][9]).toBe(1);
      expect(r.agents.map((a) => a.externalId).sort()).toEqual(['agent-1001', 'agent-1002']);
      expect(r.teams.map((t) => t.name)).toEqual(['Support A']);
      expect(r.options.teams.map((t) => t.name)).toEqual(['Support A']);
      expect(r.options.agents.map((a) => a.externalId).sort()).toEqual(['agent-1001', 'agent-1002']);
      expect((await report('supervisor', `${RANGE}&team=Sales%20B`)).totals.calls).toBe(0);
      const csv = await (await s.supervisor.get(`/api/analytics/export.csv?${RANGE}&table=agents`)).text();
      expect(csv).not.toContain('agent-2001');
      expect((await report('admin')).options.teams.map((t) => t.name)).toEqual(['Sales B', 'Support A']);
    });

    it('refuses agents and anonymous requests', async () => {
      for (const path of ['/api/analytics', `/api/analytics/export.csv?table=agents`]) {
        const res = await s.agent.get(path);
        expect(res.status, path).toBe(403);
        expect((await res.json() as { error: string }).error).toMatch(/needs the admin or supervisor or qa or trainer role/);
        expect((await fetch(`${server.url}${path}`)).status, path).toBe(401);
      }
    });

    it('answers 400 with the problem for bad parameters', async () => {
      const bad = async (query: string, error: string) => {
        const res = await s.admin.get(`/api/analytics?${query}`);
        expect(res.status, query).toBe(400);
        expect(await res.json(), query).toEqual({ error });
      };
      await bad('from=yesterday', 'from: must be a date (ISO 8601)');
      await bad('from=2024-03-10&to=2024-03-01', 'to: must be after from');
      await bad('from=2024-03-10&to=2024-03-10', 'to: must be after from');
      await bad('from=2022-01-01&to=2024-01-01', 'to: the range may span at most 366 days');
      await bad('tz=Mars/Olympus_Mons', 'tz: unknown time zone "Mars/Olympus_Mons" (use an IANA name such as Asia/Tehran)');
      await bad('tz=', 'tz: must not be empty');
      await bad(`team=${'x'.repeat(201)}`, 'team: must be at most 200 characters');
      const csv = await s.admin.get(`/api/analytics/export.csv?${RANGE}&table=calls`);
      expect(csv.status).toBe(400);
      expect(await csv.json()).toEqual({ error: 'table: must be one of agents, teams, questions, heatmap, daily' });
      expect((await s.admin.get(`/api/analytics/export.csv?${RANGE}`)).status).toBe(400);
    });

    it('defaults to the last 30 days', async () => {
      const r = await report('admin', '');
      expect(new Date(r.range.to).getTime() - new Date(r.range.from).getTime()).toBe(30 * 86_400_000);
      expect(Math.abs(new Date(r.range.to).getTime() - Date.now())).toBeLessThan(60_000);
      expect(r.totals.calls).toBe(0);
      expect(r.totals).toMatchObject({ ahtMs: null, nonTalkShare: null, repeatCallRate: null, qa: { evaluations: 0, avgScore: null, passRate: null } });
    });
  });

  describe('GET /api/analytics/export.csv', () => {
    /** Response.text() decodes UTF-8 and drops the byte order mark (the bytes are checked on their own). */
    const lines = (text: string) => text.split('\r\n');

    it('exports the agents table as UTF-8 CSV with a BOM, quoting and a file name', async () => {
      const res = await s.admin.get(`/api/analytics/export.csv?${RANGE}&table=agents`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="callsight-agents-2024-03-01-2024-03-31.csv"');
      const bytes = new Uint8Array(await res.clone().arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = await res.text();
      expect(text.endsWith('\r\n')).toBe(true);
      const [header, ...rows] = lines(text);
      expect(header).toBe('agent_id,agent,team,calls,aht_seconds,evaluations,avg_score,pass_rate,csat_responses,csat_average');
      expect(rows.filter(Boolean).sort()).toEqual([
        'agent-1001,Alex Agent,Support A,2,240,2,87.5,1,2,4',
        `agent-1002,${PERSIAN_NAME},Support A,2,180,1,70,0,0,`,
        'agent-2001,"Cole, ""Chris""",Sales B,1,600,1,50,0,1,2',
        'agent-2002,Dana Diaz,Sales B,1,,0,,,0,',
      ]);
    });

    it('exports the heat map in the requested time zone, the days, teams and questions', async () => {
      const heat = lines(await (await s.qa.get(`/api/analytics/export.csv?${RANGE}&tz=Asia/Tehran&table=heatmap`)).text());
      expect(heat[0]).toBe(`weekday,${Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')).join(',')}`);
      expect(heat[2]).toBe(`Monday,${Array.from({ length: 24 }, (_, h) => (h === 12 || h === 13 ? 1 : 0)).join(',')}`);
      expect(heat).toHaveLength(9); // header, 7 days, the empty string after the last CRLF
      const daily = lines(await (await s.qa.get(`/api/analytics/export.csv?${RANGE}&table=daily`)).text());
      expect(daily.slice(0, 3)).toEqual(['day,calls,customer_sentiment,sentiment_calls', '2024-03-04,2,0.1,2', '2024-03-05,1,,0']);
      const teams = lines(await (await s.qa.get(`/api/analytics/export.csv?${RANGE}&table=teams`)).text());
      expect(teams.slice(0, 3)).toEqual([
        'team,calls,aht_seconds,evaluations,avg_score,pass_rate,csat_responses,csat_average',
        'Sales B,2,600,1,50,0,1,2',
        'Support A,4,210,3,81.67,0.6667,2,4',
      ]);
      const questions = lines(await (await s.qa.get(`/api/analytics/export.csv?${RANGE}&table=questions`)).text());
      expect(questions[1]).toBe('Inbound customer support,greeting,Greeted the customer with the company name and their own name,4,2,2,0,0.5');
    });
  });
});
