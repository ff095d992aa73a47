/**
 * Live scorecard checks through a real server and the real speech pipeline (PocketSphinx): a fixture call streamed
 * over the native tap at twice real time (its first 40 s). The agent who opens without a greeting raises the greeting question's
 * alert while the call is still live; the agent who greets raises none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTapKey } from '../services/auth/index.js';
import { simulateCall } from '../services/cli/sim/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { sphinxInstalled } from '../services/speech/asr/index.js';
import { login, type ApiSession } from './helpers/api-session.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const DIR = 'test/fixtures/calls';

interface AlertJson {
  id: string; callId: string; ruleId: string | null; kind: string; severity: string; message: string;
  evidence: Record<string, unknown>; raisedAt: string;
}

describe.skipIf(!sphinxInstalled())('live scorecard checks', () => {
  let server: TestServer;
  let supervisor: ApiSession;
  let apiKey: string;

  beforeAll(async () => {
    server = await startTestServer({ speech: { enabled: true, asrEngine: 'auto', modelsDir: 'test/fixtures/no-models' } });
    await seedDemo(server.db);
    apiKey = (await createTapKey(server.db, { name: 'scorecard-alerts' })).apiKey;
    supervisor = await login(server.url, 'supervisor', 'supervisor-demo');
  });
  afterAll(async () => { await server?.close(); });

  async function alertsOf(callId: string): Promise<AlertJson[]> {
    const res = await supervisor.get(`/api/alerts?callId=${callId}&limit=500`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: AlertJson[] }).items;
  }

  /** Streams a fixture's first 40 s at speed 2; records when its greeting alert was published and when the call ended. */
  async function stream(file: string, agentId: string) {
    let callId: string | undefined;
    let greetingAt: number | undefined;
    let liveWhenRaised: string | undefined;
    let endedAt: number | undefined;
    const off = server.bus.subscribe((e) => {
      if (e.type === 'call.started' && e.agentExternalId === agentId) callId = e.callId;
      if (e.callId !== callId) return;
      if (e.type === 'alert.raised' && e.alert.kind === 'scorecard-check' && e.alert.evidence.questionId === 'greeting') {
        greetingAt = Date.now();
        liveWhenRaised = server.registry.get(e.callId)?.status;
      }
      if (e.type === 'call.ended') endedAt = Date.now();
    });
    try {
      const sim = await simulateCall({
        // The first 40 s are enough: the greeting's window is the first 15 s of the call.
        url: server.wsUrl, file: `${DIR}/${file}`, protocol: 'native', codec: 'L16', rate: 16000, speed: 2, maxDurationMs: 40_000,
        metadata: { agentId, queue: 'support', language: 'en-US', direction: 'inbound' }, credentials: { apiKey },
      });
      expect(sim.serverCallId).toBe(callId);
      await expect.poll(() => endedAt !== undefined, { timeout: 10_000 }).toBe(true);
      // Late finals and the last metrics update come after the end: give them time before judging "no alert".
      await new Promise((r) => setTimeout(r, 3000));
      return { callId: callId!, greetingAt, liveWhenRaised, endedAt: endedAt! };
    } finally {
      off();
    }
  }

  it('an agent who opens without a greeting raises the greeting alert while the call is live', async () => {
    const run = await stream('support-no-greeting.wav', 'agent-1002');
    expect(run.greetingAt, 'greeting alert published').toBeDefined();
    expect(run.liveWhenRaised).toBe('live');
    expect(run.greetingAt!).toBeLessThan(run.endedAt);
    const alerts = (await alertsOf(run.callId)).filter((a) => a.kind === 'scorecard-check');
    const greeting = alerts.find((a) => a.evidence.questionId === 'greeting');
    expect(greeting).toMatchObject({
      ruleId: null, severity: 'warning', evidence: { scorecardId: 'inbound-support-en', questionId: 'greeting', windowEndMs: 15_000 },
    });
    expect(greeting!.message).toContain('Inbound customer support');
    expect(greeting!.message).toContain('Greeted the customer');
    expect(new Date(greeting!.raisedAt).getTime()).toBeLessThan(run.endedAt);
    expect(Number(greeting!.evidence.atMs)).toBeGreaterThanOrEqual(0);
    // At most once per question on the call.
    expect(alerts.filter((a) => a.evidence.questionId === 'greeting')).toHaveLength(1);
    console.log(`no greeting: ${alerts.map((a) => `${String(a.evidence.questionId)} (${a.severity})`).join(', ')}; greeting alert ${run.endedAt - run.greetingAt!} ms before the end`);
  }, 90_000);

  it('an agent who greets raises no greeting alert', async () => {
    const run = await stream('support-good.wav', 'agent-1001');
    expect(run.greetingAt).toBeUndefined();
    const alerts = (await alertsOf(run.callId)).filter((a) => a.kind === 'scorecard-check');
    expect(alerts.filter((a) => a.evidence.questionId === 'greeting')).toEqual([]);
    console.log(`good call: scorecard alerts ${alerts.map((a) => String(a.evidence.questionId)).join(', ') || 'none'}`);
  }, 90_000);
});
