import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { toneDb } from '../services/audio/index.js';
import { createTapKey } from '../services/auth/index.js';
import type { TapProtocol } from '../services/calls/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import type { ConversationMetrics, TranscriptSegment } from '../services/speech/index.js';
import { createTranscriptRepo } from '../services/store/index.js';
import { login, type ApiSession } from './helpers/api-session.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import {
  connectSupervisor, decodeFrames, injectedPcm, opusTone, startToneCall, talk, type ListenFrame, type Msg, type SupervisorClient,
} from './live-helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitUntil(ok: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const t0 = performance.now(); !ok(); await sleep(10)) if (performance.now() - t0 > timeoutMs) throw new Error('condition not met in time');
}
const AGENT_HZ = 600;
const CUSTOMER_HZ = 1500;
const WHISPER_HZ = 1000;

/**
 * Sequence numbers that only go up, timestamps 20 ms per seq, as a jitter buffer expects; gaps are frames dropped for
 * a listener that fell behind, which a CPU-starved test machine can cause: at most `maxGaps` are tolerated.
 */
function expectSequenced(frames: readonly ListenFrame[], maxGaps = 2): void {
  let gaps = 0;
  for (let i = 1; i < frames.length; i++) {
    expect(frames[i].seq).toBeGreaterThan(frames[i - 1].seq);
    expect(frames[i].timestampMs).toBe(frames[i].seq * 20);
    if (frames[i].seq !== frames[i - 1].seq + 1) gaps++;
  }
  expect(gaps).toBeLessThanOrEqual(maxGaps);
}

describe('supervisor WebSocket: live feed, listen, whisper, barge', () => {
  let server: TestServer;
  let apiKey: string;
  let supervisor: ApiSession;
  let admin: ApiSession;
  let agent: ApiSession;
  const clients: SupervisorClient[] = [];
  const calls: { stop(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    server = await startTestServer({ live: { listenerMaxLagMs: 500 } });
    await seedDemo(server.db);
    apiKey = (await createTapKey(server.db, { name: 'live-test' })).apiKey;
    [supervisor, admin, agent] = await Promise.all([
      login(server.url, 'supervisor', 'supervisor-demo'), login(server.url, 'admin', 'admin-demo'), login(server.url, 'agent', 'agent-demo'),
    ]);
  });
  afterAll(async () => {
    await Promise.allSettled(calls.map((c) => c.stop()));
    await Promise.allSettled(clients.map((c) => c.close()));
    await server?.close();
  });

  async function connect(as: ApiSession): Promise<SupervisorClient> {
    const c = await connectSupervisor(server.wsUrl, as.cookie);
    clients.push(c);
    await c.waitFor((m) => m.type === 'calls');
    return c;
  }

  function call(agentId: string, protocol: TapProtocol = 'native') {
    const c = startToneCall({
      url: server.wsUrl, protocol, credentials: { apiKey }, agentId, agentHz: AGENT_HZ, customerHz: CUSTOMER_HZ,
      lookup: (ext) => server.registry.live().find((s) => s.meta.externalId === ext)?.id,
    });
    calls.push(c);
    return c;
  }

  async function auditFor(callId: string, count: number): Promise<{ action: string; actorUsername: string; details: Record<string, unknown> }[]> {
    for (let i = 0; i < 100; i++) {
      const res = await admin.get(`/api/admin/audit?targetType=call&targetId=${callId}&limit=100`);
      const page = await res.json() as { items: { action: string; actorUsername: string; details: Record<string, unknown> }[] };
      if (page.items.length >= count) return page.items.reverse();
      await sleep(50);
    }
    throw new Error(`fewer than ${count} audit entries for call ${callId}`);
  }

  it('refuses the upgrade without a session (401), to agents and from a foreign Origin (403)', async () => {
    await expect(connectSupervisor(server.wsUrl)).rejects.toThrow('HTTP 401');
    await expect(connectSupervisor(server.wsUrl, 'cs_session=forged')).rejects.toThrow('HTTP 401');
    await expect(connectSupervisor(server.wsUrl, agent.cookie)).rejects.toThrow('HTTP 403');
    await expect(connectSupervisor(server.wsUrl, supervisor.cookie, { origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    const ok = await connectSupervisor(server.wsUrl, supervisor.cookie, { origin: server.url });
    const hello = await ok.waitFor((m) => m.type === 'hello');
    expect(hello).toMatchObject({ protocol: 1, user: { username: 'supervisor', role: 'supervisor' }, audio: { codec: 'opus', frameMs: 20, headerBytes: 12 } });
    await ok.close();
  });

  it('pushes the live call list in scope, sentiment changes, and a late subscriber\'s history then live events', async () => {
    const sup = await connect(supervisor);
    const adm = await connect(admin);
    const own = call('agent-1001');
    const other = call('agent-2001');
    const [ownId, otherId] = await Promise.all([own.callId, other.callId]);

    const added = await sup.waitFor((m) => m.type === 'call.added' && (m.call as { callId: string }).callId === ownId);
    expect(added.call).toMatchObject({
      callId: ownId, agent: { externalId: 'agent-1001', displayName: 'Alex Agent' }, team: { name: 'Support A' }, queue: 'support',
      direction: 'inbound', protocol: 'native', customerSentiment: null, openAlerts: 0, refusals: {},
      capabilities: { listen: true, whisper: true, barge: true },
    });
    await adm.waitFor((m) => m.type === 'call.added' && (m.call as { callId: string }).callId === otherId);
    await adm.waitFor((m) => m.type === 'call.updated' && (m.call as { callId: string; team: unknown }).callId === otherId && !!(m.call as { team: unknown }).team);
    // Another team's call: not listed, not subscribable, not monitorable — indistinguishable from no call at all.
    expect(sup.messages.some((m) => JSON.stringify(m).includes(otherId))).toBe(false);
    expect(await sup.request({ type: 'subscribe', callId: otherId })).toMatchObject({ type: 'error', code: 'not_found' });
    expect(await sup.request({ type: 'monitor.start', callId: otherId, mode: 'listen' })).toMatchObject({ type: 'error', code: 'not_found' });
    expect(sup.frames).toHaveLength(0);

    // What happened before the subscription: one stored segment, one final only on the bus, metrics only in memory.
    const segment = (utteranceId: string, speaker: 'agent' | 'customer', text: string, startMs: number): TranscriptSegment => ({
      callId: ownId, utteranceId, speaker, text, startMs, endMs: startMs + 900, words: [], final: true, engine: 'test', language: 'en-US',
    });
    await createTranscriptRepo(server.db).saveSegment(segment('u0', 'agent', 'thank you for calling', 0));
    server.bus.publish({ type: 'transcript.final', callId: ownId, segment: segment('u1', 'customer', 'i want to cancel', 1000) });
    server.bus.publish({
      type: 'sentiment.scored', callId: ownId, utteranceId: 'u1', speaker: 'customer', startMs: 1000, endMs: 1900,
      sentiment: { score: -0.6, label: 'negative', engine: 'test' },
    });
    const metrics = { horizonMs: 2000, firstSpeechMs: 0, overtalkMs: 0 } as unknown as ConversationMetrics;
    server.bus.publish({ type: 'metrics.updated', callId: ownId, metrics, final: false });
    const updated = await sup.waitFor((m) => m.type === 'call.updated' && (m.call as { customerSentiment: unknown }).customerSentiment !== null);
    expect(updated.call).toMatchObject({ callId: ownId, customerSentiment: { score: -0.6, label: 'negative' } });

    const subscribed = await sup.request({ type: 'subscribe', callId: ownId });
    expect(subscribed).toMatchObject({
      type: 'subscribed', callId: ownId, call: { callId: ownId }, metrics,
      transcript: [
        { utteranceId: 'u0', speaker: 'agent', text: 'thank you for calling', sentiment: null },
        { utteranceId: 'u1', speaker: 'customer', text: 'i want to cancel', sentiment: { score: -0.6, label: 'negative' } },
      ],
    });
    server.bus.publish({ type: 'transcript.partial', callId: ownId, segment: { ...segment('u2', 'agent', 'let me', 2000), final: false } });
    const partial = await sup.waitFor((m) => m.type === 'transcript.partial');
    expect(partial).toMatchObject({ callId: ownId, segment: { utteranceId: 'u2', text: 'let me' } });
    expect(adm.messages.some((m) => m.type === 'transcript.partial')).toBe(false); // not subscribed

    await own.stop();
    expect(await sup.waitFor((m) => m.type === 'unsubscribed')).toMatchObject({ callId: ownId, reason: 'call-ended' });
    expect(await sup.waitFor((m) => m.type === 'call.removed')).toMatchObject({ callId: ownId, status: 'ended' });
    await other.stop();
    await adm.waitFor((m) => m.type === 'call.removed' && m.callId === otherId);
  });

  it('listen: Opus frames of both parties mixed, or each party apart, with seq and timestamps', async () => {
    const c = call('agent-1002');
    const id = await c.callId;
    const sup = await connect(supervisor);
    const started = await sup.request({ type: 'monitor.start', callId: id, mode: 'listen', streams: ['mixed'] });
    expect(started).toMatchObject({
      type: 'monitor.started', callId: id, mode: 'listen', capabilities: { whisper: true, barge: true },
      streams: [{ stream: 'mixed', id: 0, codec: 'opus', rate: 8000, channels: 1, frameMs: 20 }],
    });
    await waitUntil(() => sup.frames.length > 0); // the first listener of a server starts its encoder thread
    await expect.poll(() => sup.frames.filter((f) => f.stream === 0).length, { timeout: 10_000 }).toBeGreaterThan(40);
    const mixed = sup.frames.filter((f) => f.stream === 0);
    expectSequenced(mixed);
    const mixedPcm = decodeFrames(mixed.slice(5));
    expect(toneDb(mixedPcm, 8000, AGENT_HZ)).toBeGreaterThan(-30);
    expect(toneDb(mixedPcm, 8000, CUSTOMER_HZ)).toBeGreaterThan(-30);

    const switched = await sup.request({ type: 'monitor.update', streams: ['agent', 'customer'] });
    expect(switched).toMatchObject({ type: 'monitor.updated', mode: 'listen', streams: [{ stream: 'agent', id: 1 }, { stream: 'customer', id: 2 }] });
    const from = sup.frames.length;
    await sleep(1200);
    const later = sup.frames.slice(from);
    expect(later.filter((f) => f.stream === 0)).toHaveLength(0);
    const agentFrames = later.filter((f) => f.stream === 1);
    const customerFrames = later.filter((f) => f.stream === 2);
    expect(agentFrames.length).toBeGreaterThan(40);
    expectSequenced(agentFrames);
    // The same 20 ms on both legs: frames of both streams carry the same seq numbers.
    const customerSeqs = new Set(customerFrames.map((f) => f.seq));
    expect(agentFrames.filter((f) => customerSeqs.has(f.seq)).length).toBeGreaterThanOrEqual(agentFrames.length - 2);
    const agentPcm = decodeFrames(agentFrames.slice(5));
    const customerPcm = decodeFrames(customerFrames.slice(5));
    expect(toneDb(agentPcm, 8000, AGENT_HZ)).toBeGreaterThan(-30);
    expect(toneDb(agentPcm, 8000, CUSTOMER_HZ)).toBeLessThan(-50);
    expect(toneDb(customerPcm, 8000, CUSTOMER_HZ)).toBeGreaterThan(-30);
    expect(toneDb(customerPcm, 8000, AGENT_HZ)).toBeLessThan(-50);

    expect(await sup.request({ type: 'monitor.stop' })).toMatchObject({ type: 'monitor.stopped', callId: id, reason: 'requested' });
    await sleep(100);
    const after = sup.frames.length;
    await sleep(300);
    expect(sup.frames.length).toBe(after);
    await c.stop();
  });

  it('whisper reaches only the agent, barge both; modes switch on one socket; one talker per call; all audited', async () => {
    const c = call('agent-1001');
    const id = await c.callId;
    const sup = await connect(supervisor);
    const adm = await connect(admin);
    expect(await sup.request({ type: 'monitor.start', callId: id, mode: 'listen' })).toMatchObject({ type: 'monitor.started' });

    expect(await sup.request({ type: 'monitor.update', mode: 'whisper' })).toMatchObject({ type: 'monitor.updated', mode: 'whisper' });
    const whisperFrom = performance.now();
    // While the supervisor whispers, nobody else may talk into the call.
    const refused = await adm.request({ type: 'monitor.start', callId: id, mode: 'barge' });
    expect(refused).toMatchObject({ type: 'monitor.refused', mode: 'barge' });
    expect(refused.reason).toMatch(/supervisor is already whispering/);
    expect(adm.frames).toHaveLength(0);
    expect(await talk(sup, opusTone(WHISPER_HZ, 50))).toBe(50);
    await sleep(300);
    const whispered = injectedPcm(c, 'agent', whisperFrom);
    expect(whispered.length).toBeGreaterThanOrEqual(0.9 * 8000);
    expect(toneDb(whispered.subarray(800), 8000, WHISPER_HZ)).toBeGreaterThan(-30);
    expect(injectedPcm(c, 'customer')).toHaveLength(0);
    expect(injectedPcm(c, 'both')).toHaveLength(0);

    expect(await sup.request({ type: 'monitor.update', mode: 'barge' })).toMatchObject({ type: 'monitor.updated', mode: 'barge' });
    const bargeFrom = performance.now();
    await talk(sup, opusTone(WHISPER_HZ, 50));
    await sleep(300);
    const barged = injectedPcm(c, 'both', bargeFrom);
    expect(barged.length).toBeGreaterThanOrEqual(0.9 * 8000);
    expect(toneDb(barged.subarray(800), 8000, WHISPER_HZ)).toBeGreaterThan(-30);
    expect(injectedPcm(c, 'agent', bargeFrom)).toHaveLength(0);
    expect(injectedPcm(c, 'customer')).toHaveLength(0);

    expect(await sup.request({ type: 'monitor.update', mode: 'listen' })).toMatchObject({ type: 'monitor.updated', mode: 'listen' });
    const listenFrom = performance.now();
    await talk(sup, opusTone(WHISPER_HZ, 10));
    await sleep(300);
    expect(c.injected.filter((x) => x.at >= listenFrom)).toHaveLength(0);
    // Listening went on through every switch.
    expect(sup.frames.filter((f) => f.at >= whisperFrom).length).toBeGreaterThan(100);

    expect(await sup.request({ type: 'monitor.stop' })).toMatchObject({ type: 'monitor.stopped', reason: 'requested' });
    const entries = await auditFor(id, 6);
    expect(entries.map((e) => e.action)).toEqual([
      'monitor.listen_started', 'monitor.whisper_started', 'monitor.whisper_stopped', 'monitor.barge_started', 'monitor.barge_stopped',
      'monitor.listen_stopped',
    ]);
    expect(entries.every((e) => e.actorUsername === 'supervisor')).toBe(true);
    expect(entries[0].details).toEqual({ streams: ['mixed'] });
    expect(entries[2].details).toMatchObject({ reason: 'requested' });
    expect(entries[2].details.durationMs).toBeGreaterThan(900);
    expect(entries[5].details.durationMs).toBeGreaterThan(entries[2].details.durationMs as number);
    await c.stop();
  });

  it.each(['audiohook', 'twilio'] as const)('refuses whisper and barge on a %s call with the capability reason; listen still works', async (protocol) => {
    const c = call('agent-1001', protocol);
    const id = await c.callId;
    const sup = await connect(supervisor);
    // In the list the client got on connecting, or added since.
    const isIt = (x: unknown) => (x as { callId: string; team: unknown }).callId === id && (x as { team: unknown }).team !== null;
    const listed = await sup.waitFor((m) => ((m.type === 'call.added' || m.type === 'call.updated') && isIt(m.call))
      || (m.type === 'calls' && (m.calls as unknown[]).some(isIt)));
    expect(listed.type === 'calls' ? (listed.calls as unknown[]).find(isIt) : listed.call).toMatchObject({
      protocol, capabilities: { listen: true, whisper: false, barge: false },
      refusals: { whisper: expect.stringMatching(/no whisper/), barge: expect.stringMatching(/no barge/) },
    });
    const refused = await sup.request({ type: 'monitor.start', callId: id, mode: 'whisper' });
    expect(refused).toMatchObject({ type: 'monitor.refused', callId: id, mode: 'whisper', capabilities: { listen: true, whisper: false, barge: false } });
    expect(refused.reason).toBe('this call\'s tap cannot send audio to the agent only (no whisper)');

    expect(await sup.request({ type: 'monitor.start', callId: id, mode: 'listen' })).toMatchObject({ type: 'monitor.started', mode: 'listen' });
    const barge = await sup.request({ type: 'monitor.update', mode: 'barge' });
    expect(barge).toMatchObject({ type: 'monitor.refused', mode: 'barge', reason: 'this call\'s tap cannot send audio to both parties (no barge)' });
    const from = sup.frames.length;
    await expect.poll(() => sup.frames.length - from, { timeout: 10_000 }).toBeGreaterThan(20);
    const frames = sup.frames.slice(from);
    expect(toneDb(decodeFrames(frames.slice(2)), 8000, AGENT_HZ)).toBeGreaterThan(-30);
    await c.stop();
    expect(await sup.waitFor((m) => m.type === 'monitor.stopped')).toMatchObject({ callId: id, reason: 'call-ended' });
  });

  it('listens and whispers on a 48 kHz Opus call (frames encoded at the call\'s rate, supervisor audio decoded to it)', async () => {
    const c = startToneCall({
      url: server.wsUrl, protocol: 'native', credentials: { apiKey }, agentId: 'agent-1002', rate: 48000, agentHz: AGENT_HZ, customerHz: CUSTOMER_HZ,
      lookup: (ext) => server.registry.live().find((s) => s.meta.externalId === ext)?.id,
    });
    calls.push(c);
    const id = await c.callId;
    const sup = await connect(supervisor);
    const started = await sup.request({ type: 'monitor.start', callId: id, mode: 'listen', streams: ['customer'] });
    expect(started).toMatchObject({ type: 'monitor.started', streams: [{ stream: 'customer', id: 2, rate: 48000 }] });
    // Talking right after asking to whisper, without waiting for the reply: the frames wait for the switch.
    sup.send({ type: 'monitor.update', mode: 'whisper' });
    const from = performance.now();
    await talk(sup, opusTone(WHISPER_HZ, 40));
    await sleep(300);
    const heard = sup.frames.filter((f) => f.stream === 2);
    expectSequenced(heard);
    const pcm = decodeFrames(heard.slice(3), 48000);
    expect(toneDb(pcm, 48000, CUSTOMER_HZ)).toBeGreaterThan(-30);
    expect(toneDb(pcm, 48000, AGENT_HZ)).toBeLessThan(-50);
    const whispered = injectedPcm(c, 'agent', from);
    expect(whispered.length).toBe(40 * 960); // every frame, none lost to the mode switch
    expect(toneDb(whispered.subarray(4800), 48000, WHISPER_HZ)).toBeGreaterThan(-30);
    await c.stop();
  });

  it('stops injecting the moment a whispering supervisor disconnects', async () => {
    const c = call('agent-1002');
    const id = await c.callId;
    const sup = await connect(supervisor);
    expect(await sup.request({ type: 'monitor.start', callId: id, mode: 'whisper' })).toMatchObject({ type: 'monitor.started', mode: 'whisper' });
    const talking = talk(sup, opusTone(WHISPER_HZ, 150));
    await sleep(600);
    sup.ws.terminate(); // no closing handshake: the network went away
    const goneAt = performance.now();
    await talking;
    await sleep(500);
    expect(injectedPcm(c, 'agent').length).toBeGreaterThan(0.3 * 8000);
    // Frames already on the wire may land within a few ms; nothing is injected afterwards.
    expect(c.injected.filter((x) => x.at > goneAt + 50)).toHaveLength(0);
    const entries = await auditFor(id, 4);
    expect(entries.find((e) => e.action === 'monitor.whisper_stopped')?.details).toMatchObject({ reason: 'disconnected' });
    // The floor is free again.
    const adm = await connect(admin);
    expect(await adm.request({ type: 'monitor.start', callId: id, mode: 'barge' })).toMatchObject({ type: 'monitor.started', mode: 'barge' });
    await c.stop();
  });

  it('a call ending closes its monitors with a message, and the stop is audited', async () => {
    const c = call('agent-1001');
    const id = await c.callId;
    const sup = await connect(supervisor);
    expect(await sup.request({ type: 'monitor.start', callId: id, mode: 'whisper', streams: ['agent'] })).toMatchObject({ type: 'monitor.started' });
    await sleep(300);
    await c.stop();
    expect(await sup.waitFor((m) => m.type === 'monitor.stopped')).toMatchObject({ callId: id, reason: 'call-ended' });
    const entries = await auditFor(id, 4);
    expect(entries.filter((e) => e.action.endsWith('_stopped')).map((e) => [e.action, e.details.reason])).toEqual([
      ['monitor.whisper_stopped', 'call-ended'], ['monitor.listen_stopped', 'call-ended'],
    ]);
    expect(await sup.request({ type: 'monitor.update', mode: 'listen' })).toMatchObject({ type: 'error', code: 'no_monitor' });
  });

  it('a stalled listener neither delays a healthy one nor the call; its dropped frames are counted', async () => {
    const c = call('agent-1001');
    const id = await c.callId;
    const healthy = await connect(supervisor);
    const stalled = await connect(admin);
    for (const s of [healthy, stalled]) expect(await s.request({ type: 'monitor.start', callId: id, mode: 'listen' })).toMatchObject({ type: 'monitor.started' });
    await sleep(400);
    const socket = (stalled.ws as WebSocket & { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause(); // the client stops reading
    const stalledAt = performance.now();
    const stalledBefore = stalled.frames.length;
    await sleep(3000);
    const during = healthy.frames.filter((f) => f.at >= stalledAt);
    expect(during.length).toBeGreaterThanOrEqual(135); // 3 s of 20 ms frames, on time
    expectSequenced(healthy.frames, 1);
    expect(stalled.frames.length).toBe(stalledBefore);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const dropped = Number(/^callsight_live_listen_frames_dropped_total\{reason="slow_listener"\} (\d+)/m.exec(metrics)?.[1] ?? 0);
    expect(dropped).toBeGreaterThan(25);
    expect(server.registry.get(id)?.stats.gapSamples).toBe(0);

    socket.resume();
    await sleep(800); // the held-back frames, then live ones: time to catch up
    await expect.poll(() => stalled.frames.length - stalledBefore, { timeout: 10_000 }).toBeGreaterThan(10);
    const resumed = stalled.frames.slice(stalledBefore);
    // It hears what was held back (at most the queue), then live audio: the gap in seq is what was dropped.
    expect(resumed.length).toBeGreaterThan(10);
    const gaps = resumed.slice(1).filter((f, i) => f.seq !== resumed[i].seq + 1);
    expect(gaps.length).toBeGreaterThanOrEqual(1);
    expect(resumed.at(-1)!.seq).toBeGreaterThanOrEqual(healthy.frames.at(-1)!.seq - 5);
    await c.stop();
  });

  it('answers malformed requests with an error that names the problem', async () => {
    const sup = await connect(supervisor);
    sup.send({ type: 'monitor.start', callId: 'x', mode: 'shout', id: 'q1' });
    expect(await sup.waitFor((m) => m.id === 'q1')).toMatchObject({ type: 'error', code: 'bad_message', message: expect.stringMatching(/^mode:/) });
    sup.ws.send('not json');
    expect(await sup.waitFor((m) => m.type === 'error' && m.message === 'message is not JSON')).toBeTruthy();
    sup.ws.send(Buffer.from([1, 2, 3]));
    expect(await sup.waitFor((m: Msg) => m.type === 'error' && m.code === 'bad_frame')).toBeTruthy();
    expect(await sup.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
  });
});
