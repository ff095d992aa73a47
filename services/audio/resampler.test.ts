import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/index.js';
import { sine, toneDb, rms } from './goertzel.js';
import { createResampler, resample } from './resampler.js';

const RATES = [8000, 16000, 48000] as const;
const PAIRS = RATES.flatMap((a) => RATES.filter((b) => b !== a).map((b) => [a, b] as const));

/** Deterministic pseudo-random numbers (xorshift), so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

function noise(n: number, seed: number): Int16Array {
  const r = rng(seed);
  return Int16Array.from({ length: n }, () => Math.round((r() * 2 - 1) * 20000));
}

function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('resampler', () => {
  it.each(PAIRS)('%i → %i keeps a 1 kHz tone at its level and the length at ⌈n·to/from⌉', (from, to) => {
    const input = sine(from, 1000, from, 16000);
    const out = resample(input, from, to);
    expect(out.length).toBe(Math.ceil((input.length * to) / from));
    const skip = Math.round(to * 0.05); // ignore the edges
    const level = toneDb(out, to, 1000, { start: skip, length: out.length - 2 * skip });
    expect(level).toBeCloseTo(toneDb(input, from, 1000), 1);
  });

  it('keeps the telephone passband (300–3400 Hz) flat within 0.1 dB at 48 kHz → 8 kHz', () => {
    for (const f of [300, 1000, 2000, 3000, 3400]) {
      const input = sine(48000, f, 48000, 16000);
      const out = resample(input, 48000, 8000);
      expect(Math.abs(toneDb(out, 8000, f, { start: 400, length: 7200 }) - toneDb(input, 48000, f))).toBeLessThan(0.1);
    }
  });

  it.each([
    [16000, 8000, 6000],
    [48000, 8000, 5000],
    [48000, 16000, 10000],
    [48000, 16000, 20000],
  ])('%i → %i attenuates a %i Hz tone (above the new Nyquist) by more than 60 dB', (from, to, f) => {
    const input = sine(from, f, from, 16000);
    const out = resample(input, from, to);
    const folded = f % to;
    const alias = folded <= to / 2 ? folded : to - folded;
    const attenuation = toneDb(input, from, f) - toneDb(out, to, alias);
    expect(attenuation).toBeGreaterThan(60);
    expect(20 * Math.log10(rms(input) / Math.max(rms(out), 1e-9))).toBeGreaterThan(40); // nothing else leaks through either
  });

  it('suppresses upsampling images by more than 60 dB (8 kHz → 48 kHz)', () => {
    const input = sine(8000, 1000, 8000, 16000);
    const out = resample(input, 8000, 48000);
    const tone = toneDb(out, 48000, 1000);
    for (const image of [7000, 9000, 15000, 17000, 23000]) expect(tone - toneDb(out, 48000, image)).toBeGreaterThan(60);
  });

  it.each(PAIRS)('%i → %i streaming over uneven chunks equals one-shot, bit for bit', (from, to) => {
    const input = noise(from / 2 + 37, from + to);
    const oneShot = resample(input, from, to);
    const r = createResampler(from, to);
    const random = rng(7);
    const parts: Int16Array[] = [];
    for (let at = 0; at < input.length;) {
      const n = Math.min(input.length - at, [0, 1, 2, 3, 17, 160, 320, 999][Math.floor(random() * 8)]);
      parts.push(r.process(input.subarray(at, at + n)));
      at += n;
    }
    parts.push(r.flush());
    expect(concat(parts)).toEqual(oneShot);
  });

  it('resets on flush, so a resampler can be reused', () => {
    const r = createResampler(8000, 16000);
    const input = noise(800, 1);
    const first = concat([r.process(input), r.flush()]);
    const second = concat([r.process(input), r.flush()]);
    expect(second).toEqual(first);
  });

  it('compensates the filter delay: an impulse stays at the same time', () => {
    const impulse = new Int16Array(400);
    impulse[100] = 20000;
    for (const [from, to] of PAIRS) {
      const out = resample(impulse, from, to);
      const peak = out.indexOf(Math.max(...out));
      expect(Math.abs(peak - (100 * to) / from)).toBeLessThanOrEqual(1);
    }
  });

  it('passes DC through at unity gain', () => {
    const dc = new Int16Array(4000).fill(12345);
    for (const [from, to] of PAIRS) {
      const out = resample(dc, from, to);
      const mid = out.subarray(out.length / 4, (3 * out.length) / 4);
      expect(Math.max(...mid.map((v) => Math.abs(v - 12345)))).toBeLessThanOrEqual(1);
    }
  });

  it('clips instead of wrapping around on overshoot', () => {
    const square = Int16Array.from({ length: 800 }, (_, i) => ((i >> 4) & 1 ? 32767 : -32768));
    const out = resample(square, 8000, 48000);
    const diffs = out.subarray(1).map((v, i) => Math.abs(v - out[i]));
    expect(Math.max(...diffs)).toBeLessThan(20000); // a wrap-around would jump by ~65535
  });

  it('copies for equal rates and rejects nonsense rates', () => {
    const pcm = Int16Array.of(1, 2, 3);
    const out = resample(pcm, 16000, 16000);
    expect(out).toEqual(pcm);
    expect(out).not.toBe(pcm);
    expect(() => createResampler(0, 8000)).toThrow(ValidationError);
    expect(() => createResampler(8000, 12.5)).toThrow(ValidationError);
  });

  it('converts other rates too (44.1 kHz imports)', () => {
    const out = resample(sine(44100, 1000, 44100, 16000), 44100, 16000);
    expect(out.length).toBe(16000);
    expect(toneDb(out, 16000, 1000, { start: 800, length: 14400 })).toBeCloseTo(toneDb(sine(16000, 1000, 16000, 16000), 16000, 1000), 1);
  });
});
