import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTapKey } from '../services/auth/index.js';
import type { CallSession } from '../services/calls/index.js';
import { simulateCall, type SimulateCallOptions } from '../services/cli/sim/index.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const FILE = 'test/fixtures/calls/support-good.wav';
const ULAW = 'test/fixtures/calls/support-good.ulaw.wav';
const meta = { agentId: 'agent-1001', queue: 'support', direction: 'inbound' as const, customerNumber: '+15555550142', language: 'en-US' };

interface Seen { session?: CallSession; protocol: string; ended?: string; resumed: number }

describe.skipIf(!existsSync(FILE))('simulator against the real tap endpoints', () => {
  let server: TestServer;
  let apiKey: string;
  let signedKey: string;
  const secret = randomBytes(32).toString('base64');
  const calls = new Map<string, Seen>();

  beforeAll(async () => {
    server = await startTestServer({ tap: { interruptGraceMs: 300 } });
    apiKey = (await createTapKey(server.db, { name: 'sim' })).apiKey;
    signedKey = (await createTapKey(server.db, { name: 'sim-signed', protocols: ['audiohook'], clientSecret: secret })).apiKey;
    server.bus.subscribe((e) => {
      if (e.type === 'call.started') calls.set(e.callId, { session: server.registry.get(e.callId), protocol: e.protocol, resumed: 0 });
      if (e.type === 'call.ended') calls.get(e.callId)!.ended = e.status;
      if (e.type === 'call.interrupted') calls.get(e.callId)!.ended = 'interrupted';
      if (e.type === 'call.resumed') calls.get(e.callId)!.resumed += 1;
    });
  });
  afterAll(async () => { await server?.close(); });

  /** The server's record of the call the simulator streamed under `externalId`, once it has finished. */
  async function serverCall(externalId: string): Promise<Seen & { session: CallSession }> {
    for (let i = 0; i < 100; i++) {
      const seen = [...calls.values()].find((c) => c.session?.meta.externalId === externalId);
      if (seen?.ended) return seen as Seen & { session: CallSession };
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the server never finished call ${externalId}`);
  }

  const run = (o: Partial<SimulateCallOptions> & Pick<SimulateCallOptions, 'protocol'>) => simulateCall({
    url: server.wsUrl, file: FILE, maxDurationMs: 3000, speed: 0, metadata: meta, credentials: { apiKey }, ...o,
  });

  it.each([
    { name: 'native PCMU/8000', protocol: 'native' as const, codec: 'PCMU' as const },
    { name: 'native PCMA/8000', protocol: 'native' as const, codec: 'PCMA' as const },
    { name: 'native L16/16000', protocol: 'native' as const, codec: 'L16' as const, rate: 16000 as const },
    { name: 'native OPUS/48000', protocol: 'native' as const, codec: 'OPUS' as const },
    { name: 'Twilio both_tracks', protocol: 'twilio' as const },
  ])('streams 3 s over $name and the server ends the call cleanly', async ({ name: _name, ...o }) => {
    const s = await run(o);
    expect(s.outcome).toBe('completed');
    expect(s.serverErrors).toEqual([]);
    const seen = await serverCall(s.externalId);
    expect(seen.ended).toBe('ended');
    if (s.serverCallId) expect(s.serverCallId).toBe(seen.session.id);
    expect(seen.session.meta).toMatchObject({ protocol: o.protocol, agentExternalId: 'agent-1001', queue: 'support' });
    expect(seen.session.durationMs).toBeGreaterThanOrEqual(2980);
    expect(seen.session.stats.gapSamples).toBe(0);
  });

  it('streams over AudioHook with a signed upgrade', async () => {
    const s = await run({ protocol: 'audiohook', credentials: { apiKey: signedKey, clientSecret: secret } });
    expect(s).toMatchObject({ outcome: 'completed', serverErrors: [], framesSent: { agent: 150, customer: 150 } });
    const seen = await serverCall(s.externalId);
    expect(seen.ended).toBe('ended');
    expect(seen.session.meta).toMatchObject({ protocol: 'audiohook', agentExternalId: 'agent-1001', customerNumber: '+15555550142' });
  });

  it('streams the μ-law fixture in real time and keeps pace', async () => {
    const s = await run({ protocol: 'native', file: ULAW, maxDurationMs: 2000, speed: 1 });
    expect(s.outcome).toBe('completed');
    expect(s.sendLag.count).toBe(100);
    // Paced, not flooded: two seconds of audio take about two seconds. (Pacing precision is measured by the pacer's
    // own tests and bench:ingest; a loaded CI machine must not fail this test on scheduler jitter.)
    expect(s.wallMs).toBeGreaterThanOrEqual(1900);
    expect(s.sendLag.p95Ms).toBeLessThan(500);
    expect((await serverCall(s.externalId)).ended).toBe('ended');
  });

  it('resumes a dropped native call with the same callId; a drop without reconnect is interrupted', async () => {
    const resumed = await run({ protocol: 'native', speed: 4, faults: { dropAtMs: 1000, reconnectAfterMs: 100 } });
    expect(resumed).toMatchObject({ outcome: 'completed', reconnects: 1 });
    const a = await serverCall(resumed.externalId);
    expect(a).toMatchObject({ ended: 'ended', resumed: 1 });
    expect(a.session.stats.gapSamples).toBeGreaterThan(0); // the frames lost while disconnected

    const dropped = await run({ protocol: 'native', speed: 0, faults: { dropAtMs: 1000 } });
    expect(dropped.outcome).toBe('dropped');
    expect((await serverCall(dropped.externalId)).ended).toBe('interrupted');
  });

  it('reports the server refusing an unknown key', async () => {
    await expect(run({ protocol: 'native', credentials: { apiKey: 'tap_unknown' } })).rejects.toThrow(/401/);
    await expect(run({ protocol: 'audiohook', credentials: { apiKey: 'tap_unknown' } })).rejects.toThrow(/\(401\): unknown or revoked API key/);
  });

  it('receives whisper and barge audio the server injects into a native call', async () => {
    const off = server.bus.subscribe((e) => {
      if (e.type !== 'call.started') return;
      const session = server.registry.get(e.callId)!;
      const tone = new Int16Array(4000).map((_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
      session.inject('agent', tone);
      session.inject('both', tone.subarray(0, 1600));
    });
    const chunks: string[] = [];
    const s = await run({ protocol: 'native', speed: 1, maxDurationMs: 2000, onInjected: (c) => chunks.push(c.target) });
    off();
    expect(s.outcome).toBe('completed');
    expect(s.injected.agent.samples).toBeGreaterThanOrEqual(4000);
    expect(s.injected.both.samples).toBeGreaterThanOrEqual(1600);
    expect(s.injected.customer.samples).toBe(0);
    expect(new Set(chunks)).toEqual(new Set(['agent', 'both']));
  });

  it('streams over AudioHook with a drop and a reconnect under the same session id', async () => {
    const s = await run({ protocol: 'audiohook', speed: 4, credentials: { apiKey: signedKey, clientSecret: secret }, faults: { dropAtMs: 1000, reconnectAfterMs: 100 } });
    expect(s).toMatchObject({ outcome: 'completed', reconnects: 1, serverErrors: [] });
    const seen = await serverCall(s.externalId);
    expect(seen).toMatchObject({ ended: 'ended', resumed: 1 });
    expect(seen.session.durationMs).toBeGreaterThanOrEqual(2980); // the discarded stretch still counts on the timeline
  });
});

describe.skipIf(!existsSync(FILE))('simulator against a server that requires Twilio signatures', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer({ tap: { twilioAuthToken: 'twilio-auth-token' } }); });
  afterAll(async () => { await server?.close(); });

  it('signs the wss URL with the auth token; a wrong token gets the server\'s 401 message', async () => {
    const base = { protocol: 'twilio' as const, url: server.wsUrl, file: FILE, maxDurationMs: 1000, speed: 0 };
    const s = await simulateCall({ ...base, credentials: { twilioToken: 'twilio-auth-token' } });
    expect(s).toMatchObject({ outcome: 'completed', serverErrors: [] });
    await expect(simulateCall({ ...base, credentials: { twilioToken: 'wrong' } })).rejects.toThrow(/\(401\): invalid X-Twilio-Signature/);
  });
});
