import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/index.js';
import { decodeL16, encodeL16 } from './l16.js';

describe('L16', () => {
  const pcm = Int16Array.of(0, 1, -1, 32767, -32768, 0x1234);

  it('encodes little- and big-endian byte orders', () => {
    expect([...encodeL16(Int16Array.of(0x1234, -2), 'le')]).toEqual([0x34, 0x12, 0xfe, 0xff]);
    expect([...encodeL16(Int16Array.of(0x1234, -2), 'be')]).toEqual([0x12, 0x34, 0xff, 0xfe]);
  });

  it('round-trips both byte orders', () => {
    for (const endian of ['le', 'be'] as const) expect([...decodeL16(encodeL16(pcm, endian), endian)]).toEqual([...pcm]);
  });

  it('decodes from an odd byte offset and returns a copy', () => {
    const bytes = Buffer.concat([Buffer.from([9]), encodeL16(pcm, 'le')]).subarray(1);
    const out = decodeL16(bytes, 'le');
    expect([...out]).toEqual([...pcm]);
    const aligned = encodeL16(pcm, 'le');
    const copy = decodeL16(aligned, 'le');
    aligned[0] = 0x7f;
    expect(copy[0]).toBe(0);
  });

  it('encodes a subarray view, not the whole buffer', () => {
    expect([...encodeL16(pcm.subarray(1, 3), 'le')]).toEqual([1, 0, 0xff, 0xff]);
  });

  it('rejects odd byte lengths', () => {
    expect(() => decodeL16(Buffer.alloc(3))).toThrow(ValidationError);
    expect(() => decodeL16(Buffer.alloc(3), 'be')).toThrow(/odd length/);
  });
});
