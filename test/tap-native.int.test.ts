import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOpusDecoder, createOpusEncoder, decodeALaw, decodeMuLaw, encodeALaw, encodeL16, encodeMuLaw, sine,
} from '../services/audio/index.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import {
  captureCalls, concatPcm, connect, firstDiff, metricsText, metricValue, refusedStatus, tapKey, testSignal,
  type TestClient,
} from './tap-helpers.js';

const header = (channel: number, seq: number, ts: number, payload: Uint8Array) => {
  const b = Buffer.alloc(12 + payload.length);
  b.writeUInt8(1, 0); b.writeUInt8(channel, 1); b.writeUInt32BE(seq, 4); b.writeUInt32BE(ts, 8);
  b.set(payload, 12);
  return b;
};
const start = (callId: string, over: Record<string, unknown> = {}) => ({
  type: 'start', version: 1, callId, direction: 'inbound', codec: 'PCMU', rate: 8000,
  agentId: 'agent-017', queue: 'support', customerNumber: '+442071838750', language: 'en-US', metadata: { trunk: 'sip-1' }, ...over,
});

describe('native tap', () => {
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

  const open = async (callId: string, over: Record<string, unknown> = {}) => {
    const c = await connect(url, { authorization: `Bearer ${key}` });
    c.sendJson(start(callId, over));
    const started = await c.next<{ type: string; callId: string; resumed: boolean; capabilities: Record<string, boolean> }>();
    return { c, started };
  };
  const stop = async (c: TestClient) => {
    c.sendJson({ type: 'stop', reason: 'hangup' });
    expect(await c.next()).toEqual({ type: 'stopped' });
    expect((await c.closed).code).toBe(1000);
  };

  it('carries PCMU end to end: frames on both channels, placed by timestamp, gaps as silence', async () => {
    const { c, started } = await open('pbx-pcmu');
    expect(started).toMatchObject({ type: 'started', resumed: false, capabilities: { listen: true, whisper: true, barge: true, playToCustomer: true } });
    const call = await calls.next();
    expect(call.session.id).toBe(started.callId);
    expect(call.session.meta).toMatchObject({ protocol: 'native', externalId: 'pbx-pcmu', agentExternalId: 'agent-017', queue: 'support', language: 'en-US', extra: { trunk: 'sip-1' } });
    const agent = testSignal(160 * 10, 1);
    const customer = testSignal(160 * 10, 2);
    const ag = encodeMuLaw(agent);
    const cu = encodeMuLaw(customer);
    for (let k = 0; k < 10; k++) {
      // customer frame 4 is lost (seq and timestamp skip ahead)
      if (k !== 4) c.sendBinary(header(1, k, k * 20, cu.subarray(k * 160, (k + 1) * 160)));
      c.sendBinary(header(0, k, k * 20, ag.subarray(k * 160, (k + 1) * 160)));
    }
    c.sendJson({ type: 'ping' });
    expect(await c.next()).toEqual({ type: 'pong' });
    c.sendJson({ type: 'dtmf', digit: '5', channel: 'customer' });
    await stop(c);
    expect(await call.ended).toBe('ended');
    const expCustomer = decodeMuLaw(cu);
    expCustomer.fill(0, 4 * 160, 5 * 160);
    expect(firstDiff(call.agent, decodeMuLaw(ag))).toBe(-1);
    expect(firstDiff(call.customer, expCustomer)).toBe(-1);
    const text = await metricsText(server);
    expect(metricValue(text, 'callsight_tap_frames_total{protocol="native"}')).toBeGreaterThanOrEqual(19);
    expect(metricValue(text, 'callsight_tap_frames_dropped_total{protocol="native",reason="lost"}')).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, 'callsight_tap_frame_handling_seconds_count')).toBeGreaterThanOrEqual(19);
    expect(metricValue(text, 'callsight_tap_connections_total{protocol="native",result="accepted"}')).toBeGreaterThanOrEqual(1);
  });

  it('decodes PCMA, L16 at 16 kHz (via ?key=) and Opus at 48 kHz', async () => {
    // PCMA
    {
      const { c } = await open('pbx-pcma', { codec: 'PCMA' });
      const call = await calls.next();
      const pcm = testSignal(800, 3);
      const enc = encodeALaw(pcm);
      c.sendBinary(header(0, 0, 0, enc));
      c.sendBinary(header(1, 0, 0, enc));
      await stop(c);
      await call.ended;
      expect(firstDiff(call.agent, decodeALaw(enc))).toBe(-1);
      expect(firstDiff(call.customer, decodeALaw(enc))).toBe(-1);
    }
    // L16 16 kHz, key in the query string; frames of 10.5 ms whose ms timestamps are rounded continue seamlessly
    {
      const c = await connect(`${url}?key=${encodeURIComponent(key)}`);
      c.sendJson(start('pbx-l16', { codec: 'L16', rate: 16000 }));
      await c.next();
      const call = await calls.next();
      expect(call.session.rate).toBe(16000);
      const pcm = testSignal(168 * 6, 4);
      for (let k = 0; k < 6; k++) {
        const part = encodeL16(pcm.subarray(k * 168, (k + 1) * 168), 'le');
        c.sendBinary(header(0, k, Math.round(k * 10.5), part));
        c.sendBinary(header(1, k, Math.round(k * 10.5), part));
      }
      await stop(c);
      await call.ended;
      expect(firstDiff(call.agent, pcm)).toBe(-1);
      expect(firstDiff(call.customer, pcm)).toBe(-1);
    }
    // Opus: exactly what a decoder makes of the packets, and close to the original
    {
      const { c } = await open('pbx-opus', { codec: 'OPUS', rate: 48000 });
      const call = await calls.next();
      const pcm = sine(48000, 440, 960 * 25, 8000);
      const enc = createOpusEncoder(48000, 1);
      const dec = createOpusDecoder(48000, 1);
      const expected: Int16Array[] = [];
      for (let k = 0; k < 25; k++) {
        const packet = enc.encode(pcm.subarray(k * 960, (k + 1) * 960));
        expected.push(dec.decode(packet));
        c.sendBinary(header(0, k, k * 20, packet));
        c.sendBinary(header(1, k, k * 20, packet));
      }
      await stop(c);
      await call.ended;
      const exp = concatPcm(...expected);
      expect(firstDiff(call.agent, exp)).toBe(-1);
      expect(firstDiff(call.customer, exp)).toBe(-1);
      // Within codec tolerance of the original once the encoder has settled (lookahead shifts the signal slightly).
      let err = 0;
      let sig = 0;
      const delay = bestDelay(pcm, call.agent);
      for (let i = 9600; i < 22000; i++) { err += (call.agent[i + delay] - pcm[i]) ** 2; sig += pcm[i] ** 2; }
      expect(10 * Math.log10(sig / err)).toBeGreaterThan(10);
    }
  });

  it('refuses unsupported codecs with 1003 and bad credentials with HTTP 401', async () => {
    for (const [codec, rate] of [['G729', 8000], ['L16', 48000], ['OPUS', 16000]] as const) {
      const c = await connect(url, { authorization: `Bearer ${key}` });
      c.sendJson(start(`pbx-bad-${codec}`, { codec, rate }));
      expect(await c.next()).toMatchObject({ type: 'error', code: 'unsupported_codec' });
      expect((await c.closed).code).toBe(1003);
    }
    expect(await refusedStatus(url)).toBe(401);
    expect(await refusedStatus(url, { authorization: 'Bearer nope' })).toBe(401);
    const other = await tapKey(server, ['twilio']);
    expect(await refusedStatus(url, { authorization: `Bearer ${other.apiKey}` })).toBe(401);
  });

  it('closes with 1002 on bad input before start and drops bad input after it', async () => {
    const cases: [string, (c: TestClient) => void, string][] = [
      ['malformed JSON', (c) => c.ws.send('{nope'), 'bad_json'],
      ['audio before start', (c) => c.sendBinary(header(0, 0, 0, new Uint8Array(160))), 'bad_frame'],
      ['stop before start', (c) => c.sendJson({ type: 'stop' }), 'bad_message'],
      ['missing callId', (c) => c.sendJson({ type: 'start', direction: 'inbound', codec: 'PCMU', rate: 8000 }), 'bad_message'],
    ];
    for (const [, send, code] of cases) {
      const c = await connect(url, { authorization: `Bearer ${key}` });
      send(c);
      expect(await c.next()).toMatchObject({ type: 'error', code });
      expect((await c.closed).code).toBe(1002);
    }
    expect(server.registry.live().filter((s) => s.meta.externalId.startsWith('pbx-bad'))).toHaveLength(0);

    const { c } = await open('pbx-garbage');
    const call = await calls.next();
    const pcm = testSignal(160, 5);
    c.ws.send('not json');
    expect(await c.next()).toMatchObject({ type: 'error', code: 'bad_json' });
    c.sendJson({ type: 'hello' });
    expect(await c.next()).toMatchObject({ type: 'error', code: 'unknown_type' });
    c.sendBinary(Buffer.from([1, 0, 0]));
    expect(await c.next()).toMatchObject({ type: 'error', code: 'bad_frame' });
    c.sendBinary(header(7, 0, 0, encodeMuLaw(pcm)));
    expect(await c.next()).toMatchObject({ type: 'error', code: 'bad_frame' });
    c.sendBinary(header(0, 0, 10_000_000, encodeMuLaw(pcm)));
    expect(await c.next()).toMatchObject({ type: 'error', code: 'bad_frame' });
    c.sendJson({ type: 'dtmf', digit: 'x' });
    expect(await c.next()).toMatchObject({ type: 'error', code: 'bad_message' });
    c.sendBinary(header(0, 0, 0, encodeMuLaw(pcm)));
    c.sendBinary(header(1, 0, 0, encodeMuLaw(pcm)));
    await stop(c);
    await call.ended;
    expect(firstDiff(call.agent, decodeMuLaw(encodeMuLaw(pcm)))).toBe(-1);
  });

  it('rejects odd-length L16 payloads and undecodable Opus packets as bad frames', async () => {
    const { c } = await open('pbx-l16-odd', { codec: 'L16', rate: 8000 });
    await calls.next();
    c.sendBinary(header(0, 0, 0, new Uint8Array(161)));
    expect(await c.next()).toMatchObject({ type: 'error', code: 'bad_frame' });
    await stop(c);
    const o = await open('pbx-opus-bad', { codec: 'OPUS', rate: 48000 });
    await calls.next();
    o.c.sendBinary(header(0, 0, 0, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff])));
    expect(await o.c.next()).toMatchObject({ type: 'error', code: 'bad_frame' });
    await stop(o.c);
  });

  it('sends injected audio framed with the target byte between inject started/stopped', async () => {
    const { c, started } = await open('pbx-inject');
    const call = await calls.next();
    expect(call.session.id).toBe(started.callId);
    const pcm = testSignal(400, 6); // 2.5 frames
    call.session.inject('agent', pcm);
    expect(await c.next()).toEqual({ type: 'inject', state: 'started', target: 'agent' });
    const frames = [await c.nextBinary(), await c.nextBinary()];
    expect(await c.next(undefined, 2000)).toEqual({ type: 'inject', state: 'stopped', target: 'agent' });
    frames.push(await c.nextBinary());
    expect(frames.map((f) => [f[0], f[1], f.readUInt32BE(4), f.readUInt32BE(8), f.length - 12])).toEqual([
      [1, 0, 0, 0, 160], [1, 0, 1, 20, 160], [1, 0, 2, 40, 80],
    ]);
    const got = concatPcm(...frames.map((f) => decodeMuLaw(f.subarray(12))));
    expect(firstDiff(got, decodeMuLaw(encodeMuLaw(pcm)))).toBe(-1);
    call.session.inject('both', testSignal(160, 7));
    expect(await c.next()).toEqual({ type: 'inject', state: 'started', target: 'both' });
    expect((await c.nextBinary())[1]).toBe(2);
    call.session.inject('customer', testSignal(160, 7));
    expect(await c.next()).toEqual({ type: 'inject', state: 'started', target: 'customer' });
    expect((await c.nextBinary())[1]).toBe(1);
    await stop(c);

    const w = await open('pbx-whisper-only', { inject: ['agent'] });
    expect(w.started.capabilities).toEqual({ listen: true, whisper: true, barge: false, playToCustomer: false });
    const wc = await calls.next();
    expect(() => wc.session.inject('both', new Int16Array(160))).toThrow(/barge/);
    expect(() => wc.session.inject('customer', new Int16Array(160))).toThrow(/customer/);
    await stop(w.c);
  });

  it('refuses a second socket for a connected call with 4409', async () => {
    const { c } = await open('pbx-dup');
    await calls.next();
    const d = await connect(url, { authorization: `Bearer ${key}` });
    d.sendJson(start('pbx-dup'));
    expect(await d.next()).toMatchObject({ type: 'error', code: 'already_connected' });
    expect((await d.closed).code).toBe(4409);
    await stop(c);
  });
});

/** The lag (0–400 samples) at which `b` best matches `a` (Opus adds encoder lookahead). */
function bestDelay(a: Int16Array, b: Int16Array): number {
  let best = 0;
  let bestErr = Infinity;
  for (let d = 0; d < 400; d++) {
    let e = 0;
    for (let i = 9600; i < 12000; i++) e += (b[i + d] - a[i]) ** 2;
    if (e < bestErr) { bestErr = e; best = d; }
  }
  return best;
}
