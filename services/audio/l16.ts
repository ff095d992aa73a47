import { ValidationError } from '../core/index.js';

/** Byte order of linear 16-bit PCM: `le` (WAV, most taps) or `be` (RTP L16, RFC 3551). */
export type Endianness = 'le' | 'be';

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Linear 16-bit PCM bytes → samples (always a copy). Odd byte lengths are a ValidationError. */
export function decodeL16(bytes: Uint8Array, endian: Endianness = 'le'): Int16Array {
  if (bytes.length % 2 !== 0) {
    throw new ValidationError(`L16 payload has an odd length (${bytes.length} bytes)`, 'l16.length');
  }
  const n = bytes.length >> 1;
  if (endian === 'le' && HOST_LE && bytes.byteOffset % 2 === 0) {
    return new Int16Array(bytes.buffer, bytes.byteOffset, n).slice();
  }
  const out = new Int16Array(n);
  if (endian === 'le') {
    for (let i = 0, j = 0; i < n; i++, j += 2) out[i] = bytes[j] | (bytes[j + 1] << 8);
  } else {
    for (let i = 0, j = 0; i < n; i++, j += 2) out[i] = (bytes[j] << 8) | bytes[j + 1];
  }
  return out;
}

/** Samples → linear 16-bit PCM bytes in the given byte order. */
export function encodeL16(pcm: Int16Array, endian: Endianness = 'le'): Buffer {
  const n = pcm.length;
  if (endian === 'le' && HOST_LE) return Buffer.from(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + n * 2));
  const out = Buffer.allocUnsafe(n * 2);
  if (endian === 'le') {
    for (let i = 0, j = 0; i < n; i++, j += 2) {
      const s = pcm[i];
      out[j] = s & 0xff;
      out[j + 1] = (s >> 8) & 0xff;
    }
  } else {
    for (let i = 0, j = 0; i < n; i++, j += 2) {
      const s = pcm[i];
      out[j] = (s >> 8) & 0xff;
      out[j + 1] = s & 0xff;
    }
  }
  return out;
}
