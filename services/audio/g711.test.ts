import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { decodeALaw, decodeMuLaw, encodeALaw, encodeMuLaw } from './g711.js';
import { resolveFfmpeg } from './ffmpeg.js';
import { sine } from './goertzel.js';

const ALL_SAMPLES = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
const ALL_CODES = Uint8Array.from({ length: 256 }, (_, i) => i);

function snrDb(ref: Int16Array, got: Int16Array): number {
  let sig = 0;
  let noise = 0;
  for (let i = 0; i < ref.length; i++) {
    sig += ref[i] * ref[i];
    noise += (ref[i] - got[i]) ** 2;
  }
  return 10 * Math.log10(sig / noise);
}

/** Runs ffmpeg's G.711 decoder: raw codes in, s16le out. */
function ffmpegDecode(codes: Uint8Array, law: 'mulaw' | 'alaw'): Int16Array {
  const { path } = resolveFfmpeg();
  const out = execFileSync(path, ['-v', 'error', '-f', law, '-ar', '8000', '-ac', '1', '-i', 'pipe:0', '-f', 's16le', 'pipe:1'], { input: codes });
  return new Int16Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.length));
}

/**
 * Decision thresholds of G.711 Tables 1a/2a (magnitude; μ-law in 14-bit units, A-law in 13-bit units), built from
 * the tables' segment layout rather than from the encoder's code. The quantisation index is the count of thresholds
 * at or below the magnitude.
 */
function thresholds(law: 'mu' | 'a'): number[] {
  const t: number[] = [];
  if (law === 'mu') {
    for (let d = 1; d <= 31; d += 2) t.push(d);
    for (let seg = 1; seg < 8; seg++) {
      const start = 2 ** (seg + 5) - 33;
      for (let k = 1; k <= 16; k++) t.push(start + k * 2 ** (seg + 1));
    }
    return t.slice(0, 127); // the top threshold is the overload point
  }
  for (let d = 2; d <= 64; d += 2) t.push(d);
  for (let seg = 2; seg < 8; seg++) for (let k = 1; k <= 16; k++) t.push(2 ** (seg + 4) + k * 2 ** seg);
  return t.slice(0, 127);
}

function referenceEncode(sample: number, law: 'mu' | 'a'): number {
  const shift = law === 'mu' ? 2 : 3;
  const magnitude = (sample < 0 ? -sample - 1 : sample) >> shift; // G.191: one's complement for negatives
  const index = thresholds(law).filter((d) => d <= magnitude).length;
  if (law === 'mu') return sample >= 0 ? 0xff - index : 0x7f - index;
  return (sample >= 0 ? index | 0x80 : index) ^ 0x55;
}

describe('μ-law (G.711)', () => {
  it('matches the ITU reference values', () => {
    expect([...encodeMuLaw(Int16Array.of(0, 32767, -32768, 8, -8))]).toEqual([0xff, 0x80, 0x00, 0xfe, 0x7e]);
    expect([...decodeMuLaw(Uint8Array.of(0xff, 0x7f, 0x80, 0x00, 0xfe, 0x7e, 0xf0))]).toEqual([0, 0, 32124, -32124, 8, -8, 120]);
  });

  it('round-trips every code: decode(encode(decode(c))) = decode(c)', () => {
    const decoded = decodeMuLaw(ALL_CODES);
    expect([...decodeMuLaw(encodeMuLaw(decoded))]).toEqual([...decoded]);
  });

  it('keeps speech-level audio at the expected SNR (~38 dB)', () => {
    const tone = sine(8000, 1000, 8000, 8000);
    expect(snrDb(tone, decodeMuLaw(encodeMuLaw(tone)))).toBeGreaterThan(35);
  });

  it('decodes all 256 codes exactly as ffmpeg does', () => {
    expect([...decodeMuLaw(ALL_CODES)]).toEqual([...ffmpegDecode(ALL_CODES, 'mulaw')]);
  });

  it('encodes all 65536 samples on the G.711 decision levels', () => {
    const ours = encodeMuLaw(ALL_SAMPLES);
    const ref = Uint8Array.from(ALL_SAMPLES, (s) => referenceEncode(s, 'mu'));
    expect(Buffer.from(ours).equals(Buffer.from(ref))).toBe(true);
  });

  it('writes into a caller buffer without allocating', () => {
    const out = new Uint8Array(4);
    expect(encodeMuLaw(Int16Array.of(0, 0), out)).toBe(out);
    expect(() => encodeMuLaw(new Int16Array(5), out)).toThrow(RangeError);
  });
});

describe('A-law (G.711)', () => {
  it('matches the ITU reference values', () => {
    expect([...encodeALaw(Int16Array.of(0, -1, 32767, -32768))]).toEqual([0xd5, 0x55, 0xaa, 0x2a]);
    expect([...decodeALaw(Uint8Array.of(0xd5, 0x55, 0xaa, 0x2a))]).toEqual([8, -8, 32256, -32256]);
  });

  it('round-trips every code', () => {
    const decoded = decodeALaw(ALL_CODES);
    expect([...encodeALaw(decoded)]).toEqual([...ALL_CODES]);
  });

  it('keeps speech-level audio at the expected SNR', () => {
    const tone = sine(8000, 1000, 8000, 8000);
    expect(snrDb(tone, decodeALaw(encodeALaw(tone)))).toBeGreaterThan(35);
  });

  it('decodes all 256 codes exactly as ffmpeg does', () => {
    expect([...decodeALaw(ALL_CODES)]).toEqual([...ffmpegDecode(ALL_CODES, 'alaw')]);
  });

  it('encodes all 65536 samples on the G.711 decision levels', () => {
    const ours = encodeALaw(ALL_SAMPLES);
    const ref = Uint8Array.from(ALL_SAMPLES, (s) => referenceEncode(s, 'a'));
    expect(Buffer.from(ours).equals(Buffer.from(ref))).toBe(true);
  });
});
