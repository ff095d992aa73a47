import {
  createOpusDecoder, createOpusEncoder, decodeALaw, decodeL16, decodeMuLaw, encodeALaw, encodeL16, encodeMuLaw,
  interleaveStereo, resample, wavHeader,
} from '../../audio/index.js';
import { ValidationError } from '../../core/index.js';
import type { PreparedMedia } from './connection.js';
import type { Channel, PcmInput, SimCodec } from './types.js';

/** Codec/rate pairs the native protocol allows. */
export const NATIVE_FORMATS: readonly { codec: SimCodec; rate: number }[] = [
  { codec: 'PCMU', rate: 8000 }, { codec: 'PCMA', rate: 8000 }, { codec: 'L16', rate: 8000 },
  { codec: 'L16', rate: 16000 }, { codec: 'OPUS', rate: 48000 },
];

export function checkFormat(codec: SimCodec, rate: number): void {
  if (!NATIVE_FORMATS.some((f) => f.codec === codec && f.rate === rate)) {
    const allowed = NATIVE_FORMATS.map((f) => `${f.codec}/${f.rate}`).join(', ');
    throw new ValidationError(`${codec}/${rate} is not a supported codec and rate (use ${allowed})`, 'codec');
  }
}

/** Decodes one payload of `codec` at `rate` to mono PCM (injected audio). */
export function createPayloadDecoder(codec: SimCodec, rate: number): (payload: Uint8Array) => Int16Array {
  switch (codec) {
    case 'PCMU': return (p) => decodeMuLaw(p);
    case 'PCMA': return (p) => decodeALaw(p);
    case 'L16': return (p) => decodeL16(p, 'le');
    case 'OPUS': {
      const dec = createOpusDecoder(rate, 1);
      return (p) => dec.decode(p);
    }
    default: {
      const never: never = codec;
      throw new ValidationError(`unknown codec ${String(never)}`, 'codec');
    }
  }
}

/**
 * Resamples each channel to `rate`, cuts it into `frameMs` frames (the last one padded with silence) and encodes every
 * frame. Done once before streaming so encoding never delays the schedule; the result can be shared by many calls.
 */
export function prepareMedia(input: PcmInput, codec: SimCodec, rate: number, frameMs = 20): PreparedMedia {
  checkFormat(codec, rate);
  const frameSamples = (rate * frameMs) / 1000;
  if (!Number.isInteger(frameSamples)) throw new ValidationError(`${frameMs} ms is not a whole number of samples at ${rate} Hz`, 'frameMs');
  const channels = (['agent', 'customer'] as const).filter((c) => input[c]);
  if (channels.length === 0) throw new ValidationError('no audio channels to stream', 'input');
  const resampled: Partial<Record<Channel, Int16Array>> = {};
  for (const c of channels) resampled[c] = input.rate === rate ? input[c]! : resample(input[c]!, input.rate, rate);
  const longest = Math.max(...channels.map((c) => resampled[c]!.length));
  const frameCount = Math.ceil(longest / frameSamples);
  const frames: PreparedMedia['frames'] = {};
  for (const c of channels) {
    const pcm = new Int16Array(frameCount * frameSamples);
    pcm.set(resampled[c]!);
    const encode = frameEncoder(codec, rate);
    const list: Uint8Array[] = new Array<Uint8Array>(frameCount);
    for (let k = 0; k < frameCount; k++) list[k] = encode(pcm.subarray(k * frameSamples, (k + 1) * frameSamples));
    frames[c] = list;
  }
  return { codec, rate, frameMs, frameCount, frames };
}

function frameEncoder(codec: SimCodec, rate: number): (pcm: Int16Array) => Uint8Array {
  switch (codec) {
    case 'PCMU': return (pcm) => encodeMuLaw(pcm);
    case 'PCMA': return (pcm) => encodeALaw(pcm);
    case 'L16': return (pcm) => encodeL16(pcm, 'le');
    case 'OPUS': {
      const enc = createOpusEncoder(rate, 1);
      return (pcm) => enc.encode(pcm.slice());
    }
    default: {
      const never: never = codec;
      throw new ValidationError(`unknown codec ${String(never)}`, 'codec');
    }
  }
}

/** A 16-bit PCM WAV file: one channel, or two interleaved as left/right. */
export function encodeWav(channels: Int16Array[], rate: number): Buffer {
  const pcm = channels.length === 2 ? interleaveStereo(channels[0], channels[1]) : channels[0];
  const data = encodeL16(pcm, 'le');
  return Buffer.concat([wavHeader({ rate, channels: channels.length, dataBytes: data.length }), data]);
}
