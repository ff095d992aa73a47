import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/index.js';
import { encodeL16 } from './l16.js';
import { interleaveStereo } from './mix.js';
import { parseWav, readWavSamples, wavHeader, WAV_HEADER_BYTES, WAV_MAX_DATA_BYTES } from './wav.js';
import { resolveFfmpeg } from './ffmpeg.js';

function wav(rate: number, channels: number, samples: Int16Array): Buffer {
  return Buffer.concat([wavHeader({ rate, channels, dataBytes: samples.length * 2 }), encodeL16(samples)]);
}

function chunk(id: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

describe('wav', () => {
  it('writes a canonical header and parses it back', () => {
    const samples = interleaveStereo(Int16Array.of(1, 2, 3), Int16Array.of(-1, -2, -3));
    const parsed = parseWav(wav(16000, 2, samples));
    expect(parsed).toMatchObject({ rate: 16000, channels: 2, bitsPerSample: 16, dataOffset: WAV_HEADER_BYTES, dataBytes: 12, frames: 3 });
    expect([...parsed.samples]).toEqual([...samples]);
  });

  it('is readable by ffmpeg (header fields are right)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wav-test-'));
    const path = join(dir, 'a.wav');
    writeFileSync(path, wav(8000, 1, new Int16Array(8000)));
    const info = execFileSync(resolveFfmpeg().path, ['-hide_banner', '-i', path, '-f', 'null', '-'], { stdio: 'pipe' });
    expect(info).toBeDefined();
    const raw = execFileSync(resolveFfmpeg().path, ['-v', 'error', '-i', path, '-f', 's16le', 'pipe:1']);
    expect(raw.length).toBe(16000);
  });

  it('skips unknown chunks, odd padding and WAVE_FORMAT_EXTENSIBLE', () => {
    const fmt = Buffer.alloc(40);
    fmt.writeUInt16LE(0xfffe, 0);
    fmt.writeUInt16LE(1, 2);
    fmt.writeUInt32LE(48000, 4);
    fmt.writeUInt32LE(96000, 8);
    fmt.writeUInt16LE(2, 12);
    fmt.writeUInt16LE(16, 14);
    fmt.writeUInt16LE(1, 24); // sub-format GUID starts with PCM = 1
    const body = Buffer.concat([Buffer.from('WAVE'), chunk('LIST', Buffer.from('odd')), chunk('fmt ', fmt), chunk('data', encodeL16(Int16Array.of(7, -7)))]);
    const file = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), body]);
    const parsed = parseWav(file);
    expect(parsed).toMatchObject({ rate: 48000, channels: 1, frames: 2 });
    expect([...parsed.samples]).toEqual([7, -7]);
  });

  it.each([
    ['not RIFF', Buffer.from('RIFX0000WAVE'), /not a RIFF file/],
    ['too short', Buffer.from('RIFF'), /only 4 bytes/],
    ['not WAVE', Buffer.from('RIFF0000AVI '), /not WAVE/],
    ['no fmt', Buffer.concat([Buffer.from('RIFF0000WAVE'), chunk('data', Buffer.alloc(4))]), /data chunk before fmt/],
    ['no data', Buffer.concat([wavHeader({ rate: 8000, channels: 1, dataBytes: 0 }).subarray(0, 36)]), /no data chunk/],
  ])('rejects corrupt input: %s', (_name, input, message) => {
    expect(() => parseWav(input)).toThrow(ValidationError);
    expect(() => parseWav(input)).toThrow(message);
  });

  it('rejects unsupported formats with a clear message', () => {
    const ulaw = wav(8000, 1, new Int16Array(4));
    ulaw.writeUInt16LE(7, 20);
    expect(() => parseWav(ulaw)).toThrow(/unsupported encoding \(format tag 7\)/);
    const eight = wav(8000, 1, new Int16Array(4));
    eight.writeUInt16LE(8, 34);
    expect(() => parseWav(eight)).toThrow(/8 bits/);
    const six = wav(8000, 1, new Int16Array(4));
    six.writeUInt16LE(6, 22);
    expect(() => parseWav(six)).toThrow(/channel count 6/);
  });

  it('rejects a truncated data chunk unless asked to accept it', () => {
    const full = wav(8000, 2, Int16Array.of(1, 2, 3, 4, 5, 6));
    const cut = full.subarray(0, full.length - 5);
    expect(() => parseWav(cut)).toThrow(/truncated/);
    const lenient = parseWav(cut, { allowTruncated: true });
    expect(lenient.frames).toBe(1);
    expect([...lenient.samples]).toEqual([1, 2]);
  });

  it('clamps sizes beyond what RIFF can state', () => {
    const h = wavHeader({ rate: 8000, channels: 2, dataBytes: 2 ** 33 });
    expect(h.readUInt32LE(40)).toBe(WAV_MAX_DATA_BYTES);
    expect(h.readUInt32LE(4)).toBe(0xffffffff);
  });

  it('reads samples per channel from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wav-test-'));
    writeFileSync(join(dir, 's.wav'), wav(16000, 2, interleaveStereo(Int16Array.of(1, 2), Int16Array.of(3, 4))));
    writeFileSync(join(dir, 'm.wav'), wav(8000, 1, Int16Array.of(9, 8)));
    const s = readWavSamples(join(dir, 's.wav'));
    expect(s.rate).toBe(16000);
    expect([...s.left, ...s.right]).toEqual([1, 2, 3, 4]);
    const m = readWavSamples(join(dir, 'm.wav'));
    expect(m.channels).toBe(1);
    expect(m.right).toBe(m.left);
  });
});
