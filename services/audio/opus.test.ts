import { describe, expect, it } from 'vitest';
import { AppError, ValidationError } from '../core/index.js';
import { deinterleaveStereo, interleaveStereo } from './mix.js';
import { sine, toneDb } from './goertzel.js';
import { createOpusDecoder, createOpusEncoder } from './opus.js';

function roundTrip(rate: number, channels: 1 | 2, pcm: Int16Array, bitrate?: number): Int16Array {
  const enc = createOpusEncoder(rate, channels, bitrate);
  const dec = createOpusDecoder(rate, channels);
  const frame = enc.frameSamples * channels;
  const parts: Int16Array[] = [];
  for (let at = 0; at + frame <= pcm.length; at += frame) parts.push(dec.decode(enc.encode(pcm.subarray(at, at + frame))));
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('opus', () => {
  it.each([8000, 16000, 48000])('keeps a tone\'s frequency at %i Hz', (rate) => {
    const input = sine(rate, 1000, rate, 12000);
    const out = roundTrip(rate, 1, input, 24000);
    expect(out.length).toBe(input.length);
    const window = { start: rate / 10, length: rate / 2 }; // skip the codec's start-up
    const tone = toneDb(out, rate, 1000, window);
    expect(Math.abs(tone - toneDb(input, rate, 1000))).toBeLessThan(3);
    for (const other of [500, 1500, 2500]) expect(tone - toneDb(out, rate, other, window)).toBeGreaterThan(30);
  });

  it('keeps stereo channels apart', () => {
    const left = sine(48000, 440, 48000, 12000);
    const right = sine(48000, 1800, 48000, 12000);
    const out = deinterleaveStereo(roundTrip(48000, 2, interleaveStereo(left, right), 64000));
    const w = { start: 4800, length: 24000 };
    expect(toneDb(out.left, 48000, 440, w) - toneDb(out.left, 48000, 1800, w)).toBeGreaterThan(25);
    expect(toneDb(out.right, 48000, 1800, w) - toneDb(out.right, 48000, 440, w)).toBeGreaterThan(25);
  });

  it('rejects frames of the wrong size instead of handing them to libopus', () => {
    const enc = createOpusEncoder(16000, 1);
    expect(() => enc.encode(new Int16Array(321))).toThrow(ValidationError);
    expect(enc.encode(new Int16Array(320)).length).toBeGreaterThan(0);
    expect(enc.encode(new Int16Array(40)).length).toBeGreaterThan(0); // 2.5 ms
  });

  it('rejects unsupported rates, channel counts and bitrates', () => {
    expect(() => createOpusEncoder(44100, 1)).toThrow(ValidationError);
    expect(() => createOpusDecoder(16000, 3)).toThrow(ValidationError);
    expect(() => createOpusEncoder(16000, 1, -5)).toThrow(ValidationError);
  });

  it('throws a typed error on corrupt packets and keeps working afterwards', () => {
    const dec = createOpusDecoder(48000, 1);
    expect(() => dec.decode(new Uint8Array(0))).toThrow(ValidationError);
    expect(() => dec.decode(Uint8Array.of(0x03, 0x00))).toThrow(ValidationError); // code 3 with zero frames
    expect(() => dec.decode(Buffer.alloc(64, 0xff))).toThrow(ValidationError); // 63 frames: longer than 120 ms
    const enc = createOpusEncoder(48000, 1);
    expect(dec.decode(enc.encode(new Int16Array(960))).length).toBe(960);
  });

  it('never crashes on random bytes: each packet decodes or throws an AppError', () => {
    const dec = createOpusDecoder(16000, 1);
    let seed = 12345;
    let rejected = 0;
    for (let i = 0; i < 2000; i++) {
      const packet = new Uint8Array(1 + (i % 200));
      for (let j = 0; j < packet.length; j++) packet[j] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      try {
        expect(dec.decode(packet)).toBeInstanceOf(Int16Array);
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(0);
  });
});
