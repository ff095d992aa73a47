import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../services/calls/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { computeConversationMetrics, summarizeCallSentiment, type SentimentScore, type Word } from '../services/speech/index.js';
import { createStore, type SegmentInput, type Store } from '../services/store/index.js';
import { login, type ApiSession } from './helpers/api-session.js';
import { startTestServer, type TestServer } from './helpers/server.js';

interface HitJson {
  segmentId: string; callId: string; utteranceId: string; speaker: Channel; startMs: number; endMs: number; text: string; snippet: string;
  rank: number; language: string; call: { startedAt: string; agent: { externalId: string } | null; queue: string | null };
}
interface SearchJson { items: HitJson[]; total: number; limit: number; offset: number }
interface SegmentJson { id: string; utteranceId: string; speaker: Channel; startMs: number; endMs: number; text: string; words: Word[]; confidence: number | null; sentiment: SentimentScore | null }

const PERSIAN = 'می‌خواهم با مدیر صحبت کنم';

/** Words spread evenly over the segment, as an engine with word timings reports them. */
function wordsOf(text: string, startMs: number, endMs: number): Word[] {
  const parts = text.split(/\s+/).filter(Boolean);
  const step = (endMs - startMs) / parts.length;
  return parts.map((w, i) => ({ text: w, startMs: startMs + i * step, endMs: startMs + (i + 1) * step, confidence: 0.5 + (i % 2) * 0.5 }));
}

describe('transcript storage and search API', () => {
  let server: TestServer;
  let store: Store;
  const ids: Record<string, string> = {};
  const sessions: Record<string, ApiSession> = {};

  function seg(call: string, speaker: Channel, startMs: number, text: string, extra: Partial<SegmentInput> = {}): SegmentInput {
    const endMs = startMs + 2000;
    return {
      callId: ids[call], speaker, utteranceId: `${ids[call]}:${speaker}:${startMs}.1`, text, startMs, endMs,
      words: wordsOf(text, startMs, endMs), engine: 'vosk', language: /[\u0600-\u06FF]/.test(text) ? 'fa' : 'en', ...extra,
    };
  }

  async function addCall(name: string, agentExt: string | null, startedAt: string) {
    const agent = agentExt ? await store.agents.findOrCreate(agentExt) : undefined;
    const id = randomUUID();
    await store.calls.insert({ id, protocol: 'native', externalId: `ext-${name}`, direction: 'inbound', startedAt: new Date(startedAt), sampleRate: 16000, agentId: agent?.id });
    ids[name] = id;
  }

  const search = async (who: string, query: string) => {
    const res = await sessions[who].get(`/api/search?${query}`);
    expect(res.status, `${who} ${query}`).toBe(200);
    return res.json() as Promise<SearchJson>;
  };
  const callsOf = (page: SearchJson) => [...new Set(page.items.map((h) => h.callId))].sort();
  const named = (...names: string[]) => names.map((n) => ids[n]).sort();

  beforeAll(async () => {
    server = await startTestServer();
    store = createStore(server.db);
    await seedDemo(server.db);
    const salesB = await store.teams.findByName('Sales B');
    const admin = await login(server.url, 'admin', 'admin-demo');
    const sup2 = await (await admin.request('POST', '/api/admin/users', { username: 'sup2', displayName: 'Sup Two', role: 'supervisor', password: 'sup2-pass' })).json() as { id: string };
    await admin.request('PUT', `/api/admin/teams/${salesB?.id}/supervisors/${sup2.id}`);

    await addCall('en1', 'agent-1001', '2024-03-01T10:00:00Z'); // Support A, the demo agent's own call
    await addCall('fa1', 'agent-1002', '2024-03-05T10:00:00Z'); // Support A
    await addCall('en2', 'agent-2001', '2024-03-10T10:00:00Z'); // Sales B
    await addCall('none', null, '2024-03-12T10:00:00Z');
    await addCall('many', 'agent-2002', '2024-02-01T10:00:00Z'); // Sales B

    const neg: SentimentScore = { score: -0.6, label: 'negative', engine: 'lexicon-en' };
    expect(await store.transcripts.saveSegments([
      seg('en1', 'agent', 0, 'Thank you for calling, how can I help you today?'),
      seg('en1', 'customer', 2500, 'I want to speak with the manager about my bill', { sentiment: neg }),
      seg('en1', 'customer', 5000, 'The billing is wrong <again> & I am angry'),
      seg('fa1', 'customer', 0, PERSIAN, { sentiment: { score: -0.2, label: 'negative', engine: 'lexicon-fa' } }),
      seg('fa1', 'agent', 2500, 'لطفا صبر كنيد، الان كمك مي‌كنم'), // Arabic kaf and yeh, as some keyboards type them
      seg('en2', 'customer', 0, 'Please let me talk to a manager'),
      seg('en2', 'agent', 2500, 'Our managers are busy right now'),
      seg('none', 'customer', 0, 'Is there a manager on duty'),
      ...Array.from({ length: 12 }, (_, i) => seg('many', i % 2 ? 'agent' : 'customer', i * 3000, `refund request number ${i + 1}`)),
    ])).toBe(20);

    for (const [u, pw] of [['admin', 'admin-demo'], ['qa', 'qa-demo-1'], ['supervisor', 'supervisor-demo'], ['agent', 'agent-demo'], ['sup2', 'sup2-pass']]) {
      sessions[u] = await login(server.url, u, pw);
    }
  });
  afterAll(async () => { await server?.close(); });

  it('needs a session', async () => {
    for (const path of ['/api/search?q=manager', `/api/calls/${ids.en1}/transcript`, `/api/calls/${ids.en1}/metrics`]) {
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(401);
    }
  });

  it('finds words and their English stems, best match first, with the call', async () => {
    const page = await search('admin', 'q=manager');
    expect(callsOf(page)).toEqual(named('en1', 'en2', 'none'));
    expect(page.total).toBe(4);
    expect(page.items.map((h) => h.text)).toContain('Our managers are busy right now');
    const hit = page.items.find((h) => h.callId === ids.en1);
    expect(hit).toMatchObject({
      speaker: 'customer', startMs: 2500, endMs: 4500, language: 'en', utteranceId: `${ids.en1}:customer:2500.1`,
      call: { startedAt: '2024-03-01T10:00:00.000Z', agent: { externalId: 'agent-1001' }, queue: null },
    });
    expect(hit?.rank).toBeGreaterThan(0);
    for (let i = 1; i < page.items.length; i++) expect(page.items[i - 1].rank).toBeGreaterThanOrEqual(page.items[i].rank);
    expect((await search('admin', 'q=MANAGERS')).total).toBe(4);
    expect(callsOf(await search('admin', 'q=bills'))).toEqual(named('en1'));
    expect((await search('admin', 'q=supervisor')).total).toBe(0);
  });

  it('supports phrases, several words and exclusion', async () => {
    expect((await search('admin', `q=${encodeURIComponent('"speak with the manager"')}`)).items.map((h) => h.callId)).toEqual([ids.en1]);
    expect((await search('admin', `q=${encodeURIComponent('"manager speak"')}`)).total).toBe(0);
    expect((await search('admin', 'q=talk+manager')).items.map((h) => h.callId)).toEqual([ids.en2]);
    expect((await search('admin', 'q=manager+-busy')).total).toBe(3);
    expect((await search('admin', 'q=busy+or+angry')).total).toBe(2);
  });

  it('finds Persian words whatever the spelling: ZWNJ, space or none, Arabic letter variants', async () => {
    for (const q of ['مدیر', 'صحبت کنم', 'می‌خواهم', 'میخواهم', 'می خواهم', 'مي‌خواهم', 'مدير']) {
      const page = await search('admin', `q=${encodeURIComponent(q)}`);
      expect(page.items.map((h) => h.text), q).toEqual([PERSIAN]);
      expect(page.items[0].language).toBe('fa');
    }
    // Stored with Arabic kaf and yeh, found with the Persian letters (and the other way round).
    for (const q of ['کمک', 'كمك', 'صبر کنید', 'میکنم']) {
      expect((await search('admin', `q=${encodeURIComponent(q)}`)).items.map((h) => h.callId), q).toEqual([ids.fa1]);
    }
  });

  it('highlights the matches in an HTML-safe snippet', async () => {
    const [en] = (await search('admin', 'q=speak+manager')).items;
    expect(en.snippet).toBe('I want to <mark>speak</mark> with the <mark>manager</mark> about my bill');
    const [angry] = (await search('admin', 'q=angry')).items;
    expect(angry.snippet).toBe('The billing is wrong &#60;again&#62; &#38; I am <mark>angry</mark>');
    expect(angry.text).toBe('The billing is wrong <again> & I am angry');
    // English stop words match exactly (the 'simple' half of the index) and are highlighted too.
    const [am] = (await search('admin', 'q=am')).items;
    expect(am.snippet).toBe('The billing is wrong &#60;again&#62; &#38; I <mark>am</mark> angry');
    const [stem] = (await search('admin', 'q=managers&speaker=customer&agent=agent-2001')).items;
    expect(stem.snippet).toBe('Please let me talk to a <mark>manager</mark>');
    const [fa] = (await search('admin', `q=${encodeURIComponent('مدیر')}`)).items;
    expect(fa.snippet).toBe('میخواهم با <mark>مدیر</mark> صحبت کنم');
  });

  it('filters by speaker, date, agent and team', async () => {
    expect((await search('admin', 'q=manager&speaker=agent')).items.map((h) => h.text)).toEqual(['Our managers are busy right now']);
    expect((await search('admin', 'q=manager&speaker=customer')).total).toBe(3);
    expect(callsOf(await search('admin', 'q=manager&from=2024-03-05&to=2024-03-11'))).toEqual(named('en2'));
    expect(callsOf(await search('admin', 'q=manager&from=2024-03-10T10:00:00Z'))).toEqual(named('en2', 'none'));
    expect(callsOf(await search('admin', 'q=manager&to=2024-03-10T10:00:00Z'))).toEqual(named('en1'));
    expect(callsOf(await search('admin', 'q=manager&agent=agent-2001'))).toEqual(named('en2'));
    const a2001 = await store.agents.findByExternalId('agent-2001');
    expect(callsOf(await search('admin', `q=manager&agent=${a2001?.id}`))).toEqual(named('en2'));
    expect(callsOf(await search('admin', `q=manager&team=${encodeURIComponent('Support A')}`))).toEqual(named('en1'));
  });

  it('searches only the calls the user may see', async () => {
    expect(callsOf(await search('qa', 'q=manager'))).toEqual(named('en1', 'en2', 'none'));
    expect(callsOf(await search('agent', 'q=manager'))).toEqual(named('en1'));
    expect((await search('agent', `q=${encodeURIComponent('مدیر')}`)).total).toBe(0);
    expect((await search('agent', 'q=manager&agent=agent-2001')).total).toBe(0);
    expect(callsOf(await search('supervisor', 'q=manager'))).toEqual(named('en1'));
    expect(callsOf(await search('supervisor', `q=${encodeURIComponent('مدیر')}`))).toEqual(named('fa1'));
    expect(callsOf(await search('sup2', 'q=manager'))).toEqual(named('en2'));
    expect((await search('sup2', 'q=refund')).total).toBe(12);
    expect((await search('supervisor', 'q=refund')).total).toBe(0);
  });

  it('pages with limit and offset and reports the total', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 15; offset += 5) {
      const page = await search('admin', `q=refund&limit=5&offset=${offset}`);
      expect(page).toMatchObject({ total: 12, limit: 5, offset });
      seen.push(...page.items.map((h) => h.segmentId));
    }
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    expect((await search('admin', 'q=refund&offset=50')).items).toEqual([]);
    // Equal ranks: time order within the call.
    const all = await search('admin', 'q=refund&limit=100');
    expect(all.items.map((h) => h.startMs)).toEqual(Array.from({ length: 12 }, (_, i) => i * 3000));
  });

  it('rejects a missing, empty, wordless or too long query, bad dates and speakers with a clear message', async () => {
    const cases: Array<[string, RegExp]> = [
      ['', /^q: is required$/],
      ['q=', /^q: must not be empty$/],
      ['q=%20%20', /^q: must not be empty$/],
      [`q=${encodeURIComponent('?! -')}`, /^q: must contain a word/],
      [`q=${'a'.repeat(201)}`, /^q: must be at most 200 characters$/],
      ['q=x&speaker=bot', /^speaker: must be agent or customer$/],
      ['q=x&from=yesterday', /^from: must be a date/],
      ['q=x&to=2024-13-45', /^to: must be a date/],
      ['q=x&from=2024-03-02&to=2024-03-01', /^to: must be after from$/],
      ['q=x&limit=0', /^limit:/],
      ['q=x&offset=-1', /^offset:/],
    ];
    for (const [query, message] of cases) {
      const res = await sessions.admin.get(`/api/search?${query}`);
      expect(res.status, query).toBe(400);
      expect((await res.json() as { error: string }).error, query).toMatch(message);
    }
    expect((await search('admin', `q=${'a'.repeat(200)}`)).total).toBe(0);
  });

  it('returns a call transcript with words and sentiment, in time order, within scope', async () => {
    const res = await sessions.agent.get(`/api/calls/${ids.en1}/transcript`);
    expect(res.status).toBe(200);
    const body = await res.json() as { callId: string; transcription: { status: string }; segments: SegmentJson[] };
    expect(body.callId).toBe(ids.en1);
    expect(body.transcription.status).toBe('pending');
    expect(body.segments.map((s) => [s.speaker, s.startMs])).toEqual([['agent', 0], ['customer', 2500], ['customer', 5000]]);
    const [, second] = body.segments;
    expect(second.sentiment).toEqual({ score: -0.6, label: 'negative', engine: 'lexicon-en' });
    expect(second.words).toHaveLength(10);
    expect(second.words[3]).toEqual({ text: 'speak', startMs: 3100, endMs: 3300, confidence: 1 });
    expect(second.confidence).toBeCloseTo(0.75);
    expect(body.segments[0].sentiment).toBeNull();

    for (const other of [ids.fa1, ids.en2, ids.none]) {
      const denied = await sessions.agent.get(`/api/calls/${other}/transcript`);
      expect(denied.status).toBe(404);
      expect(await denied.json()).toEqual({ error: 'call not found' });
    }
    expect((await sessions.supervisor.get(`/api/calls/${ids.fa1}/transcript`)).status).toBe(200);
    expect((await sessions.admin.get('/api/calls/not-a-uuid/transcript')).status).toBe(404);
    const empty = await (await sessions.admin.get(`/api/calls/${ids.none}/transcript`)).json() as { segments: SegmentJson[] };
    expect(empty.segments.map((s) => s.text)).toEqual(['Is there a manager on duty']);
  });

  it('replaces a segment stored again under its utterance id, keeps its sentiment, skips unknown calls, refuses partials', async () => {
    const first = seg('none', 'agent', 4000, 'let me check the schedule');
    expect(await store.transcripts.saveSegment({ ...first, sentiment: { score: 0.1, label: 'neutral', engine: 'x' } })).toBe(true);
    expect(await store.transcripts.saveSegment({ ...first, text: 'let me check the roster', words: [] })).toBe(true);
    expect((await search('admin', 'q=schedule')).total).toBe(0);
    expect((await search('admin', 'q=roster')).total).toBe(1);
    const segments = await store.transcripts.listSegments(ids.none);
    expect(segments).toHaveLength(2);
    expect(segments[1]).toMatchObject({ text: 'let me check the roster', words: [], confidence: null, sentiment: { score: 0.1, label: 'neutral' } });
    expect(await store.transcripts.setSegmentSentiment(ids.none, first.utteranceId, { score: 0.7, label: 'positive', engine: 'y' })).toBe(true);
    expect((await store.transcripts.listSegments(ids.none))[1].sentiment).toEqual({ score: 0.7, label: 'positive', engine: 'y' });
    expect(await store.transcripts.setSegmentSentiment(ids.none, 'nope', { score: 0, label: 'neutral', engine: 'y' })).toBe(false);

    expect(await store.transcripts.saveSegment({ ...first, callId: randomUUID() })).toBe(false);
    await expect(store.transcripts.saveSegment({ ...first, final: false })).rejects.toThrow(/only final segments/);
    await expect(store.transcripts.saveSegment({ ...first, callId: 'call-1' })).rejects.toThrow(/not a UUID/);
    expect(await store.transcripts.saveSegments([])).toBe(0);
  });

  it('stores and returns conversation metrics and the sentiment summary, within scope', async () => {
    const before = await (await sessions.agent.get(`/api/calls/${ids.en1}/metrics`)).json();
    expect(before).toEqual({ callId: ids.en1, metrics: null, sentiment: null, updatedAt: null });

    const metrics = computeConversationMetrics({ spans: [{ speaker: 'agent', startMs: 0, endMs: 2000 }, { speaker: 'customer', startMs: 2500, endMs: 7000 }] });
    const sentiment = summarizeCallSentiment([
      { utteranceId: 'u1', speaker: 'customer', startMs: 2500, endMs: 4500, text: 'x', sentiment: { score: -0.6, label: 'negative', engine: 'e' } },
    ]);
    expect(await store.transcripts.saveMetrics(ids.en1, { metrics })).toBe(true);
    expect(await store.transcripts.saveMetrics(ids.en1, { sentiment })).toBe(true);
    expect(await store.transcripts.saveMetrics(randomUUID(), { metrics })).toBe(false);

    const res = await sessions.agent.get(`/api/calls/${ids.en1}/metrics`);
    expect(res.status).toBe(200);
    const body = await res.json() as { metrics: unknown; sentiment: unknown; updatedAt: string };
    expect(body.metrics).toEqual(JSON.parse(JSON.stringify(metrics)));
    expect(body.sentiment).toEqual(JSON.parse(JSON.stringify(sentiment)));
    expect(Date.parse(body.updatedAt)).not.toBeNaN();
    expect((await sessions.agent.get(`/api/calls/${ids.en2}/metrics`)).status).toBe(404);
    expect((await sessions.sup2.get(`/api/calls/${ids.en1}/metrics`)).status).toBe(404);
  });

  it('shows the transcription status, note, engine and lost ranges with the call', async () => {
    const detail = async (name: string) => (await (await sessions.admin.get(`/api/calls/${ids[name]}`)).json() as { transcription: unknown }).transcription;
    expect(await detail('fa1')).toEqual({ status: 'pending', note: null, engine: null, lost: [] });

    expect(await store.transcripts.setTranscriptionStatus(ids.fa1, 'not-transcribed', { note: 'no model for fa' })).toBe(true);
    expect(await detail('fa1')).toEqual({ status: 'not-transcribed', note: 'no model for fa', engine: null, lost: [] });

    expect(await store.transcripts.setTranscriptionStatus(ids.en2, 'running', { engine: 'vosk' })).toBe(true);
    const lost = { speaker: 'customer' as const, fromMs: 1000.4, toMs: 4200, reason: 'ASR worker stopped (exit code 1); restarted' };
    expect(await store.transcripts.addLostRange(ids.en2, lost)).toBe(true);
    expect(await store.transcripts.addLostRange(ids.en2, lost)).toBe(true);
    expect(await store.transcripts.addLostRange(ids.en2, { ...lost, speaker: 'agent' })).toBe(true);
    expect(await store.transcripts.setTranscriptionStatus(ids.en2, 'done')).toBe(true);
    expect(await detail('en2')).toEqual({
      status: 'done', note: null, engine: 'vosk',
      lost: [{ ...lost, fromMs: 1000 }, { ...lost, fromMs: 1000, speaker: 'agent' }],
    });
    const list = await (await sessions.sup2.get('/api/calls?agent=agent-2001')).json() as { items: Array<{ transcription: { status: string } }> };
    expect(list.items.map((c) => c.transcription.status)).toEqual(['done']);

    expect(await store.transcripts.setTranscriptionStatus(randomUUID(), 'failed')).toBe(false);
    expect(await store.transcripts.addLostRange('nope', lost)).toBe(false);
    await expect(server.db.query('update calls set transcription_status = $2 where id = $1', [ids.en1, 'bogus'])).rejects.toThrow();
  });

  it('drops a call\'s segments and metrics with the call', async () => {
    await server.db.query('delete from calls where id = $1', [ids.many]);
    expect(await store.transcripts.listSegments(ids.many)).toEqual([]);
    expect((await search('admin', 'q=refund')).total).toBe(0);
  });
});
