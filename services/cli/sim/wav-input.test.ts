import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpusDecoder, encodeMuLaw } from '../../audio/index.js';
import { ValidationError } from '../../core/index.js';
import { encodeWav, prepareMedia } from './media-codec.js';
import { tone } from './test-peer.js';
import { loadCallAudio } from './wav-input.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'sim-wav-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

/** A G.711 μ-law WAV (format tag 7) with an 18-byte fmt chunk and a fact chunk, as sox writes it. */
function muLawWav(channels: Int16Array[], rate: number): Buffer {
  const n = channels[0].length;
  const data = Buffer.alloc(n * channels.length);
  channels.forEach((c, j) => encodeMuLaw(c).forEach((b, i) => { data[i * channels.length + j] = b; }));
  const fmt = Buffer.alloc(26);
  fmt.write('fmt ', 0, 'ascii'); fmt.writeUInt32LE(18, 4); fmt.writeUInt16LE(7, 8); fmt.writeUInt16LE(channels.length, 10);
  fmt.writeUInt32LE(rate, 12); fmt.writeUInt32LE(rate * channels.length, 16); fmt.writeUInt16LE(channels.length, 20); fmt.writeUInt16LE(8, 22);
  const fact = Buffer.alloc(12);
  fact.write('fact', 0, 'ascii'); fact.writeUInt32LE(4, 4); fact.writeUInt32LE(n, 8);
  const dataHead = Buffer.alloc(8);
  dataHead.write('data', 0, 'ascii'); dataHead.writeUInt32LE(data.length, 4);
  const body = Buffer.concat([Buffer.from('WAVE'), fmt, fact, dataHead, data]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'ascii'); riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

describe('loading call audio', () => {
  it('reads stereo 16-bit WAV as agent = left, customer = right', async () => {
    const left = tone(300, 0.1, 16000);
    const right = tone(800, 0.1, 16000);
    await writeFile(join(dir, 's.wav'), encodeWav([left, right], 16000));
    const pcm = await loadCallAudio(join(dir, 's.wav'));
    expect(pcm.rate).toBe(16000);
    expect(pcm.agent).toEqual(left);
    expect(pcm.customer).toEqual(right);
  });

  it('treats mono as the customer unless told otherwise', async () => {
    const mono = tone(400, 0.05, 8000);
    await writeFile(join(dir, 'm.wav'), encodeWav([mono], 8000));
    expect(await loadCallAudio(join(dir, 'm.wav'))).toEqual({ rate: 8000, customer: mono });
    expect(await loadCallAudio(join(dir, 'm.wav'), { monoAs: 'agent' })).toEqual({ rate: 8000, agent: mono });
    const both = await loadCallAudio(join(dir, 'm.wav'), { monoAs: 'both' });
    expect(both.agent).toEqual(mono);
    expect(both.customer).toEqual(mono);
  });

  it('decodes μ-law WAV', async () => {
    const left = tone(300, 0.1, 8000);
    const right = tone(900, 0.1, 8000);
    await writeFile(join(dir, 'u.wav'), muLawWav([left, right], 8000));
    const pcm = await loadCallAudio(join(dir, 'u.wav'));
    expect(pcm.rate).toBe(8000);
    expect(pcm.agent).toHaveLength(800);
    expect(Math.max(...pcm.agent!.map((v, i) => Math.abs(v - left[i])))).toBeLessThan(300);
    expect(Math.max(...pcm.customer!.map((v, i) => Math.abs(v - right[i])))).toBeLessThan(300);
  });

  it('says clearly when the file is missing or not audio', async () => {
    await expect(loadCallAudio(join(dir, 'nope.wav'))).rejects.toThrow(/audio file not found: .*nope\.wav/);
    await writeFile(join(dir, 'junk.wav'), 'this is not a wav file');
    const err = await loadCallAudio(join(dir, 'junk.wav')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toMatch(/unreadable audio in .*junk\.wav: invalid WAV/);
  });
});

describe('preparing media', () => {
  it('resamples, cuts 20 ms frames and pads the last one', () => {
    const m = prepareMedia({ rate: 16000, agent: tone(300, 0.105, 16000), customer: tone(600, 0.1, 16000) }, 'PCMU', 8000);
    expect(m.frameCount).toBe(6);
    expect(m.frames.agent!.every((f) => f.length === 160)).toBe(true);
    expect(m.frames.customer).toHaveLength(6);
    expect([...m.frames.customer![5]].every((b) => b === 0xff)).toBe(true); // μ-law silence
    const l16 = prepareMedia({ rate: 8000, customer: tone(300, 0.04, 8000) }, 'L16', 16000);
    expect(l16.frames.customer![0].length).toBe(640);
    expect(l16.frames.agent).toBeUndefined();
  });

  it('encodes one decodable mono Opus packet per 20 ms at 48 kHz', () => {
    const m = prepareMedia({ rate: 16000, agent: tone(440, 0.2, 16000) }, 'OPUS', 48000);
    expect(m.frameCount).toBe(10);
    const dec = createOpusDecoder(48000, 1);
    expect(dec.decode(m.frames.agent![3])).toHaveLength(960);
  });

  it('refuses codec/rate pairs the native protocol does not allow', () => {
    expect(() => prepareMedia({ rate: 8000, agent: tone(1, 0.1, 8000) }, 'PCMU', 16000)).toThrow(/PCMU\/16000 is not a supported/);
  });
});
