import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMuLaw, encodeMuLaw } from '../services/audio/index.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import {
  captureCalls, concatPcm, connect, firstDiff, metricsText, metricValue, refusedStatus, tapKey, testSignal,
  type TestClient,
} from './tap-helpers.js';

const TOKEN = 'twilio-auth-token-for-tests';
const sig = (url: string, token = TOKEN) => createHmac('sha1', token).update(url).digest('base64');
let sidCounter = 0;
const ids = () => {
  const n = (++sidCounter).toString(16).padStart(32, '0');
  return { streamSid: `MZ${n}`, accountSid: `AC${n}`, callSid: `CA${n}` };
};

/** A Twilio Media Streams client: connected, start, media, stop, with sequence numbers as strings. */
function twilio(c: TestClient, custom: Record<string, string> = {}, tracks = ['inbound', 'outbound']) {
  const id = ids();
  let seq = 0;
  const chunks = { inbound: 0, outbound: 0 };
  return {
    id,
    start() {
      c.sendJson({ event: 'connected', protocol: 'Call', version: '1.0.0' });
      c.sendJson({
        event: 'start', sequenceNumber: String(++seq), streamSid: id.streamSid,
        start: { ...id, tracks, customParameters: custom, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } },
      });
    },
    media(track: 'inbound' | 'outbound', timestampMs: number, mulaw: Uint8Array, skipSeq = false) {
      if (skipSeq) seq++;
      c.sendJson({
        event: 'media', sequenceNumber: String(++seq), streamSid: id.streamSid,
        media: { track, chunk: String(++chunks[track]), timestamp: String(timestampMs), payload: Buffer.from(mulaw).toString('base64') },
      });
    },
    send(event: string, body: Record<string, unknown> = {}) {
      c.sendJson({ event, sequenceNumber: String(++seq), streamSid: id.streamSid, ...body });
    },
    async stop() {
      c.sendJson({ event: 'stop', sequenceNumber: String(++seq), streamSid: id.streamSid, stop: { accountSid: id.accountSid, callSid: id.callSid } });
      return (await c.closed).code;
    },
  };
}

describe('Twilio tap with a signing auth token', () => {
  let server: TestServer;
  let calls: ReturnType<typeof captureCalls>;
  let url: string;
  const publicUrl = 'https://calls.example.com';
  beforeAll(async () => {
    server = await startTestServer({ publicUrl, tap: { twilioAuthToken: TOKEN, interruptGraceMs: 300 } });
    calls = captureCalls(server);
    url = `${server.wsUrl}/tap/twilio`;
  });
  afterAll(async () => { await server?.close(); });

  const open = async (custom: Record<string, string> = {}, tracks?: string[]) => {
    const c = await connect(url, { 'x-twilio-signature': sig('wss://calls.example.com/tap/twilio') });
    const t = twilio(c, custom, tracks);
    t.start();
    return { c, t, call: await calls.next() };
  };

  it('verifies X-Twilio-Signature on the upgrade (public URL or Host header)', async () => {
    expect(await refusedStatus(url)).toBe(401);
    expect(await refusedStatus(url, { 'x-twilio-signature': sig('wss://calls.example.com/tap/twilio', 'wrong-token') })).toBe(401);
    expect(await refusedStatus(url, { 'x-twilio-signature': sig('wss://calls.example.com/tap/other') })).toBe(401);
    const viaHost = await connect(url, { 'x-twilio-signature': sig(`wss://${new URL(url).host}/tap/twilio`) });
    viaHost.ws.close();
    expect(metricValue(await metricsText(server), 'callsight_tap_connections_total{protocol="twilio",result="unauthorized"}')).toBe(3);
  });

  it('aligns inbound and outbound tracks by timestamp, counts sequence gaps, and reads metadata', async () => {
    const { t, call } = await open({
      agentId: 'agent-42', queue: 'billing', direction: 'outbound', customerNumber: '+15550001111', language: 'es-US', apiKey: 'not-kept',
    });
    expect(call.session.meta).toMatchObject({
      protocol: 'twilio', externalId: t.id.streamSid, direction: 'outbound', agentExternalId: 'agent-42', queue: 'billing',
      customerNumber: '+15550001111', language: 'es-US', extra: { callSid: t.id.callSid },
    });
    expect(JSON.stringify(call.session.meta)).not.toContain('not-kept');
    const inbound = encodeMuLaw(testSignal(160 * 10, 1));
    const outbound = encodeMuLaw(testSignal(160 * 5, 2));
    for (let k = 0; k < 10; k++) {
      // outbound starts 100 ms in and arrives before the matching inbound frame
      if (k >= 5) t.media('outbound', k * 20, outbound.subarray((k - 5) * 160, (k - 4) * 160));
      // inbound frame 3 is lost: its sequence number is skipped
      if (k !== 3) t.media('inbound', k * 20, inbound.subarray(k * 160, (k + 1) * 160), k === 4);
    }
    t.send('dtmf', { dtmf: { track: 'inbound_track', digit: '7' } });
    t.send('mark', { mark: { name: 'unknown-mark' } });
    expect(await t.stop()).toBe(1000);
    expect(await call.ended).toBe('ended');
    const expCustomer = decodeMuLaw(inbound);
    expCustomer.fill(0, 3 * 160, 4 * 160);
    expect(firstDiff(call.customer, expCustomer)).toBe(-1);
    expect(firstDiff(call.agent, concatPcm(new Int16Array(800), decodeMuLaw(outbound)))).toBe(-1);
    const text = await metricsText(server);
    expect(metricValue(text, 'callsight_tap_frames_dropped_total{protocol="twilio",reason="lost"}')).toBe(1);
    expect(metricValue(text, 'callsight_tap_frames_total{protocol="twilio"}')).toBeGreaterThanOrEqual(14);
  });

  it('maps the inbound track to the agent when the stream says so', async () => {
    const { t, call } = await open({ inboundParty: 'agent' }, ['inbound']);
    const pcm = encodeMuLaw(testSignal(320, 3));
    t.media('inbound', 0, pcm);
    expect(await t.stop()).toBe(1000);
    await call.ended;
    expect(firstDiff(call.agent, decodeMuLaw(pcm))).toBe(-1);
    expect(call.customer.every((s) => s === 0)).toBe(true);
  });

  it('plays audio to the customer on bidirectional streams only, as μ-law media messages followed by a mark', async () => {
    const { c, t, call } = await open({ bidirectional: 'true' }, ['inbound']);
    expect(call.session.capabilities).toEqual({ listen: true, whisper: false, barge: false, playToCustomer: true });
    const pcm = testSignal(400, 4);
    call.session.inject('customer', pcm);
    const media = [await c.next(), await c.next(), await c.next()] as { event: string; streamSid: string; media: { payload: string } }[];
    expect(media.every((m) => m.event === 'media' && m.streamSid === t.id.streamSid)).toBe(true);
    const got = concatPcm(...media.map((m) => decodeMuLaw(Buffer.from(m.media.payload, 'base64'))));
    expect(firstDiff(got, decodeMuLaw(encodeMuLaw(pcm)))).toBe(-1);
    expect(media.map((m) => Buffer.from(m.media.payload, 'base64').length)).toEqual([160, 160, 80]);
    const mark = await c.next<{ event: string; mark: { name: string } }>();
    expect(mark).toMatchObject({ event: 'mark', streamSid: t.id.streamSid });
    t.send('mark', { mark: mark.mark });
    expect(() => call.session.inject('agent', pcm)).toThrow(/agent/);
    expect(() => call.session.inject('both', pcm)).toThrow(/both|barge/);
    expect(await t.stop()).toBe(1000);

    const plain = await open();
    expect(() => plain.call.session.inject('customer', pcm)).toThrow(/customer/);
    expect(await plain.t.stop()).toBe(1000);
  });

  it('closes on bad input before start and ignores it after', async () => {
    const before: [string, (c: TestClient) => void, number][] = [
      ['media before start', (c) => twilio(c).media('inbound', 0, new Uint8Array(160)), 1002],
      ['malformed JSON', (c) => c.ws.send('{'), 1002],
      ['binary', (c) => c.sendBinary(new Uint8Array(10)), 1003],
      ['unsupported media format', (c) => c.sendJson({
        event: 'start', sequenceNumber: '1', streamSid: 'MZx',
        start: { streamSid: 'MZx', accountSid: 'AC', callSid: 'CA', tracks: ['inbound'], customParameters: {}, mediaFormat: { encoding: 'audio/l16', sampleRate: 16000, channels: 1 } },
      }), 1003],
    ];
    for (const [name, act, code] of before) {
      const c = await connect(url, { 'x-twilio-signature': sig('wss://calls.example.com/tap/twilio') });
      act(c);
      expect((await c.closed).code, name).toBe(code);
    }
    const { c, t, call } = await open({}, ['inbound']);
    c.ws.send('nonsense');
    t.send('whatever', {});
    c.sendBinary(new Uint8Array(4));
    t.media('inbound', 0, new Uint8Array(0));
    const pcm = encodeMuLaw(testSignal(160, 5));
    t.media('inbound', 0, pcm);
    expect(await t.stop()).toBe(1000);
    expect(await call.ended).toBe('ended');
    expect(firstDiff(call.customer, decodeMuLaw(pcm))).toBe(-1);
  });

  it('marks a dropped stream interrupted after the grace period', async () => {
    const { c, t, call } = await open();
    t.media('inbound', 0, new Uint8Array(160));
    c.ws.terminate();
    expect(await call.ended).toBe('interrupted');
  });
});

describe('Twilio tap without an auth token (API key in customParameters)', () => {
  let server: TestServer;
  let calls: ReturnType<typeof captureCalls>;
  let url: string;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer();
    calls = captureCalls(server);
    url = `${server.wsUrl}/tap/twilio`;
    key = (await tapKey(server, ['twilio'])).apiKey;
  });
  afterAll(async () => { await server?.close(); });

  it('accepts audio only after the API key in start checks out', async () => {
    const c = await connect(url);
    const t = twilio(c, { apiKey: key }, ['inbound']);
    t.start();
    const pcm = encodeMuLaw(testSignal(160 * 20, 6));
    for (let k = 0; k < 20; k++) t.media('inbound', k * 20, pcm.subarray(k * 160, (k + 1) * 160));
    const call = await calls.next();
    expect(call.session.meta.tapKeyId).toBeDefined();
    expect(await t.stop()).toBe(1000);
    await call.ended;
    expect(firstDiff(call.customer, decodeMuLaw(pcm))).toBe(-1);
  });

  it('closes with 1008 and creates no call for a missing or wrong key', async () => {
    const native = await tapKey(server, ['native']);
    for (const custom of [{}, { apiKey: 'wrong' }, { apiKey: native.apiKey }] as Record<string, string>[]) {
      const c = await connect(url);
      const t = twilio(c, custom, ['inbound']);
      t.start();
      t.media('inbound', 0, new Uint8Array(160));
      expect((await c.closed).code).toBe(1008);
    }
    expect(calls.all).toHaveLength(1);
  });
});
