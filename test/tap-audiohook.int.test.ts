import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMuLaw, encodeMuLaw, interleaveStereo } from '../services/audio/index.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import {
  captureCalls, concatPcm, connect, firstDiff, metricsText, metricValue, refusedStatus, tapKey, testSignal, until,
  type TestClient,
} from './tap-helpers.js';

const ORG = 'd7934305-0972-4844-938e-9060eef73d05';
type Msg = { version: string; id: string; type: string; seq: number; clientseq: number; parameters: Record<string, unknown> };
const offer = (channels: string[]) => ({ type: 'audio', format: 'PCMU', rate: 8000, channels });
const OFFERS = [offer(['external', 'internal']), offer(['external']), offer(['internal'])];

/** Genesys' signing (PROTOCOLS.md §1.1), written out independently of the server's verifier. */
function sign(h: Record<string, string>, target: string, authority: string, secret: string, created: number, nonce = randomBytes(18).toString('base64url')) {
  const names = ['@request-target', '@authority', 'audiohook-organization-id', 'audiohook-session-id', 'audiohook-correlation-id', 'x-api-key'];
  const value = (n: string) => (n === '@request-target' ? target : n === '@authority' ? authority : h[n]);
  const params = `(${names.map((n) => `"${n}"`).join(' ')});keyid="${h['x-api-key']}";nonce="${nonce}";alg="hmac-sha256";created=${created};expires=${created + 30}`;
  const base = [...names.map((n) => `"${n}": ${value(n)}`), `"@signature-params": ${params}`].join('\n');
  const mac = createHmac('sha256', Buffer.from(secret, 'base64')).update(base).digest('base64');
  return { signature: `sig1=:${mac}:`, 'signature-input': `sig1=${params}` };
}

/** The client half of the AudioHook envelope, kept honest (seq 1, 2, 3…, serverseq, position). */
function audiohook(c: TestClient, id: string, channels = 2) {
  let seq = 0;
  let serverseq = 0;
  let samples = 0;
  return {
    id,
    send(type: string, parameters: Record<string, unknown> = {}, over: Record<string, unknown> = {}) {
      seq += 1;
      c.sendJson({ version: '2', id, type, seq, serverseq, position: `PT${samples / 8000}S`, parameters, ...over });
      return seq;
    },
    async recv(type?: string): Promise<Msg> {
      const m = await c.next<Msg>(type ? (x) => x.type === type : undefined);
      serverseq = m.seq;
      return m;
    },
    audio(bytes: Uint8Array) {
      c.sendBinary(bytes);
      samples += bytes.length / channels;
    },
    skip(toSamples: number) { samples = toSamples; },
    get seq() { return seq; },
  };
}

describe('AudioHook tap', () => {
  let server: TestServer;
  let key: string;
  let calls: ReturnType<typeof captureCalls>;
  let url: string;
  beforeAll(async () => {
    server = await startTestServer({ tap: { interruptGraceMs: 300 } });
    key = (await tapKey(server, ['audiohook'])).apiKey;
    calls = captureCalls(server);
    url = `${server.wsUrl}/tap/audiohook`;
  });
  afterAll(async () => { await server?.close(); });

  const headers = (sessionId: string, apiKey = key) => ({
    'x-api-key': apiKey, 'audiohook-organization-id': ORG, 'audiohook-session-id': sessionId, 'audiohook-correlation-id': randomUUID(),
  });
  const openSession = async (media = OFFERS, extra: Record<string, unknown> = {}) => {
    const id = randomUUID();
    const c = await connect(url, headers(id));
    const ah = audiohook(c, id);
    ah.send('open', {
      organizationId: ORG, conversationId: randomUUID(), participant: { id: randomUUID(), ani: '+15551234567', aniName: 'Caller', dnis: '+15557654321' },
      media, language: 'en-US', ...extra,
    });
    return { c, ah };
  };
  const close = async (c: TestClient, ah: ReturnType<typeof audiohook>) => {
    ah.send('close', { reason: 'end' });
    const closed = await ah.recv('closed');
    c.ws.close();
    return closed;
  };
  const expectDisconnect = async (c: TestClient, ah: ReturnType<typeof audiohook>, reason: string) => {
    const d = await ah.recv('disconnect');
    expect(d.parameters.reason).toBe(reason);
    await close(c, ah);
    return d;
  };

  it('streams stereo PCMU end to end, with exact seq/clientseq and pong rules', async () => {
    const { c, ah } = await openSession();
    const opened = await ah.recv();
    expect(opened).toMatchObject({ version: '2', id: ah.id, type: 'opened', seq: 1, clientseq: 1, parameters: { media: [OFFERS[0]] } });
    const call = await calls.next();
    expect(call.session.meta).toMatchObject({ protocol: 'audiohook', externalId: ah.id, customerNumber: '+15551234567', language: 'en-US' });
    expect(call.session.capabilities).toEqual({ listen: true, whisper: false, barge: false, playToCustomer: false });
    ah.send('ping', {});
    expect(await ah.recv()).toMatchObject({ type: 'pong', seq: 2, clientseq: 2, parameters: {} });
    const external = encodeMuLaw(testSignal(1600 * 5, 1));
    const internal = encodeMuLaw(testSignal(1600 * 5, 2));
    for (let k = 0; k < 5; k++) {
      const l = external.subarray(k * 1600, (k + 1) * 1600);
      const r = internal.subarray(k * 1600, (k + 1) * 1600);
      const frame = new Uint8Array(3200);
      for (let i = 0; i < 1600; i++) { frame[2 * i] = l[i]; frame[2 * i + 1] = r[i]; }
      ah.audio(frame);
    }
    ah.send('ping', { rtt: 'PT0.012S' });
    expect(await ah.recv()).toMatchObject({ type: 'pong', seq: 3, clientseq: ah.seq });
    expect(await close(c, ah)).toMatchObject({ type: 'closed', seq: 4, clientseq: ah.seq, parameters: {} });
    expect(await call.ended).toBe('ended');
    expect(firstDiff(call.customer, decodeMuLaw(external))).toBe(-1);
    expect(firstDiff(call.agent, decodeMuLaw(internal))).toBe(-1);
    expect(() => call.session.inject('agent', new Int16Array(160))).toThrow();
  });

  it('maps channels in either stereo order, and mono offers to one party', async () => {
    const cases: [ReturnType<typeof offer>[], ('customer' | 'agent')[]][] = [
      [[offer(['internal', 'external'])], ['agent', 'customer']],
      [[offer(['external'])], ['customer']],
      [[{ type: 'audio', format: 'L16', rate: 16000, channels: ['external', 'internal'] }, offer(['internal'])], ['agent']],
    ];
    for (const [media, parties] of cases) {
      const { c, ah } = await openSession(media);
      const opened = await ah.recv();
      expect(opened.parameters.media).toEqual([media[media.length - 1]]);
      const call = await calls.next();
      const a = testSignal(800, 3);
      const b = testSignal(800, 4);
      const bytes = encodeMuLaw(parties.length === 2 ? interleaveStereo(a, b) : a);
      c.sendBinary(bytes);
      ah.skip(800);
      await close(c, ah);
      await call.ended;
      const dec = (x: Int16Array) => decodeMuLaw(encodeMuLaw(x));
      expect(firstDiff(call[parties[0]], dec(a))).toBe(-1);
      if (parties.length === 2) expect(firstDiff(call[parties[1]], dec(b))).toBe(-1);
      else expect(call[parties[0] === 'agent' ? 'customer' : 'agent'].every((s) => s === 0)).toBe(true);
    }
  });

  it('places audio after paused/resumed and discarded at start + discarded', async () => {
    const { c, ah } = await openSession([offer(['external'])]);
    await ah.recv('opened');
    const call = await calls.next();
    const f = [testSignal(1600, 5), testSignal(1600, 6), testSignal(1600, 7)].map((x) => encodeMuLaw(x));
    ah.audio(f[0]);
    ah.send('paused');
    ah.skip(1600 + 8000);
    ah.send('resumed', { start: 'PT0.2S', discarded: 'PT1S' });
    ah.audio(f[1]);
    ah.skip(11200 + 4000);
    ah.send('discarded', { start: 'PT1.4S', discarded: 'PT0.5S' });
    ah.audio(f[2]);
    await close(c, ah);
    await call.ended;
    const z = (n: number) => new Int16Array(n);
    const expected = concatPcm(decodeMuLaw(f[0]), z(8000), decodeMuLaw(f[1]), z(4000), decodeMuLaw(f[2]));
    expect(firstDiff(call.customer, expected)).toBe(-1);
    expect(call.session.durationMs).toBe(2100);
  });

  it('accepts error and update without disconnecting', async () => {
    const { c, ah } = await openSession();
    await ah.recv('opened');
    const call = await calls.next();
    ah.send('error', { code: 429, message: 'rate limited', retryAfter: 'PT1S' });
    ah.send('update', { language: 'fr-FR' });
    ah.send('ping');
    expect((await ah.recv()).type).toBe('pong');
    expect(call.session.meta.language).toBe('fr-FR');
    await close(c, ah);
    expect(await call.ended).toBe('ended');
  });

  it('disconnects with reason error on every protocol violation, then runs the close transaction', async () => {
    const violations: [string, (c: TestClient, ah: ReturnType<typeof audiohook>) => void][] = [
      ['seq gap', (_c, ah) => { ah.send('ping'); ah.send('ping', {}, { seq: 9 }); }],
      ['serverseq ahead', (_c, ah) => ah.send('ping', {}, { serverseq: 7 })],
      ['wrong id', (_c, ah) => ah.send('ping', {}, { id: randomUUID() })],
      ['malformed JSON', (c) => c.ws.send('{"version":"2",')],
      ['unknown type', (_c, ah) => ah.send('dance')],
      ['bad parameters', (_c, ah) => ah.send('update', { language: 'english' })],
      ['minutes in a duration', (_c, ah) => ah.send('ping', {}, { position: 'PT1M5S' })],
      ['odd stereo frame', (_c, ah) => ah.audio(new Uint8Array(3201))],
      ['audio while paused', (_c, ah) => { ah.send('paused'); ah.audio(new Uint8Array(320)); }],
    ];
    for (const [name, act] of violations) {
      const { c, ah } = await openSession();
      await ah.recv('opened');
      const call = await calls.next();
      act(c, ah);
      const d = await ah.recv('disconnect');
      expect(d.parameters.reason, name).toBe('error');
      ah.send('close', { reason: 'disconnect' }, { seq: ah.seq + 1 });
      await ah.recv('closed');
      c.ws.close();
      expect(await call.ended, name).toBe('ended');
    }
  });

  it('refuses audio before open without creating a call', async () => {
    const id = randomUUID();
    const c = await connect(url, headers(id));
    const ah = audiohook(c, id);
    c.sendBinary(new Uint8Array(320));
    await expectDisconnect(c, ah, 'error');
    expect(server.registry.live().some((s) => s.meta.externalId === id)).toBe(false);
  });

  it('answers a connection probe with opened and closed, creating no call', async () => {
    const id = randomUUID();
    const c = await connect(url, headers(id));
    const ah = audiohook(c, id);
    const before = calls.all.length;
    ah.send('open', {
      organizationId: ORG, conversationId: '00000000-0000-0000-0000-000000000000',
      participant: { id: '00000000-0000-0000-0000-000000000000' }, media: OFFERS,
    });
    expect(await ah.recv()).toMatchObject({ type: 'opened', parameters: { media: [OFFERS[0]] } });
    expect(await close(c, ah)).toMatchObject({ type: 'closed' });
    expect(calls.all.length).toBe(before);
  });

  it('disconnects as unauthorized when open names another organization', async () => {
    const { c, ah } = await openSession(OFFERS, { organizationId: randomUUID() });
    await expectDisconnect(c, ah, 'unauthorized');
  });

  it('marks a dropped session interrupted after the grace period', async () => {
    const { c, ah } = await openSession();
    await ah.recv('opened');
    const call = await calls.next();
    ah.audio(new Uint8Array(3200).fill(0x7f));
    await until(() => call.session.stats.framesIn === 2);
    c.ws.terminate();
    expect(await call.ended).toBe('interrupted');
  });

  it('authenticates the upgrade: API key, and the HTTP signature when the key has a client secret', async () => {
    expect(await refusedStatus(url, { 'audiohook-organization-id': ORG, 'audiohook-session-id': randomUUID() })).toBe(401);
    expect(await refusedStatus(url, headers(randomUUID(), 'unknown-key'))).toBe(401);
    const native = await tapKey(server, ['native']);
    expect(await refusedStatus(url, headers(randomUUID(), native.apiKey))).toBe(401);
    expect(await refusedStatus(url, { 'x-api-key': key, 'audiohook-organization-id': ORG })).toBe(400);

    const secret = randomBytes(32).toString('base64');
    const signed = await tapKey(server, ['audiohook'], secret);
    const authority = new URL(url).host;
    const now = Math.floor(Date.now() / 1000);
    const h = () => headers(randomUUID(), signed.apiKey);
    // valid
    {
      const hh = h();
      const c = await connect(url, { ...hh, ...sign(hh, '/tap/audiohook', authority, secret, now) });
      const ah = audiohook(c, hh['audiohook-session-id']);
      ah.send('open', { organizationId: ORG, conversationId: randomUUID(), participant: { id: randomUUID() }, media: OFFERS });
      expect((await ah.recv()).type).toBe('opened');
      await calls.next();
      await close(c, ah);
    }
    // missing, tampered, wrong secret, expired, from the future, replayed
    expect(await refusedStatus(url, h())).toBe(401);
    {
      const hh = h();
      const s = sign(hh, '/tap/audiohook', authority, secret, now);
      expect(await refusedStatus(url, { ...hh, ...s, 'audiohook-correlation-id': randomUUID() })).toBe(401);
    }
    { const hh = h(); expect(await refusedStatus(url, { ...hh, ...sign(hh, '/tap/audiohook', authority, randomBytes(32).toString('base64'), now) })).toBe(401); }
    { const hh = h(); expect(await refusedStatus(url, { ...hh, ...sign(hh, '/tap/audiohook', authority, secret, now - 60) })).toBe(401); }
    { const hh = h(); expect(await refusedStatus(url, { ...hh, ...sign(hh, '/tap/audiohook', authority, secret, now + 60) })).toBe(401); }
    {
      const hh = h();
      const s = sign(hh, '/tap/audiohook', authority, secret, now);
      const c = await connect(url, { ...hh, ...s });
      c.ws.close();
      expect(await refusedStatus(url, { ...hh, ...s })).toBe(401);
    }
    expect(metricValue(await metricsText(server), 'callsight_tap_connections_total{protocol="audiohook",result="unauthorized"}')).toBeGreaterThanOrEqual(9);
  });
});
