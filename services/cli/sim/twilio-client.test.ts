import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMuLaw, encodeMuLaw } from '../../audio/index.js';
import { simulateCall } from './simulate-call.js';
import { jsonMessages, startTestPeer, tone, type TestPeer } from './test-peer.js';
import { signTwilioRequest, twilioSignedUrl } from './twilio-signature.js';

let peer: TestPeer | undefined;
afterEach(async () => { await peer?.close(); peer = undefined; });

type Msg = Record<string, unknown> & { event: string; sequenceNumber?: string; media?: Record<string, string> };

describe('Twilio signature', () => {
  it('is base64 HMAC-SHA1 of the wss URL keyed with the auth token', () => {
    const url = 'wss://example.ngrok.io/tap/twilio';
    expect(signTwilioRequest('12345', url)).toBe(createHmac('sha1', '12345').update(url).digest('base64'));
    expect(twilioSignedUrl(new URL('ws://127.0.0.1:8080/tap/twilio'))).toBe('wss://127.0.0.1:8080/tap/twilio');
    expect(twilioSignedUrl(new URL('wss://calls.example.com/tap/twilio'))).toBe('wss://calls.example.com/tap/twilio');
  });
});

describe('Twilio client', () => {
  it('sends connected, start, media per track with string counters, dtmf and stop', async () => {
    peer = await startTestPeer();
    const pcm = { rate: 8000, agent: tone(300, 0.1, 8000), customer: tone(900, 0.1, 8000) };
    const s = await simulateCall({
      protocol: 'twilio', url: peer.url, pcm, speed: 0, credentials: { twilioToken: 'tok', apiKey: 'tap_tw' },
      metadata: { agentId: 'agent-7', direction: 'inbound', extra: { token: 'one-time' } }, dtmf: [{ atMs: 40, digit: '5' }],
    });
    const conn = peer.connections[0];
    expect(conn.req.headers['x-twilio-signature']).toBe(signTwilioRequest('tok', `wss://${conn.req.headers.host}/tap/twilio`));
    const msgs = jsonMessages(conn) as Msg[];
    expect(msgs[0]).toEqual({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    expect(msgs[1]).toMatchObject({
      event: 'start', sequenceNumber: '1', streamSid: s.externalId,
      start: {
        streamSid: s.externalId, tracks: ['inbound', 'outbound'],
        customParameters: { inboundParty: 'customer', apiKey: 'tap_tw', agentId: 'agent-7', direction: 'inbound', token: 'one-time' },
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    });
    expect(s.externalId).toMatch(/^MZ[0-9a-f]{32}$/);
    expect((msgs[1].start as { callSid: string }).callSid).toMatch(/^CA[0-9a-f]{32}$/);
    // every message after connected numbered "2", "3", … as strings
    expect(msgs.slice(1).map((m) => m.sequenceNumber)).toEqual(msgs.slice(1).map((_, i) => String(i + 1)));
    const media = msgs.filter((m) => m.event === 'media');
    expect(media).toHaveLength(10);
    const inbound = media.filter((m) => m.media!.track === 'inbound');
    expect(inbound.map((m) => m.media!.chunk)).toEqual(['1', '2', '3', '4', '5']);
    expect(inbound.map((m) => m.media!.timestamp)).toEqual(['0', '20', '40', '60', '80']);
    // inbound is the customer (900 Hz): compare with the source
    const got = decodeMuLaw(Buffer.concat(inbound.map((m) => Buffer.from(m.media!.payload, 'base64'))));
    expect(got).toHaveLength(800);
    expect(Math.abs(got[400] - pcm.customer[400])).toBeLessThan(200);
    const dtmf = msgs.find((m) => m.event === 'dtmf')!;
    expect(dtmf).toMatchObject({ streamSid: s.externalId, dtmf: { track: 'inbound_track', digit: '5' } });
    expect(msgs.indexOf(dtmf)).toBe(msgs.findIndex((m) => m.media?.timestamp === '40') - 1); // just before the frame at 40 ms
    expect(msgs.at(-1)).toMatchObject({ event: 'stop', stop: { callSid: (msgs[1].start as { callSid: string }).callSid } });
    expect(s).toMatchObject({ outcome: 'completed', framesSent: { agent: 5, customer: 5 }, audioBytes: 1600 });
    expect((await conn.closed).code).toBe(1000);
  });

  it('streams only the inbound track when bidirectional, keeps played-back audio and echoes marks after it plays', async () => {
    peer = await startTestPeer({
      onConnection: (conn, onMessage) => onMessage((m) => {
        const msg = JSON.parse(m.text) as Msg;
        if (msg.event !== 'start') return;
        const payload = Buffer.from(encodeMuLaw(tone(440, 0.1, 8000))).toString('base64');
        conn.ws.send(JSON.stringify({ event: 'media', streamSid: msg.streamSid, media: { payload } }));
        conn.ws.send(JSON.stringify({ event: 'mark', streamSid: msg.streamSid, mark: { name: 'greeting' } }));
      }),
    });
    const pcm = { rate: 8000, agent: tone(300, 0.5, 8000), customer: tone(500, 0.5, 8000) };
    const s = await simulateCall({ protocol: 'twilio', url: peer.url, pcm, speed: 1, twilio: { bidirectional: true } });
    const msgs = jsonMessages(peer.connections[0]) as Msg[];
    expect((msgs[1].start as { tracks: string[] }).tracks).toEqual(['inbound']);
    expect((msgs[1].start as { customParameters: object }).customParameters).toEqual({ inboundParty: 'customer', bidirectional: 'true' });
    const mark = msgs.find((m) => m.event === 'mark')!;
    expect(mark).toMatchObject({ mark: { name: 'greeting' } });
    // echoed once the 100 ms queued before it had played: after about five media messages
    const before = msgs.slice(0, msgs.indexOf(mark)).filter((m) => m.event === 'media').length;
    expect(before).toBeGreaterThanOrEqual(4);
    expect(before).toBeLessThanOrEqual(8);
    expect(s.injected.customer).toMatchObject({ frames: 1, samples: 800, rate: 8000 });
    expect(s.framesSent).toEqual({ agent: 0, customer: 25 });
  });
});
