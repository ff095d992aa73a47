import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMuLaw, encodeMuLaw } from '../services/audio/index.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import {
  captureCalls, connect, firstDiff, metricsText, metricValue, nativeCalls, nativeFrame, tapKey, testSignal, until,
} from './tap-helpers.js';

const frame = nativeFrame;

describe('tap robustness (native protocol, small limits)', () => {
  let server: TestServer;
  let key: string;
  let calls: ReturnType<typeof captureCalls>;
  let url: string;
  beforeAll(async () => {
    server = await startTestServer({ tap: { interruptGraceMs: 500, idleTimeoutMs: 1500, maxMessageBytes: 4096 } });
    key = (await tapKey(server, ['native'])).apiKey;
    calls = captureCalls(server);
    url = `${server.wsUrl}/tap/native`;
  });
  afterAll(async () => { await server?.close(); });

  const { open, stream, stop } = nativeCalls(() => url, () => key);

  it('keeps a dropped call live but disconnected, then marks it interrupted after the grace period', async () => {
    const { c } = await open('drop-1');
    const call = await calls.next();
    const pcm = encodeMuLaw(testSignal(1600, 1));
    stream(c, pcm, 0, 10);
    await until(() => call.session.stats.framesIn === 20, 5000, 'frames');
    c.ws.terminate();
    await until(() => !call.session.connected, 5000, 'disconnect');
    expect(call.session.status).toBe('live');
    expect(server.registry.get(call.session.id)).toBe(call.session);
    expect(await call.ended).toBe('interrupted');
    // Audio accepted before the drop is kept.
    expect(firstDiff(call.agent, decodeMuLaw(pcm))).toBe(-1);
  });

  it('resumes a dropped call within the grace period: same call id, timeline continues', async () => {
    const first = await open('resume-1');
    const call = await calls.next();
    const pcm = encodeMuLaw(testSignal(3200, 2));
    stream(first.c, pcm, 0, 10);
    await until(() => call.session.stats.framesIn === 20, 5000, 'frames');
    first.c.ws.terminate();
    await until(() => !call.session.connected, 5000, 'disconnect');
    // A resume must keep the call's rate.
    const wrong = await connect(url, { authorization: `Bearer ${key}` });
    wrong.sendJson({ type: 'start', callId: 'resume-1', direction: 'inbound', codec: 'L16', rate: 16000 });
    expect(await wrong.next()).toMatchObject({ type: 'error', code: 'unsupported_codec' });
    expect((await wrong.closed).code).toBe(1003);
    const again = await open('resume-1');
    expect(again.started).toMatchObject({ callId: first.started.callId, resumed: true });
    expect(call.session.connected).toBe(true);
    stream(again.c, pcm, 10, 10);
    expect(await stop(again.c)).toBe(1000);
    expect(await call.ended).toBe('ended');
    expect(firstDiff(call.agent, decodeMuLaw(pcm))).toBe(-1);
    expect(firstDiff(call.customer, decodeMuLaw(pcm))).toBe(-1);
  });

  it('closes a stalled connection with 4408 and lets the call wait for a resume', async () => {
    const { c } = await open('idle-1');
    const call = await calls.next();
    expect(await c.next((m) => m.type === 'error')).toMatchObject({ code: 'idle_timeout' });
    expect((await c.closed).code).toBe(4408);
    expect(await call.ended).toBe('interrupted');
  });

  it('closes with 1009 on an oversize message, counting it', async () => {
    const { c } = await open('big-1');
    const call = await calls.next();
    c.sendBinary(frame(0, 0, 0, new Uint8Array(5000)));
    expect((await c.closed).code).toBe(1009);
    expect(await call.ended).toBe('interrupted');
    expect(metricValue(await metricsText(server), 'callsight_tap_frames_dropped_total{protocol="native",reason="oversize"}')).toBe(1);
  });

});

describe('tap under a flood (default limits)', () => {
  let server: TestServer;
  let key: string;
  let calls: ReturnType<typeof captureCalls>;
  let url: string;
  beforeAll(async () => {
    server = await startTestServer();
    key = (await tapKey(server, ['native'])).apiKey;
    calls = captureCalls(server);
    url = `${server.wsUrl}/tap/native`;
  });
  afterAll(async () => { await server?.close(); });

  const { open, stream, stop } = nativeCalls(() => url, () => key);

  it('keeps other calls whole while one client floods and others misbehave', async () => {
    const good = await open('good-1');
    const goodCall = await calls.next();
    const flood = await open('flood-1');
    const floodCall = await calls.next();
    const pcm = encodeMuLaw(testSignal(160 * 3000, 3));
    // The flooder sends 60 s of audio at once and 100 000 pings without reading the replies.
    flood.c.ws.pause();
    stream(flood.c, pcm, 0, 3000);
    const ping = JSON.stringify({ type: 'ping' });
    for (let i = 0; i < 100_000; i++) flood.c.ws.send(ping);
    // Meanwhile bad clients come and go.
    for (const bad of [() => '{garbage', () => JSON.stringify({ type: 'start', callId: 'x', direction: 'inbound', codec: 'G722', rate: 16000 })]) {
      const b = await connect(url, { authorization: `Bearer ${key}` });
      b.ws.send(bad());
      expect([1002, 1003]).toContain((await b.closed).code);
    }
    const good2 = await connect(url, { authorization: `Bearer ${key}` });
    good2.sendBinary(frame(0, 0, 0, new Uint8Array(160)));
    expect((await good2.closed).code).toBe(1002);
    // The good call streams its audio and ends normally; the server stays responsive.
    const goodPcm = encodeMuLaw(testSignal(160 * 50, 4));
    stream(good.c, goodPcm, 0, 50);
    const t0 = Date.now();
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await stop(good.c)).toBe(1000);
    expect(await goodCall.ended).toBe('ended');
    expect(firstDiff(goodCall.agent, decodeMuLaw(goodPcm))).toBe(-1);
    // The flooder loses nothing: every frame reaches its call and every ping is answered once it reads again.
    flood.c.ws.resume();
    await until(() => flood.c.texts.filter((m) => m.type === 'pong').length === 100_000, 20_000, 'pongs');
    expect(await stop(flood.c)).toBe(1000);
    expect(await floodCall.ended).toBe('ended');
    expect(floodCall.session.stats.framesIn).toBe(6000);
    expect(firstDiff(floodCall.customer, decodeMuLaw(pcm))).toBe(-1);
  }, 60_000);

  it('drops injected audio instead of buffering without bound when the adapter stops reading', async () => {
    const { c } = await open('slow-reader-1');
    const call = await calls.next();
    c.ws.pause();
    const minute = testSignal(8000 * 60, 5);
    for (let i = 0; i < 40; i++) call.session.inject('agent', minute);
    const text = await metricsText(server);
    expect(metricValue(text, 'callsight_tap_frames_dropped_total{protocol="native",reason="backpressure"}')).toBeGreaterThan(0);
    c.ws.resume();
    c.sendJson({ type: 'ping' });
    await c.next((m) => m.type === 'pong', 20_000);
    expect(await stop(c)).toBe(1000);
  }, 60_000);
});

describe('tap shutdown', () => {
  it('closes tap connections with 1001 and marks their calls interrupted', async () => {
    const server = await startTestServer();
    const calls = captureCalls(server);
    const { apiKey } = await tapKey(server, ['native']);
    const c = await connect(`${server.wsUrl}/tap/native`, { authorization: `Bearer ${apiKey}` });
    c.sendJson({ type: 'start', callId: 'shutdown-1', direction: 'outbound', codec: 'PCMU', rate: 8000 });
    await c.next((m) => m.type === 'started');
    const call = await calls.next();
    await server.close();
    expect(await c.next((m) => m.type === 'error')).toMatchObject({ code: 'shutting_down' });
    expect((await c.closed).code).toBe(1001);
    expect(await call.ended).toBe('interrupted');
  });
});
