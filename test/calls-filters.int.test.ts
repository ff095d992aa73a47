import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../services/calls/index.js';
import type { ScoreResult } from '../services/scoring/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { summarizeCallSentiment } from '../services/speech/index.js';
import { createAlertRepo, createEvaluationRepo, createScorecardRepo, createStore, type EvaluationKind, type Store } from '../services/store/index.js';
import { login, type ApiSession } from './helpers/api-session.js';
import { startTestServer, type TestServer } from './helpers/server.js';

interface CallJson {
  id: string; score: number | null; customerSentiment: number | null; customerSentimentLabel: string | null; alerts: number; openAlerts: number;
}
interface PageJson { items: CallJson[]; total: number }

const score = (overall: number): ScoreResult => ({
  overall, rawOverall: overall, passThreshold: 80, passed: overall >= 80, autoFailed: false, criticalFailures: [], sections: [], pending: [], complete: true,
});

/** GET /api/calls with the new filters (q, scoreMin/scoreMax, sentiment, alerts) and the items' score, sentiment and alert counts. */
describe('calls API: transcript, score, sentiment and alert filters', () => {
  let server: TestServer;
  let store: Store;
  const ids: Record<string, string> = {};
  const sessions: Record<string, ApiSession> = {};

  async function addCall(name: string, agentExt: string, startedAt: string, o: { said?: [Channel, string][]; customerSentiment?: number[] } = {}) {
    const id = randomUUID();
    await store.calls.insert({
      id, protocol: 'native', externalId: `ext-${name}`, direction: 'inbound', startedAt: new Date(startedAt), sampleRate: 8000,
      agentId: (await store.agents.findOrCreate(agentExt)).id,
    });
    ids[name] = id;
    await store.transcripts.saveSegments((o.said ?? []).map(([speaker, text], i) => ({
      callId: id, speaker, utteranceId: `${id}:${i}`, text, startMs: i * 3000, endMs: i * 3000 + 2000, words: [], engine: 'vosk', language: 'en',
    })));
    if (o.customerSentiment) {
      await store.transcripts.saveMetrics(id, {
        sentiment: summarizeCallSentiment(o.customerSentiment.map((v, i) => ({
          utteranceId: `s${i}`, speaker: 'customer', startMs: i * 3000, endMs: i * 3000 + 2000, text: 'x',
          sentiment: { score: v, label: 'neutral', engine: 'test' },
        }))),
      });
    }
  }

  async function addEvaluation(call: string, card: string, kind: EvaluationKind, overall: number) {
    const version = (await createScorecardRepo(server.db).listActive()).find((v) => v.scorecardId === card);
    if (!version) throw new Error(`the ${card} card is not seeded`);
    const id = await server.db.transaction((tx) => createEvaluationRepo(tx).insert({
      callId: ids[call], scorecardVersionId: version.id, kind, status: kind === 'auto' ? 'auto' : 'in-review',
      autoResult: score(overall), result: score(overall), needsReview: false, answers: [],
    }));
    if (!id) throw new Error('evaluation not stored');
    return id;
  }

  async function addAlert(call: string, acknowledgedBy?: string) {
    const alert = await createAlertRepo(server.db).insert({ callId: ids[call], ruleId: null, kind: 'prohibited-phrase', severity: 'critical', message: 'x', evidence: {} });
    if (acknowledgedBy) expect(await createAlertRepo(server.db).acknowledge(alert.id, acknowledgedBy)).toBeDefined();
  }

  const list = async (who: string, query: string) => {
    const res = await sessions[who].get(`/api/calls?${query}`);
    expect(res.status, `${who} ${query}: ${res.status === 200 ? '' : await res.clone().text()}`).toBe(200);
    return res.json() as Promise<PageJson>;
  };
  /** The names of the calls listed, newest first. */
  const names = async (who: string, query: string) => {
    const page = await list(who, query);
    const byId = Object.fromEntries(Object.entries(ids).map(([n, id]) => [id, n]));
    expect(page.total, `${who} ${query}`).toBe(page.items.length);
    return page.items.map((c) => byId[c.id] ?? c.id);
  };

  beforeAll(async () => {
    server = await startTestServer();
    store = createStore(server.db);
    await seedDemo(server.db);
    for (const [u, pw] of [['admin', 'admin-demo'], ['supervisor', 'supervisor-demo'], ['agent', 'agent-demo']]) {
      sessions[u] = await login(server.url, u, pw);
    }
    const evaluations = createEvaluationRepo(server.db);

    // k1 (the demo agent's own call): automatic 90 and a submitted review 70 on the English card, 85 on the sales
    // card: 70. Customer mean −0.5: negative. One open alert.
    await addCall('k1', 'agent-1001', '2024-05-01T10:00:00Z', {
      said: [['agent', 'How can I help?'], ['customer', 'I want to cancel my subscription']], customerSentiment: [-0.4, -0.6],
    });
    const review = await addEvaluation('k1', 'inbound-support-en', 'review', 90);
    await evaluations.update(review, { result: score(70), status: 'reviewed', reviewed: true });
    await addEvaluation('k1', 'inbound-support-en', 'auto', 90); // newer, but the review comes first
    await addEvaluation('k1', 'outbound-sales', 'auto', 85);
    await addAlert('k1');

    // k2 (Support A): automatic 60; a review saved but not submitted (95) does not count. Mean +0.1: neutral (the
    // segments' label threshold is 0.2). One acknowledged alert.
    await addCall('k2', 'agent-1002', '2024-05-02T10:00:00Z', { said: [['customer', 'The refund arrived, thank you']], customerSentiment: [0.1] });
    await addEvaluation('k2', 'inbound-support-en', 'auto', 60);
    const draft = await addEvaluation('k2', 'inbound-support-en', 'review', 55);
    await evaluations.update(draft, { result: score(95), status: 'in-review' });
    await addAlert('k2', sessions.admin.user.id);

    // k3 (Sales B): automatic 50 reviewed in place to 88; a calibration answer (10) never counts. Mean +0.6: positive.
    await addCall('k3', 'agent-2001', '2024-05-03T10:00:00Z', { said: [['customer', 'Please cancel the order']], customerSentiment: [0.6] });
    const auto = await addEvaluation('k3', 'inbound-support-en', 'auto', 50);
    await evaluations.update(auto, { result: score(88), status: 'reviewed', reviewed: true });
    await addEvaluation('k3', 'inbound-support-en', 'calibration', 10);

    // k4 (the demo agent's): nothing but the call.
    await addCall('k4', 'agent-1001', '2024-05-04T10:00:00Z');

    // k5 (Sales B): 100 on both bounds' edge, mean exactly −0.2 (negative), an open and an acknowledged alert.
    await addCall('k5', 'agent-2002', '2024-05-05T10:00:00Z', { said: [['customer', 'You cancelled it twice']], customerSentiment: [-0.2] });
    await addEvaluation('k5', 'inbound-support-en', 'auto', 100);
    await addAlert('k5');
    await addAlert('k5', sessions.admin.user.id);
  });
  afterAll(async () => { await server?.close(); });

  it('lists each call with its score, customer sentiment and alert counts', async () => {
    const page = await list('admin', 'limit=10');
    expect(page.total).toBe(5);
    const item = (name: string) => {
      const found = page.items.find((c) => c.id === ids[name]);
      if (!found) throw new Error(`${name} not listed`);
      return { score: found.score, customerSentiment: found.customerSentiment, customerSentimentLabel: found.customerSentimentLabel, alerts: found.alerts, openAlerts: found.openAlerts };
    };
    expect(item('k1')).toEqual({ score: 70, customerSentiment: -0.5, customerSentimentLabel: 'negative', alerts: 1, openAlerts: 1 });
    expect(item('k2')).toEqual({ score: 60, customerSentiment: 0.1, customerSentimentLabel: 'neutral', alerts: 1, openAlerts: 0 });
    expect(item('k3')).toEqual({ score: 88, customerSentiment: 0.6, customerSentimentLabel: 'positive', alerts: 0, openAlerts: 0 });
    expect(item('k4')).toEqual({ score: null, customerSentiment: null, customerSentimentLabel: null, alerts: 0, openAlerts: 0 });
    expect(item('k5')).toEqual({ score: 100, customerSentiment: -0.2, customerSentimentLabel: 'negative', alerts: 2, openAlerts: 1 });
  });

  it('filters by transcript text: exact words and English stems, one row per call', async () => {
    expect(await names('admin', 'q=cancel')).toEqual(['k5', 'k3', 'k1']);
    expect(await names('admin', 'q=refund')).toEqual(['k2']);
    expect(await names('admin', `q=${encodeURIComponent('"cancel the order"')}`)).toEqual(['k3']);
    expect(await names('admin', 'q=cancel+-order')).toEqual(['k5', 'k1']);
    expect(await names('admin', 'q=manager')).toEqual([]);
  });

  it('filters by score range (inclusive), leaving unscored calls out', async () => {
    expect(await names('admin', 'scoreMin=70')).toEqual(['k5', 'k3', 'k1']);
    expect(await names('admin', 'scoreMin=0')).toEqual(['k5', 'k3', 'k2', 'k1']);
    expect(await names('admin', 'scoreMax=69.5')).toEqual(['k2']);
    expect(await names('admin', 'scoreMin=60&scoreMax=80')).toEqual(['k2', 'k1']);
    expect(await names('admin', 'scoreMin=100&scoreMax=100')).toEqual(['k5']);
    expect(await names('admin', 'scoreMax=50')).toEqual([]);
  });

  it('filters by customer sentiment and by alerts', async () => {
    expect(await names('admin', 'sentiment=negative')).toEqual(['k5', 'k1']);
    expect(await names('admin', 'sentiment=neutral')).toEqual(['k2']);
    expect(await names('admin', 'sentiment=positive')).toEqual(['k3']);
    expect(await names('admin', 'alerts=any')).toEqual(['k5', 'k2', 'k1']);
    expect(await names('admin', 'alerts=open')).toEqual(['k5', 'k1']);
    expect(await names('admin', 'alerts=none')).toEqual(['k4', 'k3']);
  });

  it('combines the new filters with each other and with the existing ones', async () => {
    expect(await names('admin', 'q=cancel&sentiment=negative&alerts=open&scoreMin=80')).toEqual(['k5']);
    expect(await names('admin', 'q=cancel&scoreMax=90')).toEqual(['k3', 'k1']);
    expect(await names('admin', 'q=cancel&team=Support%20A')).toEqual(['k1']);
    expect(await names('admin', 'alerts=any&sentiment=neutral&agent=agent-1002')).toEqual(['k2']);
    expect(await names('admin', 'alerts=none&from=2024-05-04')).toEqual(['k4']);
    const paged = await list('admin', 'q=cancel&limit=2&offset=1');
    expect(paged.total).toBe(3);
    expect(paged.items.map((c) => c.id)).toEqual([ids.k3, ids.k1]);
  });

  it('keeps every filter within the user\'s scope', async () => {
    expect(await names('agent', 'q=cancel')).toEqual(['k1']);
    expect(await names('agent', 'alerts=none')).toEqual(['k4']);
    expect(await names('agent', 'scoreMin=0')).toEqual(['k1']);
    expect(await names('agent', 'sentiment=positive')).toEqual([]);
    expect(await names('agent', 'q=cancel&agent=agent-2002')).toEqual([]);
    expect(await names('supervisor', 'alerts=any')).toEqual(['k2', 'k1']);
    expect(await names('supervisor', 'q=cancel')).toEqual(['k1']);
  });

  it('refuses bad values with a clear message', async () => {
    const cases: Array<[string, RegExp]> = [
      ['scoreMin=150', /^scoreMin: must be a number from 0 to 100$/],
      ['scoreMax=-1', /^scoreMax: must be a number from 0 to 100$/],
      ['scoreMin=abc', /^scoreMin: must be a number from 0 to 100$/],
      ['scoreMin=80&scoreMax=20', /^scoreMax: must not be below scoreMin$/],
      ['sentiment=angry', /^sentiment: must be negative, neutral, positive$/],
      ['alerts=maybe', /^alerts: must be any, open, none$/],
      ['q=%20', /^q: must not be empty$/],
      [`q=${'a'.repeat(201)}`, /^q: must be at most 200 characters$/],
      [`q=${encodeURIComponent('?!')}`, /^q: must contain a word/],
    ];
    for (const [query, message] of cases) {
      const res = await sessions.admin.get(`/api/calls?${query}`);
      expect(res.status, query).toBe(400);
      expect((await res.json() as { error: string }).error, query).toMatch(message);
    }
    expect(await names('admin', `q=${'a'.repeat(200)}`)).toEqual([]);
  });
});
