import { describe, expect, it } from 'vitest';
import { goertzel, rms, sine, toneDb } from './goertzel.js';

describe('goertzel', () => {
  it('measures a tone\'s amplitude and ignores other frequencies', () => {
    const pcm = sine(8000, [700, 1900], 8000, 5000);
    expect(goertzel(pcm, 8000, 700)).toBeCloseTo(5000, -1);
    expect(goertzel(pcm, 8000, 1900)).toBeCloseTo(5000, -1);
    expect(toneDb(pcm, 8000, 1300)).toBeLessThan(-80);
  });

  it('analyses a window of the signal', () => {
    const pcm = new Int16Array(16000);
    pcm.set(sine(8000, 1000, 8000, 8000), 8000);
    expect(goertzel(pcm, 8000, 1000, { start: 0, length: 8000 })).toBeLessThan(1);
    expect(goertzel(pcm, 8000, 1000, { start: 8000 })).toBeCloseTo(8000, -1);
    expect(goertzel(pcm, 8000, 1000, { start: 20000 })).toBe(0);
  });

  it('plain (unwindowed) bins work for bin-centred tones', () => {
    expect(goertzel(sine(8000, 1000, 800, 3000), 8000, 1000, { window: 'none' })).toBeCloseTo(3000, 0);
  });

  it('rms of a sine is amplitude/√2', () => {
    expect(rms(sine(8000, 1000, 8000, 10000))).toBeCloseTo(10000 / Math.SQRT2, -1);
    expect(rms(new Int16Array(0))).toBe(0);
  });
});
