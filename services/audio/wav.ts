import { readFileSync } from 'node:fs';
import { ValidationError } from '../core/index.js';
import { deinterleaveStereo } from './mix.js';

/** Size of the canonical header `wavHeader` writes; the data chunk starts here. */
export const WAV_HEADER_BYTES = 44;
/** Largest data size a RIFF header can state. */
export const WAV_MAX_DATA_BYTES = 0xffffffff - 36;

export interface WavFormat {
  rate: number;
  channels: number;
}

export interface ParsedWav extends WavFormat {
  bitsPerSample: 16;
  /** Byte offset of the sample data in the buffer. */
  dataOffset: number;
  /** Bytes of sample data used (whole frames). */
  dataBytes: number;
  /** Sample frames (samples per channel). */
  frames: number;
  /** Interleaved samples (a copy). */
  samples: Int16Array;
}

export interface ParseWavOptions {
  /** Accept a data chunk that claims more bytes than the buffer holds (a file still being written): use what is there. */
  allowTruncated?: boolean;
}

/**
 * A canonical 44-byte PCM 16-bit WAV header. Pass `into` (≥ 44 bytes) to rewrite a header without allocating.
 * Sizes beyond what RIFF can state are clamped to the maximum.
 */
export function wavHeader(format: WavFormat & { dataBytes: number }, into?: Buffer): Buffer {
  const { rate, channels } = format;
  const dataBytes = Math.min(Math.max(0, format.dataBytes), WAV_MAX_DATA_BYTES);
  const h = into ?? Buffer.alloc(WAV_HEADER_BYTES);
  const blockAlign = channels * 2;
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * blockAlign, 28);
  h.writeUInt16LE(blockAlign, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

function bad(message: string, path: string): never {
  throw new ValidationError(`invalid WAV: ${message}`, `wav.${path}`);
}

interface FmtChunk { format: number; channels: number; rate: number; blockAlign: number; bits: number }

function parseFmt(buf: Buffer, at: number, size: number): FmtChunk {
  if (size < 16) bad(`fmt chunk is ${size} bytes (need 16)`, 'fmt');
  let format = buf.readUInt16LE(at);
  const fmt: FmtChunk = {
    format, channels: buf.readUInt16LE(at + 2), rate: buf.readUInt32LE(at + 4),
    blockAlign: buf.readUInt16LE(at + 12), bits: buf.readUInt16LE(at + 14),
  };
  if (format === 0xfffe) {
    if (size < 40) bad('WAVE_FORMAT_EXTENSIBLE fmt chunk is too short', 'fmt');
    format = buf.readUInt16LE(at + 24); // first two bytes of the sub-format GUID
    fmt.format = format;
  }
  if (format !== 1) bad(`unsupported encoding (format tag ${format}); only PCM is supported`, 'format');
  if (fmt.bits !== 16) bad(`unsupported sample size ${fmt.bits} bits; only 16-bit PCM is supported`, 'bitsPerSample');
  if (fmt.channels !== 1 && fmt.channels !== 2) bad(`unsupported channel count ${fmt.channels}; only mono and stereo`, 'channels');
  if (fmt.rate === 0) bad('sample rate is 0', 'rate');
  if (fmt.blockAlign !== fmt.channels * 2) bad(`block align ${fmt.blockAlign} does not match ${fmt.channels} channel(s) of 16 bits`, 'blockAlign');
  return fmt;
}

/** Parses a PCM 16-bit mono/stereo WAV at any rate. Throws ValidationError (path `wav.*`) on corrupt or unsupported input. */
export function parseWav(input: Uint8Array, opts: ParseWavOptions = {}): ParsedWav {
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (buf.length < 12) bad(`only ${buf.length} bytes`, 'header');
  if (buf.toString('ascii', 0, 4) !== 'RIFF') bad(`not a RIFF file (starts with ${JSON.stringify(buf.toString('latin1', 0, 4))})`, 'header');
  if (buf.toString('ascii', 8, 12) !== 'WAVE') bad('RIFF type is not WAVE', 'header');
  let fmt: FmtChunk | undefined;
  let at = 12;
  while (at + 8 <= buf.length) {
    const id = buf.toString('latin1', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'data') {
      if (!fmt) bad('data chunk before fmt chunk', 'fmt');
      let bytes = size;
      if (body + size > buf.length) {
        if (!opts.allowTruncated) bad(`data chunk claims ${size} bytes but only ${buf.length - body} follow (truncated file)`, 'data');
        bytes = buf.length - body;
      }
      if (bytes % fmt.blockAlign !== 0) {
        if (!opts.allowTruncated) bad(`data size ${bytes} is not a whole number of ${fmt.blockAlign}-byte frames`, 'data');
        bytes -= bytes % fmt.blockAlign;
      }
      const samples = new Int16Array(bytes / 2);
      for (let i = 0, j = body; i < samples.length; i++, j += 2) samples[i] = buf[j] | (buf[j + 1] << 8);
      return {
        rate: fmt.rate, channels: fmt.channels, bitsPerSample: 16, dataOffset: body, dataBytes: bytes,
        frames: bytes / fmt.blockAlign, samples,
      };
    }
    if (body + size > buf.length) bad(`${JSON.stringify(id)} chunk claims ${size} bytes past the end of the file`, 'chunk');
    if (id === 'fmt ') fmt = parseFmt(buf, body, size);
    at = body + size + (size & 1);
  }
  return bad(fmt ? 'no data chunk' : 'no fmt chunk', fmt ? 'data' : 'fmt');
}

export interface WavSamples {
  rate: number;
  channels: number;
  /** Left channel (the only one for mono). */
  left: Int16Array;
  /** Right channel (the same array as `left` for mono). */
  right: Int16Array;
}

/** Reads a WAV file's samples per channel (synchronous: for tests and tools, not the call path). */
export function readWavSamples(path: string, opts: ParseWavOptions = {}): WavSamples {
  const wav = parseWav(readFileSync(path), opts);
  if (wav.channels === 1) return { rate: wav.rate, channels: 1, left: wav.samples, right: wav.samples };
  const { left, right } = deinterleaveStereo(wav.samples);
  return { rate: wav.rate, channels: 2, left, right };
}
