import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTapKey } from '../services/auth/index.js';
import { simulateCall } from '../services/cli/sim/index.js';
import type { BusEvent } from '../services/live/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { sphinxInstalled } from '../services/speech/asr/index.js';
import { login, type ApiSession } from './helpers/api-session.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const DIR = 'test/fixtures/calls';
interface Answer { questionId: string; autoValue: unknown; needsReview: boolean; reviewReason: string | null; evidence: { segmentId?: string; startMs: number; endMs: number; text?: string; note: string }[] }
interface Detail { id: string; kind: string; status: string; scorecard: { id: string; version: number }; sections: { questions: { id: string; answer: Answer }[] }[] }

async function evaluationOf(api: ApiSession, callId: string): Promise<Detail> {
  for (let i = 0; i < 1200; i++) {
    const page = await (await api.get(`/api/evaluations?callId=${callId}`)).json() as { items: { id: string }[] };
    if (page.items.length) return await (await api.get(`/api/evaluations/${page.items[0].id}`)).json() as Detail;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`call ${callId} was never evaluated`);
}
const answer = (d: Detail, id: string) => d.sections.flatMap((s) => s.questions).find((q) => q.id === id)!.answer;

describe.skipIf(!sphinxInstalled())('automatic evaluation of live calls through the speech pipeline', () => {
  let server: TestServer;
  let apiKey: string;
  let qa: ApiSession;
  const events: BusEvent[] = [];

  beforeAll(async () => {
    server = await startTestServer({ speech: { enabled: true, asrEngine: 'auto', modelsDir: 'test/fixtures/no-models' } });
    server.bus.subscribe((e) => events.push(e));
    await seedDemo(server.db);
    apiKey = (await createTapKey(server.db, { name: 'scoring' })).apiKey;
    qa = await login(server.url, 'qa', 'qa-demo-1');
  });
  afterAll(async () => { await server?.close(); });

  const stream = (file: string, codec: 'L16' | 'PCMU', extra: { maxDurationMs?: number } = {}) => simulateCall({
    url: server.wsUrl, file: `${DIR}/${file}`, protocol: 'native', codec, ...(codec === 'L16' ? { rate: 16000 } : {}), speed: 0, ...extra,
    metadata: { agentId: 'agent-1001', queue: 'support', language: 'en-US', direction: 'inbound' }, credentials: { apiKey },
  });

  it('scores a call at its end: the greeting fails without one and passes with one, with evidence', async () => {
    const [bad, good] = await Promise.all([stream('support-no-greeting.wav', 'L16'), stream('support-good.wav', 'L16')]);
    const [b, g] = await Promise.all([evaluationOf(qa, bad.serverCallId!), evaluationOf(qa, good.serverCallId!)]);
    for (const e of [b, g]) expect(e).toMatchObject({ kind: 'auto', scorecard: { id: 'inbound-support-en', version: 1 } });
    expect(answer(b, 'greeting')).toMatchObject({ autoValue: 'no' });
    const greeting = answer(g, 'greeting');
    expect(greeting.autoValue).toBe('yes');
    expect(greeting.evidence[0]).toMatchObject({ segmentId: expect.any(String), speaker: 'agent', text: expect.stringMatching(/thank|calling/) });
    expect(greeting.evidence[0].startMs).toBeLessThan(15_000);
    expect(events.filter((e) => e.type === 'evaluation.created').map((e) => e.callId).sort()).toEqual([bad.serverCallId, good.serverCallId].sort());
  }, 240_000);

  it('scores a call that could not be transcribed on what can be scored, transcript questions left for review', async () => {
    const narrow = await stream('support-no-greeting.ulaw.wav', 'PCMU', { maxDurationMs: 20_000 });
    const e = await evaluationOf(qa, narrow.serverCallId!);
    expect(answer(e, 'greeting')).toMatchObject({ autoValue: null, needsReview: true, reviewReason: 'not-evaluable' });
  }, 120_000);
});
