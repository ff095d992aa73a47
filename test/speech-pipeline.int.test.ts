import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTapKey } from '../services/auth/index.js';
import { simulateCall } from '../services/cli/sim/index.js';
import type { BusEvent } from '../services/live/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { sphinxInstalled } from '../services/speech/asr/index.js';
import { corpusWer } from '../services/speech/asr/index.js';
import { login, type ApiSession } from './helpers/api-session.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const DIR = 'test/fixtures/calls';
interface Script { lines: { speaker: 'agent' | 'customer'; text: string; startMs: number; endMs: number }[]; durationMs: number }
interface Transcript { transcription: { status: string; note: string | null; engine: string | null }; segments: { speaker: string; text: string; startMs: number; sentiment: { score: number } | null; words: unknown[] }[] }

/** Polls a call's transcript until its transcription status settles. */
async function settled(api: ApiSession, callId: string): Promise<Transcript> {
  for (let i = 0; i < 1200; i++) {
    const res = await api.get(`/api/calls/${callId}/transcript`);
    if (res.status === 200) {
      const t = await res.json() as Transcript;
      if (['done', 'not-transcribed', 'failed'].includes(t.transcription.status)) return t;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`transcription of ${callId} never settled`);
}

describe.skipIf(!sphinxInstalled())('speech pipeline on live calls through the server', () => {
  let server: TestServer;
  let apiKey: string;
  let qa: ApiSession;
  const events: BusEvent[] = [];

  beforeAll(async () => {
    server = await startTestServer({ speech: { enabled: true, asrEngine: 'auto', modelsDir: 'test/fixtures/no-models' } });
    server.bus.subscribe((e) => events.push(e));
    await seedDemo(server.db);
    apiKey = (await createTapKey(server.db, { name: 'speech' })).apiKey;
    qa = await login(server.url, 'qa', 'qa-demo-1');
  });
  afterAll(async () => { await server?.close(); });

  it('transcribes a 16 kHz call per speaker, scores sentiment, stores metrics, publishes live events, and makes it searchable', async () => {
    const script = JSON.parse(readFileSync(`${DIR}/support-good.json`, 'utf8')) as Script;
    const s = await simulateCall({
      url: server.wsUrl, file: `${DIR}/support-good.wav`, protocol: 'native', codec: 'L16', rate: 16000, speed: 0,
      metadata: { agentId: 'agent-1001', queue: 'support', language: 'en-US' }, credentials: { apiKey },
    });
    const callId = s.serverCallId!;
    const t = await settled(qa, callId);
    expect(t.transcription).toMatchObject({ status: 'done', engine: 'sphinx' });
    const text = (speaker: string) => t.segments.filter((g) => g.speaker === speaker).map((g) => g.text).join(' ');
    expect(text('agent')).toMatch(/thank you for (calling|coming)/);
    expect(text('agent')).toContain('date of birth');
    expect(text('customer')).toContain('four five seven two one nine eight');
    const ref = (speaker: string) => script.lines.filter((l) => l.speaker === speaker).map((l) => l.text).join(' ');
    const wer = corpusWer([{ reference: ref('agent'), hypothesis: text('agent') }, { reference: ref('customer'), hypothesis: text('customer') }]).wer;
    console.log(`support-good through the server (speech-only recognition): WER ${(100 * wer).toFixed(1)}%, ${t.segments.length} segments`);
    expect(wer).toBeLessThan(0.3);
    expect(t.segments.every((g) => g.words.length > 0)).toBe(true);
    expect(t.segments.filter((g) => g.sentiment).length).toBeGreaterThan(t.segments.length / 2);

    const m = await (await qa.get(`/api/calls/${callId}/metrics`)).json() as {
      metrics: { horizonMs: number; nonTalk: { longest: { startMs: number; endMs: number } | null }; speakers: Record<string, { talkMs: number; wordsPerMinute: number | null }> };
      sentiment: { customer: unknown };
    };
    const scriptTalk = (speaker: string) => script.lines.filter((l) => l.speaker === speaker).reduce((n, l) => n + l.endMs - l.startMs, 0);
    for (const speaker of ['agent', 'customer']) {
      expect(Math.abs(m.metrics.speakers[speaker].talkMs - scriptTalk(speaker)) / scriptTalk(speaker)).toBeLessThan(0.15);
    }
    const hold = JSON.parse(readFileSync(`${DIR}/support-good.json`, 'utf8')).annotations.silences[0] as { startMs: number; endMs: number };
    expect(Math.abs(m.metrics.nonTalk.longest!.startMs - hold.startMs)).toBeLessThan(400);
    expect(Math.abs(m.metrics.nonTalk.longest!.endMs - hold.endMs)).toBeLessThan(400);
    expect(m.sentiment.customer).toBeTruthy();

    const ofCall = events.filter((e) => 'callId' in e && e.callId === callId).map((e) => e.type);
    for (const type of ['transcript.partial', 'transcript.final', 'sentiment.scored', 'metrics.updated', 'transcription.changed', 'sentiment.summarized']) {
      expect(ofCall).toContain(type);
    }
    const hits = await (await qa.get('/api/search?q=%22date%20of%20birth%22&speaker=agent')).json() as { items: { callId: string }[] };
    expect(hits.items.map((h) => h.callId)).toContain(callId);
  }, 240_000);

  it('says visibly why an 8 kHz English call and a Persian call are not transcribed, and still measures them', async () => {
    const narrow = await simulateCall({
      url: server.wsUrl, file: `${DIR}/support-no-greeting.ulaw.wav`, protocol: 'native', codec: 'PCMU', speed: 0, maxDurationMs: 20_000,
      metadata: { agentId: 'agent-1001', language: 'en-US' }, credentials: { apiKey },
    });
    const persian = await simulateCall({
      url: server.wsUrl, file: `${DIR}/support-no-greeting.wav`, protocol: 'native', codec: 'L16', rate: 16000, speed: 0, maxDurationMs: 20_000,
      metadata: { agentId: 'agent-1001', language: 'fa-IR' }, credentials: { apiKey },
    });
    const a = await settled(qa, narrow.serverCallId!);
    expect(a.transcription.status).toBe('not-transcribed');
    expect(a.transcription.note).toMatch(/no model for en-US.*16 kHz/);
    const b = await settled(qa, persian.serverCallId!);
    expect(b.transcription.note).toMatch(/no model for fa-IR/);
    for (const id of [narrow.serverCallId!, persian.serverCallId!]) {
      await expect.poll(async () => {
        const m = await (await qa.get(`/api/calls/${id}/metrics`)).json() as { metrics: { speakers: { agent: { talkMs: number } } } | null };
        return m.metrics?.speakers.agent.talkMs ?? 0;
      }, { timeout: 20_000 }).toBeGreaterThan(3000);
    }
  }, 120_000);
});
