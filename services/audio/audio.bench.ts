/** Throughput of the hot paths: `npx vitest bench --run services/audio`. Each iteration handles one second of audio. */
import { bench, describe } from 'vitest';
import { decodeMuLaw, encodeMuLaw } from './g711.js';
import { sine } from './goertzel.js';
import { decodeL16 } from './l16.js';
import { interleaveStereo } from './mix.js';
import { createOpusEncoder } from './opus.js';
import { createResampler } from './resampler.js';

const pcm8k = sine(8000, 440, 8000, 8000);
const pcm48k = sine(48000, 440, 48000, 8000);
const ulaw = encodeMuLaw(pcm8k);
const outPcm = new Int16Array(8000);
const outBytes = new Uint8Array(8000);
const l16 = Buffer.from(pcm8k.buffer);

describe('codecs (1 s at 8 kHz per iteration)', () => {
  bench('μ-law decode', () => { decodeMuLaw(ulaw, outPcm); });
  bench('μ-law encode', () => { encodeMuLaw(pcm8k, outBytes); });
  bench('L16 decode (le)', () => { decodeL16(l16, 'le'); });
  bench('L16 decode (be)', () => { decodeL16(l16, 'be'); });
  bench('interleave stereo', () => { interleaveStereo(pcm8k, pcm8k); });
});

describe('resampler (1 s of input in 20 ms chunks per iteration)', () => {
  for (const [from, to] of [[8000, 16000], [16000, 8000], [8000, 48000], [48000, 16000], [48000, 8000]] as const) {
    const r = createResampler(from, to);
    const input = from === 48000 ? pcm48k : sine(from, 440, from, 8000);
    const step = from / 50;
    bench(`${from} → ${to}`, () => {
      for (let at = 0; at < input.length; at += step) r.process(input.subarray(at, at + step));
    });
  }
});

describe('opus (1 s at 48 kHz mono per iteration)', () => {
  const enc = createOpusEncoder(48000, 1, 32000);
  bench('encode 20 ms frames', () => {
    for (let at = 0; at < pcm48k.length; at += 960) enc.encode(pcm48k.subarray(at, at + 960));
  });
});
