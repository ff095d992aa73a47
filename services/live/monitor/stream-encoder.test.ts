import { describe, expect, it } from 'vitest';
import { createOpusDecoder, sine, toneDb } from '../../audio/index.js';
import { decodeAudioFrame, encodeAudioFrame, STREAM_ID } from './audio-frame.js';
import { createStreamEncoder } from './stream-encoder.js';

describe('listen stream encoder', () => {
  it('cuts any chunking into 20 ms Opus frames aligned to the call timeline', () => {
    const enc = createStreamEncoder(8000);
    const tone = sine(8000, 700, 8000, 8000);
    const frames = [];
    // Blocks of odd sizes, starting mid-frame at sample 50: the first whole frame starts at 160 (20 ms).
    for (let at = 50; at < tone.length;) {
      const n = Math.min(37 + (at % 113), tone.length - at);
      frames.push(...enc.push(at, tone.subarray(at, at + n)));
      at += n;
    }
    expect(frames.map((f) => f.seq)).toEqual(Array.from({ length: 49 }, (_, i) => i + 1));
    expect(frames.every((f) => f.timestampMs === f.seq * 20)).toBe(true);
    const dec = createOpusDecoder(8000, 1);
    const pcm = frames.slice(2).flatMap((f) => Array.from(dec.decode(f.opus)));
    expect(toneDb(pcm, 8000, 700)).toBeGreaterThan(-20);
  });

  it('restarts at the next frame boundary after a gap in the input', () => {
    const enc = createStreamEncoder(16000);
    const block = new Int16Array(320);
    expect(enc.push(0, block).map((f) => f.seq)).toEqual([0]);
    expect(enc.push(320, block.subarray(0, 100))).toEqual([]);
    // Jump to 1000: the partial frame is dropped, the next frame starts at 1280 (seq 4).
    expect(enc.push(1000, new Int16Array(700)).map((f) => f.seq)).toEqual([4]);
  });

  it('frames listen packets with the 12-byte header and reads microphone frames back', () => {
    const wire = encodeAudioFrame(STREAM_ID.customer, 123456, 2469120, Buffer.from([9, 8, 7]));
    expect(wire.subarray(0, 12)).toEqual(Buffer.from([1, 2, 0, 0, 0, 1, 0xe2, 0x40, 0, 0x25, 0xad, 0x00]));
    expect(decodeAudioFrame(wire)).toEqual({ ok: true, frame: { stream: 2, seq: 123456, timestampMs: 2469120, payload: Buffer.from([9, 8, 7]) } });
    expect(decodeAudioFrame(wire.subarray(0, 12))).toMatchObject({ ok: false });
    expect(decodeAudioFrame(Buffer.from([2, ...wire.subarray(1)]))).toMatchObject({ ok: false, message: 'audio frame version 2 is not 1' });
  });
});
