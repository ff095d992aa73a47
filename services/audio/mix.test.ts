import { describe, expect, it } from 'vitest';
import { deinterleaveStereo, interleaveStereo, mixInto, mixMono } from './mix.js';

describe('mixing', () => {
  it('mixInto adds with gain and offset, clipping at the 16-bit limits', () => {
    const target = Int16Array.of(0, 100, 30000, -30000, 5);
    mixInto(target, Int16Array.of(10, 5000, -5000, 7), 1, 1);
    expect([...target]).toEqual([0, 110, 32767, -32768, 12]);
    const t2 = Int16Array.of(100, 100);
    mixInto(t2, Int16Array.of(1000, -1000), 0.5);
    expect([...t2]).toEqual([600, -400]);
  });

  it('mixInto ignores what does not fit', () => {
    const target = new Int16Array(2);
    mixInto(target, Int16Array.of(1, 2, 3), 1, 1);
    expect([...target]).toEqual([0, 1]);
  });

  it('mixMono sums two channels with clipping; the longer tail is kept', () => {
    expect([...mixMono(Int16Array.of(20000, -20000, 1), Int16Array.of(20000, -20000, 2, 9))]).toEqual([32767, -32768, 3, 9]);
    const out = new Int16Array(2);
    expect(mixMono(Int16Array.of(1, 2), Int16Array.of(3, 4), out)).toBe(out);
  });

  it('interleaves and deinterleaves stereo', () => {
    const left = Int16Array.of(1, 2, 3);
    const right = Int16Array.of(-1, -2, -3);
    const both = interleaveStereo(left, right);
    expect([...both]).toEqual([1, -1, 2, -2, 3, -3]);
    const split = deinterleaveStereo(both);
    expect([...split.left]).toEqual([...left]);
    expect([...split.right]).toEqual([...right]);
  });

  it('pads the shorter channel with silence when interleaving', () => {
    expect([...interleaveStereo(Int16Array.of(1), Int16Array.of(5, 6))]).toEqual([1, 5, 0, 6]);
    expect(() => interleaveStereo(Int16Array.of(1), Int16Array.of(1), new Int16Array(1))).toThrow(RangeError);
  });
});
