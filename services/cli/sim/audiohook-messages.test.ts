import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../core/index.js';
import { createAudiohookSequencer, formatDuration, mediaOffers, parseDuration } from './audiohook-messages.js';
import { signAudiohookRequest } from './audiohook-signature.js';

const SESSION = '30b0e395-84d3-4570-ac13-9a62d8f514c0';
const server = (seq: number, clientseq: number, type = 'pong', id = SESSION) =>
  JSON.stringify({ version: '2', id, type, seq, clientseq, parameters: {} });

describe('AudioHook durations', () => {
  it('writes seconds-only ISO-8601 durations', () => {
    expect(formatDuration(0)).toBe('PT0S');
    expect(formatDuration(12_340)).toBe('PT12.34S');
    expect(formatDuration(61_000)).toBe('PT61S');
    expect(formatDuration(20)).toBe('PT0.02S');
    for (const ms of [0, 20, 1500, 12_340, 3_600_000]) {
      expect(formatDuration(ms)).toMatch(/^PT(\d*\.)?\d+S$/);
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
    expect(() => parseDuration('PT1M2S')).toThrow(ProtocolError);
  });
});

describe('AudioHook sequencing', () => {
  it('numbers client messages 1, 2, 3 and echoes the last server seq as serverseq', () => {
    const s = createAudiohookSequencer(SESSION);
    const open = s.next('open', { a: 1 }, 0);
    expect(open).toEqual({ version: '2', id: SESSION, type: 'open', seq: 1, serverseq: 0, position: 'PT0S', parameters: { a: 1 } });
    s.receive(server(1, 1, 'opened'));
    const ping = s.next('ping', {}, 1000);
    expect(ping).toMatchObject({ type: 'ping', seq: 2, serverseq: 1, position: 'PT1S' });
    // The official suite's example: ping seq 2 is answered by pong seq 2, clientseq 2.
    const pong = s.receive(server(2, 2));
    expect(pong).toMatchObject({ type: 'pong', seq: 2, clientseq: 2 });
    expect(s.next('close', { reason: 'end' }, 2000)).toMatchObject({ seq: 3, serverseq: 2, position: 'PT2S' });
  });

  it('rejects a server seq gap, a clientseq ahead of ours, a foreign id and garbage', () => {
    const s = createAudiohookSequencer(SESSION);
    s.next('open', {}, 0);
    expect(() => s.receive(server(2, 1, 'opened'))).toThrow(/gap/);
    expect(() => s.receive(server(1, 2, 'opened'))).toThrow(/ahead/);
    expect(() => s.receive(server(1, 1, 'opened', 'e160e428-53e2-487c-977d-96989bf5c99d'))).toThrow(/session id/);
    expect(() => s.receive('{nope')).toThrow(ProtocolError);
    expect(() => s.receive(JSON.stringify({ version: '2', id: SESSION, type: 'dance', seq: 1, clientseq: 1, parameters: {} }))).toThrow(/unknown/);
    expect(s.receive(server(1, 1, 'opened')).type).toBe('opened');
  });

  it('offers stereo PCMU first, then each channel alone, in the given order', () => {
    expect(mediaOffers().map((m) => m.channels)).toEqual([['external', 'internal'], ['external'], ['internal']]);
    expect(mediaOffers(['internal', 'external'])[0]).toEqual({ type: 'audio', format: 'PCMU', rate: 8000, channels: ['internal', 'external'] });
  });
});

describe('AudioHook request signature', () => {
  it('reproduces the Genesys test vector (PROTOCOLS.md §1.1)', () => {
    const sig = signAudiohookRequest({
      requestTarget: '/api/v1/voicebiometrics/ws',
      authority: 'audiohook.example.com',
      organizationId: 'd7934305-0972-4844-938e-9060eef73d05',
      sessionId: SESSION,
      correlationId: 'e160e428-53e2-487c-977d-96989bf5c99d',
      apiKey: 'SGVsbG8sIEkgYW0gdGhlIEFQSSBrZXkh',
      clientSecret: 'TXlTdXBlclNlY3JldEtleVRlbGxOby0xITJAMyM0JDU=',
      nonce: 'VGhpc0lzQVVuaXF1ZU5vbmNl',
      created: 1641013200,
      expires: 3282026430,
    });
    expect(sig.signature).toBe('sig1=:NZBwyBHRRyRoeLqy1IzOa9VYBuI8TgMFt2GRDkDuJh4=:');
    expect(sig.signatureInput).toBe(
      'sig1=("@request-target" "@authority" "audiohook-organization-id" "audiohook-session-id" "audiohook-correlation-id" "x-api-key")'
      + ';keyid="SGVsbG8sIEkgYW0gdGhlIEFQSSBrZXkh";nonce="VGhpc0lzQVVuaXF1ZU5vbmNl";alg="hmac-sha256";created=1641013200;expires=3282026430',
    );
    expect(sig.base.split('\n')).toHaveLength(7);
    expect(sig.base.endsWith('\n')).toBe(false);
  });

  it('makes a fresh nonce of at least 22 characters and a short validity by default', () => {
    const input = {
      requestTarget: '/tap/audiohook', authority: 'localhost:8080', organizationId: 'o', sessionId: 's', correlationId: 'c',
      apiKey: 'k', clientSecret: Buffer.from('secret').toString('base64'),
    };
    const a = signAudiohookRequest(input);
    const b = signAudiohookRequest(input);
    const nonce = /nonce="([^"]+)"/.exec(a.signatureInput)![1];
    expect(nonce.length).toBeGreaterThanOrEqual(22);
    expect(a.signature).not.toBe(b.signature);
    const created = Number(/created=(\d+)/.exec(a.signatureInput)![1]);
    const expires = Number(/expires=(\d+)/.exec(a.signatureInput)![1]);
    expect(Math.abs(created - Date.now() / 1000)).toBeLessThan(5);
    expect(expires - created).toBe(30);
  });
});
