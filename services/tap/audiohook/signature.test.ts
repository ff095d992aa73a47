import { describe, expect, it } from 'vitest';
import { createNonceCache, hmacSha256, signatureBase, SIGNED_COMPONENTS, verifyAudiohookSignature } from './signature.js';

// The Genesys documentation's example (PROTOCOLS.md §1.1).
const V = {
  apiKey: 'SGVsbG8sIEkgYW0gdGhlIEFQSSBrZXkh',
  secret: 'TXlTdXBlclNlY3JldEtleVRlbGxOby0xITJAMyM0JDU=',
  target: '/api/v1/voicebiometrics/ws',
  authority: 'audiohook.example.com',
  organizationId: 'd7934305-0972-4844-938e-9060eef73d05',
  sessionId: '30b0e395-84d3-4570-ac13-9a62d8f514c0',
  correlationId: 'e160e428-53e2-487c-977d-96989bf5c99d',
  nonce: 'VGhpc0lzQVVuaXF1ZU5vbmNl',
  created: 1641013200,
  expires: 3282026430,
  signature: 'sig1=:NZBwyBHRRyRoeLqy1IzOa9VYBuI8TgMFt2GRDkDuJh4=:',
};
const list = `(${SIGNED_COMPONENTS.map((c) => `"${c}"`).join(' ')})`;
const params = `${list};keyid="${V.apiKey}";nonce="${V.nonce}";alg="hmac-sha256";created=${V.created};expires=${V.expires}`;
const request = (over: Partial<Parameters<typeof verifyAudiohookSignature>[0]> = {}) => verifyAudiohookSignature({
  signature: V.signature, signatureInput: `sig1=${params}`,
  organizationId: V.organizationId, sessionId: V.sessionId, correlationId: V.correlationId, apiKey: V.apiKey,
  authorities: [V.authority], targets: [V.target], secret: V.secret, now: V.created, ...over,
});

describe('AudioHook request signatures (RFC 9421, hmac-sha256)', () => {
  it('reproduces the documented test vector', () => {
    const base = signatureBase([
      ['@request-target', V.target], ['@authority', V.authority], ['audiohook-organization-id', V.organizationId],
      ['audiohook-session-id', V.sessionId], ['audiohook-correlation-id', V.correlationId], ['x-api-key', V.apiKey],
    ], params);
    expect(`sig1=:${hmacSha256(base, V.secret).toString('base64')}:`).toBe(V.signature);
    expect(request()).toEqual({ ok: true, nonce: V.nonce });
  });

  it('accepts the vector among several candidate addresses', () => {
    expect(request({ authorities: ['127.0.0.1:8080', V.authority], targets: ['/prefix' + V.target, V.target] }).ok).toBe(true);
  });

  it('refuses tampering, a wrong key id, missing components, bad times and short nonces', () => {
    expect(request({ organizationId: 'd7934305-0972-4844-938e-9060eef73d06' })).toMatchObject({ ok: false, reason: 'signature does not match' });
    expect(request({ authorities: ['evil.example.com'] }).ok).toBe(false);
    expect(request({ secret: Buffer.from('another secret').toString('base64') }).ok).toBe(false);
    expect(request({ apiKey: 'another-key' })).toMatchObject({ ok: false, reason: 'keyid does not match X-API-KEY' });
    expect(request({ signature: undefined })).toMatchObject({ ok: false, reason: 'request is not signed' });
    expect(request({ signatureInput: `sig1=${params.replace(' "x-api-key"', '')}` }).ok).toBe(false);
    expect(request({ now: V.created - 4 })).toMatchObject({ reason: 'created lies in the future' });
    expect(request({ now: V.created + 11 })).toMatchObject({ reason: 'signature too old' });
    expect(request({ now: V.created + 5, signatureInput: `sig1=${params.replace(`expires=${V.expires}`, `expires=${V.created + 2}`)}` }))
      .toMatchObject({ reason: 'signature expired' });
    expect(request({ signatureInput: `sig1=${params.replace(V.nonce, 'short')}` })).toMatchObject({ reason: 'nonce missing or too short' });
    expect(request({ signatureInput: `sig1=${params.replace('hmac-sha256', 'rsa-pss-sha512')}` }).ok).toBe(false);
    expect(request({ signatureInput: 'sig1=("@request-target" garbage' }).ok).toBe(false);
    expect(request({ signature: 'sig2=:NZBwyBHRRyRoeLqy1IzOa9VYBuI8TgMFt2GRDkDuJh4=:' }).ok).toBe(false);
  });

  it('remembers nonces for the validity window', () => {
    const cache = createNonceCache(2);
    expect(cache.replayed('a', 0)).toBe(false);
    expect(cache.replayed('a', 1000)).toBe(true);
    expect(cache.replayed('a', 60_000)).toBe(false);
    expect(cache.replayed('b', 60_000)).toBe(false);
    expect(cache.replayed('c', 60_001)).toBe(false); // full: the oldest live entry is forgotten
    expect(cache.replayed('c', 60_002)).toBe(true);
  });
});
