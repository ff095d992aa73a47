/**
 * Real-time alerts through a real server: rules from the database, evaluated on bus events of live calls (streamed
 * with the tap simulator), stored, published and listed through the API; acknowledgement, audit, scope, admin CRUD;
 * and one rule end to end through the real speech pipeline (PocketSphinx) on the angry-customer fixture call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTapKey } from '../services/auth/index.js';
import { simulateCall, type SimSummary } from '../services/cli/sim/index.js';
import { createLogger } from '../services/core/index.js';
import { createAlertEngine, type AlertSource, type BusEvent, type LiveCallItem } from '../services/live/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { sphinxInstalled } from '../services/speech/asr/index.js';
import type { ConversationMetrics, SpeakerMetrics } from '../services/speech/index.js';
import { createStore } from '../services/store/index.js';
import { login, type ApiSession } from './helpers/api-session.js';
import { connectSupervisor, type Msg } from './live-helpers.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const DIR = 'test/fixtures/calls';

interface AlertJson {
  id: string; callId: string; ruleId: string | null; kind: string; severity: string; message: string;
  evidence: Record<string, unknown>; raisedAt: string; acknowledgedBy: { id: string; username: string } | null; acknowledgedAt: string | null;
}
interface RuleJson { id: string; name: string; kind: string; severity: string; enabled: boolean; params: Record<string, unknown>; cooldownMs: number | null }

/** A call streamed in real time until `end()`; `callId` is the server's id, known from `call.started`. */
interface LiveCall { callId: string; end(): Promise<SimSummary | undefined> }

async function startLiveCall(server: TestServer, apiKey: string, agentId: string, language = 'en-US'): Promise<LiveCall> {
  const stop = new AbortController();
  const started = new Promise<string>((resolve) => {
    const off = server.bus.subscribe((e) => {
      if (e.type === 'call.started' && e.agentExternalId === agentId) { off(); resolve(e.callId); }
    });
  });
  const run = simulateCall({
    url: server.wsUrl, file: `${DIR}/support-good.wav`, protocol: 'native', codec: 'L16', rate: 16000, speed: 1,
    metadata: { agentId, queue: 'support', language }, credentials: { apiKey }, signal: stop.signal,
  });
  const callId = await started;
  return {
    callId,
    async end() {
      stop.abort();
      // Aborted before streaming began, the simulator rejects with the abort; the server ends the call either way.
      return run.catch((err: unknown) => { if ((err as Error).name === 'AbortError') return undefined; throw err; });
    },
  };
}

async function alertsOf(api: ApiSession, callId: string): Promise<AlertJson[]> {
  const res = await api.get(`/api/alerts?callId=${callId}&limit=500`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: AlertJson[] }).items;
}

/** Polls the API until the call has an alert of `kind` (or matching `pick`). */
async function waitForAlert(api: ApiSession, callId: string, pick: (a: AlertJson) => boolean, timeout = 10_000): Promise<AlertJson> {
  let found: AlertJson | undefined;
  await expect.poll(async () => {
    found = (await alertsOf(api, callId)).find(pick);
    return found !== undefined;
  }, { timeout, interval: 50 }).toBe(true);
  return found!;
}

const segment = (callId: string, n: number, speaker: 'agent' | 'customer', text: string, language = 'en-US') => ({
  callId, speaker, utteranceId: `${speaker}-${n}`, text, startMs: n * 4000, endMs: n * 4000 + 3000, words: [], final: true, engine: 'test', language,
});
const final = (callId: string, n: number, speaker: 'agent' | 'customer', text: string, language?: string): BusEvent =>
  ({ type: 'transcript.final', callId, segment: segment(callId, n, speaker, text, language) });
const scored = (callId: string, n: number, score: number): BusEvent => ({
  type: 'sentiment.scored', callId, utteranceId: `customer-${n}`, speaker: 'customer', startMs: n * 4000, endMs: n * 4000 + 3000,
  sentiment: { score, label: score < -0.05 ? 'negative' : score > 0.05 ? 'positive' : 'neutral', engine: 'test' },
});

function speakerMetrics(episodes: SpeakerMetrics['agitation']['episodes'] = []): SpeakerMetrics {
  return {
    talkMs: 20_000, talkShare: 0.5, words: 60, wordsPerMinute: 150, interruptionsMade: 0, interruptionsReceived: 0,
    longPauses: { withinTurn: 0, betweenTurns: 0 },
    agitation: { baseline: null, current: null, peak: null, agitatedMs: 0, episodes },
  };
}
function metricsWith(o: { longest?: { startMs: number; endMs: number }; customerEpisodes?: SpeakerMetrics['agitation']['episodes'] }): ConversationMetrics {
  const longest = o.longest ? { ...o.longest, durationMs: o.longest.endMs - o.longest.startMs } : null;
  return {
    horizonMs: 120_000, firstSpeechMs: 500, talkToListenRatio: 1, overtalkMs: 0,
    nonTalk: { totalMs: longest?.durationMs ?? 0, count: longest ? 1 : 0, longest },
    interruptions: [], longPauses: [],
    speakers: { agent: speakerMetrics(), customer: speakerMetrics(o.customerEpisodes) },
  };
}

describe('real-time alerts', () => {
  let server: TestServer;
  let apiKey: string;
  let admin: ApiSession;
  let supervisor: ApiSession;
  let qa: ApiSession;
  let agent: ApiSession;
  const events: BusEvent[] = [];
  const rules = new Map<string, RuleJson>();

  beforeAll(async () => {
    server = await startTestServer();
    server.bus.subscribe((e) => events.push(e));
    await seedDemo(server.db);
    apiKey = (await createTapKey(server.db, { name: 'alerts' })).apiKey;
    [admin, supervisor, qa, agent] = await Promise.all([
      login(server.url, 'admin', 'admin-demo'), login(server.url, 'supervisor', 'supervisor-demo'),
      login(server.url, 'qa', 'qa-demo-1'), login(server.url, 'agent', 'agent-demo'),
    ]);
    const res = await admin.get('/api/admin/alert-rules');
    for (const r of ((await res.json()) as { items: RuleJson[] }).items) rules.set(r.name, r);
  });
  afterAll(async () => { await server?.close(); });

  it('ships default rules for every kind', () => {
    expect([...rules.values()].map((r) => r.kind).sort()).toEqual([
      'agitation', 'escalation-phrase', 'escalation-phrase', 'escalation-phrase', 'handle-time', 'long-hold', 'negative-sentiment', 'prohibited-phrase',
    ]);
    expect(rules.get('Customer asks for a manager')).toMatchObject({ severity: 'critical', enabled: true, cooldownMs: null });
  });

  it('raises an escalation alert when the customer asks for a manager (English), once per call, stored and published', async () => {
    const call = await startLiveCall(server, apiKey, 'agent-1001');
    try {
      server.bus.publish(final(call.callId, 1, 'agent', 'Would you like to speak to a manager?'));
      server.bus.publish(final(call.callId, 2, 'customer', 'Tomorrow? That is not good enough. I want to speak to a manager!'));
      server.bus.publish(final(call.callId, 3, 'customer', 'Get me your manager now.'));
      const rule = rules.get('Customer asks for a manager')!;
      const alert = await waitForAlert(supervisor, call.callId, (a) => a.ruleId === rule.id);
      expect(alert).toMatchObject({
        kind: 'escalation-phrase', severity: 'critical', acknowledgedAt: null,
        evidence: { utteranceId: 'customer-2', speaker: 'customer', startMs: 8000, endMs: 11000, phrase: 'speak to a manager' },
      });
      expect(alert.message).toContain('Customer asks for a manager');
      expect(alert.message).toContain('I want to speak to a manager');
      expect(typeof alert.evidence.atMs).toBe('number');
      const published = events.find((e) => e.type === 'alert.raised' && e.alert.id === alert.id);
      expect(published).toMatchObject({ type: 'alert.raised', callId: call.callId, alert: { ruleId: rule.id, severity: 'critical' } });

      // Still once per call; the agent saying the words raised nothing.
      server.bus.publish(final(call.callId, 4, 'customer', 'I will cancel my account.'));
      await waitForAlert(supervisor, call.callId, (a) => a.ruleId === rules.get('Customer threatens to cancel')!.id);
      const all = await alertsOf(supervisor, call.callId);
      expect(all.filter((a) => a.ruleId === rule.id)).toHaveLength(1);
      expect(all.filter((a) => a.evidence.speaker === 'agent')).toEqual([]);
    } finally {
      await call.end();
    }
  });

  it('matches Persian escalation phrases whatever the spelling (ZWNJ, Arabic letters) and a prohibited agent phrase', async () => {
    const call = await startLiveCall(server, apiKey, 'agent-1002', 'fa-IR');
    try {
      server.bus.publish(final(call.callId, 1, 'customer', 'مي‌خواهم با مدير صحبت كنم', 'fa-IR'));
      server.bus.publish(final(call.callId, 2, 'customer', 'اگر درست نشود اشتراکم را لغو می‌کنم', 'fa-IR'));
      server.bus.publish(final(call.callId, 3, 'customer', 'با وکیلم تماس می‌گیرم و شکایت می‌کنم', 'fa-IR'));
      server.bus.publish(final(call.callId, 4, 'agent', 'ببخشید، ولی این مشکل من نیست', 'fa-IR'));
      const byRule = async (name: string) => waitForAlert(supervisor, call.callId, (a) => a.ruleId === rules.get(name)!.id);
      expect((await byRule('Customer asks for a manager')).evidence).toMatchObject({ utteranceId: 'customer-1', phrase: 'با مدیر صحبت کنم' });
      expect((await byRule('Customer threatens to cancel')).evidence).toMatchObject({ utteranceId: 'customer-2', phrase: 'لغو' });
      expect((await byRule('Customer threatens legal action')).evidence).toMatchObject({ utteranceId: 'customer-3' });
      const prohibited = await byRule('Prohibited phrase by the agent');
      expect(prohibited).toMatchObject({ kind: 'prohibited-phrase', severity: 'critical', evidence: { speaker: 'agent', phrase: 'مشکل من نیست' } });
    } finally {
      await call.end();
    }
  });

  it('raises sustained negative customer sentiment after three negative utterances in a row (a neutral one resets the run)', async () => {
    const call = await startLiveCall(server, apiKey, 'agent-1001');
    try {
      const rule = rules.get('Sustained negative customer sentiment')!;
      for (const [n, score] of [[1, -0.5], [2, 0], [3, -0.5], [4, -0.6], [5, -0.7]] as const) server.bus.publish(scored(call.callId, n, score));
      const alert = await waitForAlert(supervisor, call.callId, (a) => a.ruleId === rule.id);
      expect(alert).toMatchObject({
        kind: 'negative-sentiment', severity: 'warning',
        evidence: { utteranceId: 'customer-5', speaker: 'customer', value: -0.7, threshold: -0.3, consecutive: 3 },
      });
    } finally {
      await call.end();
    }
  });

  it('raises long hold and agitation from live metrics', async () => {
    const call = await startLiveCall(server, apiKey, 'agent-1001');
    try {
      server.bus.publish({ type: 'metrics.updated', callId: call.callId, final: false, metrics: metricsWith({ longest: { startMs: 10_000, endMs: 40_000 } }) });
      server.bus.publish({
        type: 'metrics.updated', callId: call.callId, final: false,
        metrics: metricsWith({ longest: { startMs: 10_000, endMs: 75_000 }, customerEpisodes: [{ startMs: 80_000, endMs: 91_000, durationMs: 11_000, peakScore: 0.82 }] }),
      });
      const hold = await waitForAlert(supervisor, call.callId, (a) => a.kind === 'long-hold');
      expect(hold).toMatchObject({ severity: 'warning', evidence: { startMs: 10_000, endMs: 75_000, value: 65_000, threshold: 60_000 } });
      const agitated = await waitForAlert(supervisor, call.callId, (a) => a.kind === 'agitation');
      expect(agitated.evidence).toMatchObject({ speaker: 'customer', startMs: 80_000, value: 0.82 });
    } finally {
      await call.end();
    }
  });

  it('evaluates only calls live on this node: events about other calls raise nothing', async () => {
    const stray = '00000000-0000-4000-8000-000000000001';
    await createStore(server.db).calls.insert({
      id: stray, protocol: 'native', externalId: 'not-live-here', direction: 'inbound', startedAt: new Date(), sampleRate: 16000,
    });
    server.bus.publish(final(stray, 1, 'customer', 'I want to speak to a manager'));
    const call = await startLiveCall(server, apiKey, 'agent-1001');
    try {
      server.bus.publish(final(call.callId, 1, 'customer', 'I want to speak to a manager'));
      await waitForAlert(qa, call.callId, (a) => a.kind === 'escalation-phrase');
      await new Promise((r) => setTimeout(r, 200));
      expect(await alertsOf(qa, stray)).toEqual([]);
    } finally {
      await call.end();
    }
  });

  it('acknowledges: supervisor of the team or admin only, CSRF-protected, once, audited, published; open=true hides it', async () => {
    const call = await startLiveCall(server, apiKey, 'agent-1001');
    let alert: AlertJson;
    try {
      server.bus.publish(final(call.callId, 1, 'customer', 'I am going to call my lawyer.'));
      alert = await waitForAlert(supervisor, call.callId, (a) => a.kind === 'escalation-phrase');
    } finally {
      await call.end();
    }
    const noCsrf = await fetch(`${server.url}/api/alerts/${alert.id}/acknowledge`, { method: 'POST', headers: { cookie: supervisor.cookie } });
    expect(noCsrf.status).toBe(403);
    expect((await qa.request('POST', `/api/alerts/${alert.id}/acknowledge`)).status).toBe(403);

    const res = await supervisor.request('POST', `/api/alerts/${alert.id}/acknowledge`);
    expect(res.status).toBe(200);
    const acked = await res.json() as AlertJson;
    expect(acked).toMatchObject({ id: alert.id, acknowledgedBy: { id: supervisor.user.id, username: 'supervisor' } });
    expect(Date.parse(acked.acknowledgedAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(events).toContainEqual(expect.objectContaining({
      type: 'alert.acknowledged', callId: call.callId, alertId: alert.id, acknowledgedBy: { id: supervisor.user.id, username: 'supervisor' },
    }));

    const again = await admin.request('POST', `/api/alerts/${alert.id}/acknowledge`);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toContain('supervisor');

    const open = await (await supervisor.get(`/api/alerts?callId=${call.callId}&open=true`)).json() as { items: AlertJson[] };
    expect(open.items.map((a) => a.id)).not.toContain(alert.id);
    const closed = await (await supervisor.get(`/api/alerts?callId=${call.callId}&open=false`)).json() as { items: AlertJson[] };
    expect(closed.items.map((a) => a.id)).toEqual([alert.id]);

    const audit = await (await admin.get(`/api/admin/audit?action=alert.acknowledged`)).json() as { items: { actorUsername: string; targetId: string; details: Record<string, unknown> }[] };
    expect(audit.items).toContainEqual(expect.objectContaining({
      actorUsername: 'supervisor', targetId: alert.id, details: expect.objectContaining({ callId: call.callId, kind: 'escalation-phrase' }) as unknown,
    }));
  });

  it('counts open alerts on the live call list: up when raised, down when acknowledged', async () => {
    const sup = await connectSupervisor(server.wsUrl, supervisor.cookie);
    const call = await startLiveCall(server, apiKey, 'agent-1002');
    try {
      const listed = (n: number) => (m: Msg) => (m.type === 'call.added' || m.type === 'call.updated')
        && (m.call as LiveCallItem).callId === call.callId && (m.call as LiveCallItem).openAlerts === n;
      await sup.waitFor(listed(0), 10_000, 'the call listed without alerts');
      server.bus.publish(final(call.callId, 1, 'customer', 'Let me speak to your manager right now.'));
      await sup.waitFor(listed(1), 10_000, 'the call listed with one open alert');
      await waitForAlert(supervisor, call.callId, (a) => a.kind === 'escalation-phrase');
      const open = (await alertsOf(supervisor, call.callId)).filter((a) => !a.acknowledgedAt);
      await sup.waitFor(listed(open.length), 10_000, `the call listed with ${open.length} open alerts`);
      const before = sup.messages.length;
      for (const a of open) expect((await supervisor.request('POST', `/api/alerts/${a.id}/acknowledge`)).status).toBe(200);
      await sup.waitFor((m) => sup.messages.indexOf(m) >= before && listed(0)(m), 10_000, 'the call listed with no open alert again');
    } finally {
      await call.end();
      await sup.close();
    }
  });

  it('scopes alerts like calls: a supervisor sees only their teams\' calls, agents are refused', async () => {
    const call = await startLiveCall(server, apiKey, 'agent-2001'); // team Sales B: not supervised by "supervisor"
    let alert: AlertJson;
    try {
      server.bus.publish(final(call.callId, 1, 'customer', 'Let me speak to your supervisor.'));
      alert = await waitForAlert(qa, call.callId, (a) => a.kind === 'escalation-phrase');
    } finally {
      await call.end();
    }
    expect(await alertsOf(supervisor, call.callId)).toEqual([]);
    const all = await (await supervisor.get('/api/alerts?limit=500')).json() as { items: AlertJson[]; total: number };
    expect(all.items.length).toBeGreaterThan(0);
    expect(all.items.map((a) => a.callId)).not.toContain(call.callId);
    expect((await supervisor.get(`/api/alerts/${alert.id}`)).status).toBe(404);
    expect((await supervisor.request('POST', `/api/alerts/${alert.id}/acknowledge`)).status).toBe(404);
    expect((await qa.get(`/api/alerts/${alert.id}`)).status).toBe(200);
    expect((await agent.get('/api/alerts')).status).toBe(403);
    expect((await fetch(`${server.url}/api/alerts`)).status).toBe(401);
    expect((await qa.get('/api/alerts?callId=nope')).status).toBe(400);
    expect((await qa.get('/api/alerts?open=maybe')).status).toBe(400);
    const adminAck = await admin.request('POST', `/api/alerts/${alert.id}/acknowledge`);
    expect(adminAck.status).toBe(200);
  });

  it('admin CRUD validates rules per kind (400 naming the field), refuses duplicates and other roles, and audits', async () => {
    const post = (body: unknown) => admin.request('POST', '/api/admin/alert-rules', body);
    const error = async (res: Response) => ((await res.json()) as { error: string }).error;

    let res = await post({ name: 'Bad kind', kind: 'telepathy', severity: 'info', params: {} });
    expect(res.status).toBe(400);
    expect(await error(res)).toMatch(/^kind/);
    res = await post({ name: 'No phrases', kind: 'escalation-phrase', severity: 'warning', params: { phrases: [] } });
    expect(res.status).toBe(400);
    expect(await error(res)).toMatch(/^params\.phrases/);
    res = await post({ name: 'Typo', kind: 'long-hold', severity: 'warning', params: { minMS: 30000 } });
    expect(res.status).toBe(400);
    expect(await error(res)).toMatch(/^params/);
    res = await post({ name: 'Bad severity', kind: 'handle-time', severity: 'apocalyptic', params: { targetMs: 60000 } });
    expect(res.status).toBe(400);
    expect(await error(res)).toMatch(/^severity/);
    res = await post({ name: 'Bad threshold', kind: 'negative-sentiment', severity: 'info', params: { below: -3 } });
    expect(res.status).toBe(400);
    expect(await error(res)).toMatch(/^params\.below/);
    expect((await supervisor.request('POST', '/api/admin/alert-rules', { name: 'x', kind: 'handle-time', severity: 'info', params: { targetMs: 5000 } })).status).toBe(403);

    res = await post({ name: 'Refund request', kind: 'escalation-phrase', severity: 'info', params: { phrases: ['refund', 'بازپرداخت'] }, cooldownMs: 1000 });
    expect(res.status).toBe(201);
    const created = await res.json() as RuleJson;
    expect(created).toMatchObject({ kind: 'escalation-phrase', enabled: true, cooldownMs: 1000, params: { speaker: 'customer', phrases: ['refund', 'بازپرداخت'] } });
    expect((await post({ name: 'Refund request', kind: 'handle-time', severity: 'info', params: { targetMs: 5000 } })).status).toBe(409);

    res = await admin.request('PATCH', `/api/admin/alert-rules/${created.id}`, { params: { phrases: 'refund' } });
    expect(res.status).toBe(400);
    expect(await error(res)).toMatch(/^params\.phrases/);
    res = await admin.request('PATCH', `/api/admin/alert-rules/${created.id}`, { kind: 'long-hold' });
    expect(res.status).toBe(400);
    expect((await admin.request('PATCH', '/api/admin/alert-rules/00000000-0000-4000-8000-00000000dead', { enabled: false })).status).toBe(404);
    expect((await admin.request('PATCH', `/api/admin/alert-rules/${created.id}`, { name: 'Customer asks for a manager' })).status).toBe(409);

    // The rule applies to calls that start after it was created; with a cooldown it fires again after it.
    const call = await startLiveCall(server, apiKey, 'agent-1001');
    try {
      server.bus.publish(final(call.callId, 1, 'customer', 'I want a refund.'));
      server.bus.publish(final(call.callId, 2, 'customer', 'A refund, please.'));
      await waitForAlert(qa, call.callId, (a) => a.ruleId === created.id);
      await new Promise((r) => setTimeout(r, 1100));
      server.bus.publish(final(call.callId, 3, 'customer', 'Where is my refund?'));
      await expect.poll(async () => (await alertsOf(qa, call.callId)).filter((a) => a.ruleId === created.id).map((a) => a.evidence.utteranceId).sort())
        .toEqual(['customer-1', 'customer-3']);
    } finally {
      await call.end();
    }

    res = await admin.request('PATCH', `/api/admin/alert-rules/${created.id}`, { enabled: false, severity: 'warning', cooldownMs: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ enabled: false, severity: 'warning', cooldownMs: null, params: { phrases: ['refund', 'بازپرداخت'] } });
    expect((await admin.request('DELETE', `/api/admin/alert-rules/${created.id}`)).status).toBe(204);
    expect((await admin.get(`/api/admin/alert-rules/${created.id}`)).status).toBe(404);
    expect((await admin.request('DELETE', `/api/admin/alert-rules/${created.id}`)).status).toBe(404);
    // Its alerts stay, without their rule.
    expect((await alertsOf(qa, call.callId)).filter((a) => a.message.startsWith('Refund request')).every((a) => a.ruleId === null)).toBe(true);

    const audit = await (await admin.get(`/api/admin/audit?targetId=${created.id}`)).json() as { items: { action: string }[] };
    expect(audit.items.map((e) => e.action).sort()).toEqual(['alert_rule.created', 'alert_rule.deleted', 'alert_rule.updated']);
  });

  it('takes other alert sources through the same engine (the hook for live scorecard checks): events, call-time timers, once per key', async () => {
    const seen: string[] = [];
    const greetingCheck: AlertSource = {
      name: 'test-scorecard',
      watch(call) {
        let greeted = false;
        call.at(1000, () => {
          if (!greeted) call.raise({ key: 'greeting', kind: 'scorecard', severity: 'warning', message: 'Greeting not said in the first second' });
        });
        return {
          onEvent(e) {
            seen.push(e.type);
            if (e.type === 'transcript.final' && /thank you for calling/i.test(e.segment.text)) greeted = true;
            if (e.type === 'transcript.final' && /disclosure/i.test(e.segment.text)) {
              call.raise({ key: 'disclosure', kind: 'scorecard', severity: 'info', message: 'Disclosure', evidence: { utteranceId: e.segment.utteranceId } });
            }
          },
        };
      },
    };
    const broken: AlertSource = { name: 'broken', watch: () => ({ onEvent() { throw new Error('source bug'); } }) };
    const engine = createAlertEngine({
      bus: server.bus, db: server.db, log: createLogger('silent'), liveCall: (id) => server.registry.get(id), sources: [broken, greetingCheck],
    });
    try {
      const greeted = await startLiveCall(server, apiKey, 'agent-1001');
      const silent = await startLiveCall(server, apiKey, 'agent-1002');
      try {
        server.bus.publish(final(greeted.callId, 0, 'agent', 'Thank you for calling Acme, how can I help?'));
        server.bus.publish(final(silent.callId, 1, 'agent', 'Here is the disclosure.'));
        server.bus.publish(final(silent.callId, 2, 'agent', 'And the disclosure again.'));
        const missed = await waitForAlert(supervisor, silent.callId, (a) => a.message.startsWith('Greeting'));
        expect(missed).toMatchObject({ kind: 'scorecard', ruleId: null, severity: 'warning' });
        expect(Number(missed.evidence.atMs)).toBeGreaterThanOrEqual(1000);
        await new Promise((r) => setTimeout(r, 1200));
        const onSilent = (await alertsOf(supervisor, silent.callId)).filter((a) => a.kind === 'scorecard');
        expect(onSilent.map((a) => a.message).sort()).toEqual(['Disclosure', 'Greeting not said in the first second']);
        expect(onSilent.find((a) => a.message === 'Disclosure')?.evidence.utteranceId).toBe('agent-1');
        expect((await alertsOf(supervisor, greeted.callId)).filter((a) => a.kind === 'scorecard')).toEqual([]);
        expect(seen).toContain('call.started');
      } finally {
        await Promise.all([greeted.end(), silent.end()]);
      }
    } finally {
      await engine.close();
    }
  });

  it('raises the handle-time alert from a timer when a call outlasts the (configured) target', async () => {
    const rule = rules.get('Call longer than the target handle time')!;
    const res = await admin.request('PATCH', `/api/admin/alert-rules/${rule.id}`, { params: { targetMs: 1500 } });
    expect(res.status).toBe(200);
    const call = await startLiveCall(server, apiKey, 'agent-1001');
    try {
      const t0 = Date.now();
      const alert = await waitForAlert(supervisor, call.callId, (a) => a.ruleId === rule.id, 8000);
      expect(Date.now() - t0).toBeGreaterThan(500);
      expect(alert).toMatchObject({ kind: 'handle-time', severity: 'info', evidence: { atMs: 1500, threshold: 1500 } });
      expect(alert.message).toContain('0:02');
    } finally {
      await call.end();
    }
    // A call that ends before the target raises nothing.
    await admin.request('PATCH', `/api/admin/alert-rules/${rule.id}`, { params: { targetMs: 4000 } });
    const short = await startLiveCall(server, apiKey, 'agent-1001');
    await new Promise((r) => setTimeout(r, 300));
    const ended = new Promise<void>((resolve) => {
      const off = server.bus.subscribe((e) => { if (e.type === 'call.ended' && e.callId === short.callId) { off(); resolve(); } });
    });
    await short.end();
    await ended;
    await new Promise((r) => setTimeout(r, 4500));
    expect((await alertsOf(supervisor, short.callId)).filter((a) => a.ruleId === rule.id)).toEqual([]);
    await admin.request('PATCH', `/api/admin/alert-rules/${rule.id}`, { params: { targetMs: 600_000 } });
  });
});

describe.skipIf(!sphinxInstalled())('alerts end to end through the speech pipeline', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ speech: { enabled: true, asrEngine: 'auto', modelsDir: 'test/fixtures/no-models' } });
    await seedDemo(server.db);
  });
  afterAll(async () => { await server?.close(); });

  it('the angry customer asking for a manager raises a critical escalation alert while the call is live', async () => {
    const { apiKey } = await createTapKey(server.db, { name: 'speech-alerts' });
    const supervisor = await login(server.url, 'supervisor', 'supervisor-demo');
    const raised: { at: number; type: string; kind?: string }[] = [];
    let callId: string | undefined;
    server.bus.subscribe((e) => {
      if (e.type === 'call.started' && e.agentExternalId === 'agent-1001') callId = e.callId;
      if (e.callId !== callId) return;
      if (e.type === 'alert.raised') raised.push({ at: Date.now(), type: e.type, kind: e.alert.kind });
      if (e.type === 'call.ended') raised.push({ at: Date.now(), type: e.type });
    });
    // The script: the customer says "I want to speak to a manager" at 43.3–46.8 s and threatens to cancel at 55.6 s.
    const sim = await simulateCall({
      url: server.wsUrl, file: `${DIR}/support-angry-customer.wav`, protocol: 'native', codec: 'L16', rate: 16000, speed: 2,
      maxDurationMs: 62_000, metadata: { agentId: 'agent-1001', queue: 'support', language: 'en-US' }, credentials: { apiKey },
    });
    expect(sim.serverCallId).toBe(callId);
    const alert = await waitForAlert(supervisor, callId!, (a) => a.ruleId !== null && a.message.startsWith('Customer asks for a manager'), 60_000);
    expect(alert).toMatchObject({ kind: 'escalation-phrase', severity: 'critical', evidence: { speaker: 'customer' } });
    expect(String(alert.evidence.text)).toMatch(/manager/);
    expect(Math.abs(Number(alert.evidence.startMs) - 43_330)).toBeLessThan(2500);
    console.log(`angry customer: alerts ${raised.map((r) => r.kind ?? r.type).join(', ')}; manager alert: "${String(alert.evidence.text)}"`);
    const endedAt = raised.find((r) => r.type === 'call.ended')?.at ?? Infinity;
    const managerAt = raised.find((r) => r.kind === 'escalation-phrase')!.at;
    expect(managerAt).toBeLessThan(endedAt);
  }, 120_000);
});
