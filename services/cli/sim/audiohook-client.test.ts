import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMuLaw } from '../../audio/index.js';
import { createAudiohookClient } from './audiohook-client.js';
import { parseDuration, type AudiohookChannel } from './audiohook-messages.js';
import { signAudiohookRequest } from './audiohook-signature.js';
import { createInjectedCollector } from './injected-audio.js';
import { prepareMedia } from './media-codec.js';
import { simulateCall } from './simulate-call.js';
import { streamCall } from './stream-loop.js';
import { jsonMessages, startTestPeer, tone, type PeerConnection, type TestPeer } from './test-peer.js';

let peer: TestPeer | undefined;
afterEach(async () => { await peer?.close(); peer = undefined; });

interface Msg { type: string; seq: number; serverseq: number; position: string; id: string; parameters: Record<string, unknown> }

/** A reference-like AudioHook server: opened/pong/closed with exact seq/clientseq, and scripted pause/resume/disconnect. */
function audiohookServer(opts: {
  select?: (offers: { channels: AudiohookChannel[] }[]) => unknown[];
  onBinary?: (count: number, send: (type: string, parameters?: Record<string, unknown>) => void) => void;
} = {}) {
  return (conn: PeerConnection, onMessage: (h: (m: { binary: boolean; text: string }) => void) => void) => {
    let seq = 0;
    let clientseq = 0;
    let binaries = 0;
    let id = '';
    const send = (type: string, parameters: Record<string, unknown> = {}) =>
      conn.ws.send(JSON.stringify({ version: '2', id, type, seq: ++seq, clientseq, parameters }));
    onMessage((m) => {
      if (m.binary) { opts.onBinary?.(++binaries, send); return; }
      const msg = JSON.parse(m.text) as Msg;
      expect(msg.seq).toBe(clientseq + 1);
      expect(msg.serverseq).toBe(seq);
      clientseq = msg.seq;
      id = msg.id;
      switch (msg.type) {
        case 'open': {
          const offers = msg.parameters.media as { channels: AudiohookChannel[] }[];
          send('opened', { media: opts.select ? opts.select(offers) : [offers[0]] });
          break;
        }
        case 'ping': send('pong'); break;
        case 'close': send('closed'); break;
        default: break;
      }
    });
  };
}

const stereo = (seconds = 1) => ({ rate: 16000, agent: tone(300, seconds, 16000), customer: tone(1000, seconds, 16000) });

describe('AudioHook client', () => {
  it('signs the upgrade, opens with media offers, streams stereo PCMU in the selected order, and closes', async () => {
    peer = await startTestPeer({ onConnection: audiohookServer({ select: () => [{ type: 'audio', format: 'PCMU', rate: 8000, channels: ['internal', 'external'] }] }) });
    const secret = Buffer.from('a client secret of 32 bytes.....').toString('base64');
    const s = await simulateCall({
      protocol: 'audiohook', url: peer.url, pcm: stereo(), speed: 0,
      credentials: { apiKey: 'tap_ah', clientSecret: secret }, metadata: { customerNumber: '+15550100', language: 'en-US', queue: 'support' },
    });
    const conn = peer.connections[0];
    const h = conn.req.headers as Record<string, string>;
    expect(h['x-api-key']).toBe('tap_ah');
    expect(h['audiohook-session-id']).toBe(s.externalId);
    const input = h['signature-input'];
    const param = (n: string) => new RegExp(`${n}="?([^";]+)`).exec(input)![1];
    const expected = signAudiohookRequest({
      requestTarget: conn.req.url!, authority: h.host, organizationId: h['audiohook-organization-id'], sessionId: h['audiohook-session-id'],
      correlationId: h['audiohook-correlation-id'], apiKey: h['x-api-key'], clientSecret: secret,
      nonce: param('nonce'), created: Number(param('created')), expires: Number(param('expires')),
    });
    expect(h.signature).toBe(expected.signature);

    const msgs = jsonMessages(conn) as unknown as Msg[];
    expect(msgs[0]).toMatchObject({ version: '2', type: 'open', seq: 1, serverseq: 0, position: 'PT0S' });
    expect(msgs[0].parameters).toMatchObject({
      participant: { ani: '+15550100' }, language: 'en-US', customConfig: { queue: 'support' },
      media: [{ channels: ['external', 'internal'] }, { channels: ['external'] }, { channels: ['internal'] }],
    });
    expect(msgs.at(-1)).toMatchObject({ type: 'close', parameters: { reason: 'end' }, position: 'PT1S' });
    const audio = conn.messages.filter((m) => m.binary);
    expect(audio).toHaveLength(50);
    expect(audio.every((m) => m.data.length === 320)).toBe(true);
    // internal (agent, 300 Hz) first, external (customer, 1 kHz) second
    const all = Buffer.concat(audio.map((m) => m.data));
    const first = decodeMuLaw(all.filter((_, i) => i % 2 === 0));
    const crossings = (x: Int16Array) => x.slice(1).filter((v, i) => (v >= 0) !== (x[i] >= 0)).length;
    expect(crossings(first.subarray(800, 8000))).toBeGreaterThan(500);
    expect(crossings(first.subarray(800, 8000))).toBeLessThan(700);
    expect(s).toMatchObject({ outcome: 'completed', framesSent: { agent: 50, customer: 50 }, audioBytes: 16000, serverErrors: [] });
    expect((await conn.closed).code).toBe(1000);
  });

  it('answers server pause/resume with paused/resumed and keeps the timeline position exact', async () => {
    peer = await startTestPeer({
      onConnection: audiohookServer({
        onBinary: (n, send) => { if (n === 10) { send('pause'); setTimeout(() => send('resume'), 100); } },
      }),
    });
    const call = simulateCall({ protocol: 'audiohook', url: peer.url, pcm: stereo(2), speed: 4 });
    const conn = peer.connection(0);
    const s = await call;
    const c = await conn;
    const msgs = jsonMessages(c) as unknown as Msg[];
    const paused = msgs.find((m) => m.type === 'paused')!;
    const resumed = msgs.find((m) => m.type === 'resumed')!;
    // The server pauses after the 10th frame; at speed 4 a frame or two may already be on the wire when it arrives.
    const pausedAt = parseDuration(paused.position);
    expect(pausedAt).toBeGreaterThanOrEqual(200);
    expect(pausedAt).toBeLessThanOrEqual(300);
    expect(resumed.parameters.start).toBe(paused.position);
    const discardedMs = parseDuration(resumed.parameters.discarded as string);
    expect(discardedMs).toBeGreaterThan(300);
    // samples received + audio discarded = the position the client reports
    const audio = c.messages.filter((m) => m.binary).length;
    expect(audio * 20 + discardedMs).toBe(parseDuration(msgs.at(-1)!.position));
    expect(s.skippedFrames * 20).toBe(discardedMs);
    expect(s.outcome).toBe('completed');
  });

  it('sends pings every interval with the previous rtt', async () => {
    peer = await startTestPeer({ onConnection: audiohookServer() });
    const media = prepareMedia(stereo(0.5), 'PCMU', 8000);
    const client = createAudiohookClient({
      url: `${peer.url}/tap/audiohook`, credentials: {}, media, metadata: { externalId: randomUUID() },
      injected: createInjectedCollector(), pingDelayMs: 20, pingIntervalMs: 60,
    });
    await streamCall(client, media, { speed: 1, signal: new AbortController().signal });
    const msgs = jsonMessages(peer.connections[0]) as unknown as Msg[];
    const pings = msgs.filter((m) => m.type === 'ping');
    expect(pings.length).toBeGreaterThanOrEqual(5);
    expect(pings[0].parameters).toEqual({});
    expect(pings[1].parameters.rtt).toMatch(/^PT(\d*\.)?\d+S$/);
    expect(msgs.map((m) => m.seq)).toEqual([...Array(msgs.length).keys()].map((i) => i + 1));
    expect(client.pingRtts().length).toBeGreaterThanOrEqual(pings.length - 1);
  });

  it('runs a client pause fault, and answers a server disconnect with close(disconnect)', async () => {
    peer = await startTestPeer({ onConnection: audiohookServer({ onBinary: (n, send) => { if (n === 20) send('disconnect', { reason: 'completed' }); } }) });
    const s = await simulateCall({ protocol: 'audiohook', url: peer.url, pcm: stereo(2), speed: 0, faults: { pause: { atMs: 100, durationMs: 200 } } });
    const msgs = jsonMessages(peer.connections[0]) as unknown as Msg[];
    expect(msgs.map((m) => m.type)).toEqual(['open', 'paused', 'resumed', 'close']);
    expect(msgs[2].parameters).toEqual({ start: 'PT0.1S', discarded: 'PT0.2S' });
    expect(msgs[3].parameters).toEqual({ reason: 'disconnect' });
    expect(s).toMatchObject({ outcome: 'server-ended', serverReason: 'disconnect: completed', skippedFrames: 10 });
  });

  it('sends customer audio only when the server selects [external]; reconnects with the same session id', async () => {
    peer = await startTestPeer({ onConnection: audiohookServer({ select: (o) => [o[1]] }) });
    const s = await simulateCall({
      protocol: 'audiohook', url: peer.url, pcm: stereo(), speed: 5, faults: { dropAtMs: 200, reconnectAfterMs: 60 },
    });
    const [a, b] = peer.connections;
    expect(a.req.headers['audiohook-session-id']).toBe(b.req.headers['audiohook-session-id']);
    expect(a.messages.filter((m) => m.binary).every((m) => m.data.length === 160)).toBe(true);
    const bm = jsonMessages(b) as unknown as Msg[];
    expect(bm[0]).toMatchObject({ type: 'open', seq: 1, position: 'PT0.2S' });
    expect(bm[1]).toMatchObject({ type: 'discarded', parameters: { start: 'PT0.2S' } });
    expect(parseDuration(bm[1].parameters.discarded as string)).toBe(s.lostFrames * 20);
    expect(s).toMatchObject({ reconnects: 1, outcome: 'completed', framesSent: { agent: 0 } });
    expect(s.framesSent.customer + s.lostFrames).toBe(50);
  });
});
