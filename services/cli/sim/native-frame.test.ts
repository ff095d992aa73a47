import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../core/index.js';
import { decodeNativeFrame, encodeNativeFrame, NATIVE_HEADER_BYTES } from './native-frame.js';

describe('native frame header', () => {
  it('writes version, channel, flags, seq and timestamp big-endian in 12 bytes', () => {
    const buf = encodeNativeFrame({ channel: 1, seq: 0x01020304, timestampMs: 0x0a0b0c0d, payload: Uint8Array.of(0xaa, 0xbb) });
    expect(NATIVE_HEADER_BYTES).toBe(12);
    expect([...buf]).toEqual([1, 1, 0, 0, 1, 2, 3, 4, 0x0a, 0x0b, 0x0c, 0x0d, 0xaa, 0xbb]);
  });

  it('round-trips through decode, including uint32 extremes', () => {
    const payload = Buffer.from('hello');
    const f = decodeNativeFrame(encodeNativeFrame({ channel: 2, seq: 0xffffffff, timestampMs: 4_000_000_000, payload }));
    expect(f).toMatchObject({ channel: 2, flags: 0, seq: 0xffffffff, timestampMs: 4_000_000_000 });
    expect(f.payload.toString()).toBe('hello');
  });

  it('rejects short frames and unknown versions', () => {
    expect(() => decodeNativeFrame(Buffer.alloc(11))).toThrow(ProtocolError);
    const bad = encodeNativeFrame({ channel: 0, seq: 0, timestampMs: 0, payload: new Uint8Array(0) });
    bad[0] = 2;
    expect(() => decodeNativeFrame(bad)).toThrow(/version 2/);
  });
});
