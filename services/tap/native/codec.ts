import {
  createOpusDecoder, createOpusEncoder, decodeALaw, decodeL16, decodeMuLaw, encodeALaw, encodeL16, encodeMuLaw,
  type OpusDecoder,
} from '../../audio/index.js';
import type { Channel, SampleRate } from '../../calls/index.js';

export type NativeCodecName = 'PCMU' | 'PCMA' | 'L16' | 'OPUS';

/** Codec and rate pairs the native protocol carries. */
export const SUPPORTED_FORMATS: Record<NativeCodecName, readonly SampleRate[]> = {
  PCMU: [8000], PCMA: [8000], L16: [8000, 16000], OPUS: [48000],
};

export interface FrameEncoder {
  /** Encodes exactly one frame of up to 20 ms (Opus: exactly 20 ms). */
  encode(pcm: Int16Array): Uint8Array;
}

export interface NativeCodec {
  readonly name: NativeCodecName;
  readonly rate: SampleRate;
  /** Samples in a 20 ms frame. */
  readonly frameSamples: number;
  /** Whether a partial last frame must be padded to a whole frame (Opus). */
  readonly wholeFrames: boolean;
  /** Payload → PCM. Throws ValidationError on a malformed payload. Opus keeps decoder state per channel. */
  decode(channel: Channel, payload: Uint8Array): Int16Array;
  /** A new encoder for one injection stream. */
  encoder(): FrameEncoder;
}

export const isSupported = (codec: string, rate: number): codec is NativeCodecName =>
  Object.hasOwn(SUPPORTED_FORMATS, codec) && (SUPPORTED_FORMATS[codec as NativeCodecName] as readonly number[]).includes(rate);

/** The call's codec through services/audio. Creating an Opus codec fails with EngineError when libopus is missing. */
export function createNativeCodec(name: NativeCodecName, rate: SampleRate): NativeCodec {
  const base = { name, rate, frameSamples: rate / 50, wholeFrames: name === 'OPUS' };
  switch (name) {
    case 'PCMU': return { ...base, decode: (_c, p) => decodeMuLaw(p), encoder: () => ({ encode: (pcm) => encodeMuLaw(pcm) }) };
    case 'PCMA': return { ...base, decode: (_c, p) => decodeALaw(p), encoder: () => ({ encode: (pcm) => encodeALaw(pcm) }) };
    case 'L16': return { ...base, decode: (_c, p) => decodeL16(p, 'le'), encoder: () => ({ encode: (pcm) => encodeL16(pcm, 'le') }) };
    case 'OPUS': {
      const decoders: Record<Channel, OpusDecoder> = { agent: createOpusDecoder(rate, 1), customer: createOpusDecoder(rate, 1) };
      return {
        ...base,
        decode: (channel, p) => decoders[channel].decode(p),
        encoder: () => {
          const enc = createOpusEncoder(rate, 1);
          return { encode: (pcm) => enc.encode(pcm) };
        },
      };
    }
  }
}
