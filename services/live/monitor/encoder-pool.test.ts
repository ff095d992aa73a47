import { describe, expect, it } from 'vitest';
import { createOpusDecoder, sine, toneDb } from '../../audio/index.js';
import { createLogger } from '../../core/index.js';
import { createListenEncoderPool } from './encoder-pool.js';
import type { EncodedFrame } from './stream-encoder.js';

const log = createLogger('silent');

async function encodeAll(workers: number, pcm: Int16Array, warm = true): Promise<{ frames: EncodedFrame[]; at: number[] }> {
  const pool = createListenEncoderPool({ log, workers });
  try {
    if (warm) await pool.warm();
    const frames: EncodedFrame[] = [];
    const at: number[] = [];
    const enc = pool.open(8000, undefined, (f, capturedAt) => { frames.push(...f); at.push(capturedAt); });
    // 100 ms at a time, each after the previous was encoded (a live call feeds 20 ms every 20 ms).
    for (let i = 0; i < pcm.length; i += 800) {
      for (let j = i; j < i + 800; j += 100) enc.push(j, pcm.subarray(j, j + 100), j);
      for (let tries = 0; frames.length < (i + 800) / 160 && tries < 200; tries++) await new Promise((r) => setTimeout(r, 5));
    }
    enc.close();
    return { frames, at };
  } finally {
    await pool.close();
  }
}

describe('listen encoder pool', () => {
  const pcm = sine(8000, 440, 8000, 6000);

  it('encodes on a worker thread exactly what the inline encoder makes, in order, with each push\'s capture time', async () => {
    const [remote, inline] = await Promise.all([encodeAll(1, pcm), encodeAll(0, pcm)]);
    expect(remote.frames.map((f) => f.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(remote.frames.map((f) => f.opus.toString('hex'))).toEqual(inline.frames.map((f) => f.opus.toString('hex')));
    expect(remote.at).toEqual(inline.at);
    expect([...remote.at].sort((a, b) => a - b)).toEqual(remote.at);
  });

  it('encodes on the calling thread until the worker is up, then hands over at a frame boundary', async () => {
    const { frames } = await encodeAll(1, pcm, false);
    expect(frames.map((f) => f.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const dec = createOpusDecoder(8000, 1);
    const out = frames.slice(2).flatMap((f) => Array.from(dec.decode(f.opus)));
    expect(toneDb(out, 8000, 440)).toBeGreaterThan(-20);
  });

  it('drops audio rather than queueing more than 500 ms for a worker that is behind, and says how much', async () => {
    const pool = createListenEncoderPool({ log, workers: 1 });
    await pool.warm(); // (before that, audio is encoded on the calling thread)
    const frames: EncodedFrame[] = [];
    let dropped = 0;
    const enc = pool.open(8000, undefined, (f) => frames.push(...f), (n) => { dropped += n; });
    const second = sine(8000, 440, 16000, 6000);
    for (let i = 0; i < second.length; i += 160) enc.push(i, second.subarray(i, i + 160), 0); // 2 s in one go
    for (let tries = 0; tries < 100 && frames.length < 26; tries++) await new Promise((r) => setTimeout(r, 10));
    expect(dropped).toBeGreaterThanOrEqual(70);
    expect(frames.length + dropped).toBe(100);
    expect(frames.map((f) => f.seq)).toEqual(Array.from({ length: frames.length }, (_, i) => i));
    await pool.close();
  });

  it('leaves the caller\'s audio untouched (other sinks share it)', async () => {
    const pool = createListenEncoderPool({ log, workers: 1 });
    const block = sine(8000, 440, 320, 6000);
    const copy = block.slice();
    const enc = pool.open(8000, undefined, () => {});
    enc.push(0, block, 0);
    expect(block.length).toBe(320);
    expect(block).toEqual(copy);
    await pool.close();
  });
});
