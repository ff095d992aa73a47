import { createRequire } from 'node:module';
import { EngineError, ValidationError } from '../core/index.js';

type NativeOpus = typeof import('@discordjs/opus');
type NativeCodec = InstanceType<NativeOpus['OpusEncoder']>;

/** Sample rates libopus accepts. */
export type OpusRate = 8000 | 12000 | 16000 | 24000 | 48000;
const OPUS_RATES: readonly number[] = [8000, 12000, 16000, 24000, 48000];
/** Frame durations Opus can encode, in tenths of a millisecond (2.5 … 60 ms). */
const FRAME_TENTHS_MS = [25, 50, 100, 200, 400, 600];

const OPUS_SET_APPLICATION = 4000;
const OPUS_APPLICATION_VOIP = 2048;
const OPUS_APPLICATION_AUDIO = 2049;

export interface OpusEncoder {
  readonly rate: OpusRate;
  readonly channels: 1 | 2;
  /** Samples per channel in a 20 ms frame, the usual packet size. */
  readonly frameSamples: number;
  /** Encodes exactly one frame (2.5, 5, 10, 20, 40 or 60 ms; interleaved when stereo) into one packet. */
  encode(pcm: Int16Array): Buffer;
}

export interface OpusDecoder {
  readonly rate: OpusRate;
  readonly channels: 1 | 2;
  /** Decodes one packet; interleaved when stereo. Throws ValidationError on a corrupt packet. */
  decode(packet: Uint8Array): Int16Array;
}

let native: NativeOpus | undefined;
function loadNative(): NativeOpus {
  try {
    native ??= createRequire(import.meta.url)('@discordjs/opus') as NativeOpus;
    return native;
  } catch (err) {
    throw new EngineError('the Opus codec (@discordjs/opus) could not be loaded', false, { cause: err });
  }
}

function checkParams(rate: number, channels: number): asserts rate is OpusRate {
  if (!OPUS_RATES.includes(rate)) throw new ValidationError(`Opus does not support ${rate} Hz (use ${OPUS_RATES.join(', ')})`, 'opus.rate');
  if (channels !== 1 && channels !== 2) throw new ValidationError(`Opus channels must be 1 or 2, got ${channels}`, 'opus.channels');
}

function newCodec(rate: number, channels: number): NativeCodec {
  try {
    return new (loadNative().OpusEncoder)(rate, channels);
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw new EngineError('could not create an Opus codec', false, { cause: err });
  }
}

/** Creates an Opus encoder (VoIP application: tuned for speech). `bitrate` is in bits per second. */
export function createOpusEncoder(
  rate: number, channels: number, bitrate?: number, application: 'voip' | 'audio' = 'voip',
): OpusEncoder {
  checkParams(rate, channels);
  const codec = newCodec(rate, channels);
  try {
    codec.applyEncoderCTL(OPUS_SET_APPLICATION, application === 'voip' ? OPUS_APPLICATION_VOIP : OPUS_APPLICATION_AUDIO);
    if (bitrate !== undefined) codec.setBitrate(bitrate);
  } catch (err) {
    throw new ValidationError(`invalid Opus encoder setting (bitrate ${String(bitrate)})`, 'opus.bitrate', { cause: err });
  }
  const validLengths = new Set(FRAME_TENTHS_MS.map((t) => ((rate * t) / 10000) * channels));
  return {
    rate, channels: channels as 1 | 2, frameSamples: rate / 50,
    encode(pcm) {
      // libopus infers the frame size from the length; anything else makes the binding read past its buffer.
      if (!validLengths.has(pcm.length)) {
        throw new ValidationError(
          `Opus frames must be 2.5–60 ms (e.g. ${(rate / 50) * channels} samples for 20 ms), got ${pcm.length}`, 'opus.frame',
        );
      }
      try {
        return codec.encode(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
      } catch (err) {
        throw new EngineError('Opus encoding failed', false, { cause: err });
      }
    },
  };
}

/** Creates an Opus decoder producing 16-bit PCM at `rate` (Opus resamples internally). */
export function createOpusDecoder(rate: number, channels: number): OpusDecoder {
  checkParams(rate, channels);
  const codec = newCodec(rate, channels);
  return {
    rate, channels: channels as 1 | 2,
    decode(packet) {
      // An empty packet would make libopus conceal a loss instead of failing.
      if (packet.length === 0) throw new ValidationError('empty Opus packet', 'opus.packet');
      let out: Buffer;
      try {
        const buf = Buffer.isBuffer(packet) ? packet : Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
        out = codec.decode(buf);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (/corrupt|invalid|out of range|too small/i.test(message)) {
          throw new ValidationError(`corrupt Opus packet (${packet.length} bytes): ${message}`, 'opus.packet', { cause: err });
        }
        throw new EngineError(`Opus decoding failed: ${message}`, false, { cause: err });
      }
      if (out.byteOffset === 0 && out.buffer.byteLength === out.length) return new Int16Array(out.buffer, 0, out.length >> 1);
      return new Int16Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.length));
    },
  };
}
