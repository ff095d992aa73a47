import { readFile } from 'node:fs/promises';
import { decodeALaw, decodeMuLaw, deinterleaveStereo, parseWav } from '../../audio/index.js';
import { ValidationError } from '../../core/index.js';
import type { MonoAs, PcmInput } from './types.js';

const WAVE_FORMAT_ALAW = 6;
const WAVE_FORMAT_MULAW = 7;

/**
 * Reads a call recording: 16-bit PCM WAV at any rate, or G.711 μ-law/A-law WAV, mono or stereo.
 * Stereo: left = agent, right = customer. Mono: the customer's side unless `monoAs` says otherwise.
 */
export async function loadCallAudio(path: string, opts: { monoAs?: MonoAs } = {}): Promise<PcmInput> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ValidationError(code === 'ENOENT' ? `audio file not found: ${path}` : `cannot read ${path}: ${(err as Error).message}`, 'file', { cause: err });
  }
  return decodeCallAudio(buf, path, opts.monoAs ?? 'customer');
}

export function decodeCallAudio(buf: Buffer, name: string, monoAs: MonoAs = 'customer'): PcmInput {
  let rate: number;
  let channels: number;
  let interleaved: Int16Array;
  try {
    const g711 = g711Wav(buf);
    if (g711) ({ rate, channels, samples: interleaved } = g711);
    else ({ rate, channels, samples: interleaved } = parseWav(buf));
  } catch (err) {
    throw new ValidationError(`unreadable audio in ${name}: ${(err as Error).message}`, 'file', { cause: err });
  }
  if (interleaved.length === 0) throw new ValidationError(`no audio in ${name}`, 'file');
  if (channels === 1) {
    return {
      rate,
      ...(monoAs !== 'customer' ? { agent: interleaved } : {}),
      ...(monoAs !== 'agent' ? { customer: interleaved } : {}),
    };
  }
  const { left, right } = deinterleaveStereo(interleaved);
  return { rate, agent: left, customer: right };
}

/** Decodes a WAV whose fmt tag is μ-law (7) or A-law (6); undefined for any other WAV. */
function g711Wav(buf: Buffer): { rate: number; channels: number; samples: Int16Array } | undefined {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let fmt: { tag: number; channels: number; rate: number } | undefined;
  for (let at = 12; at + 8 <= buf.length;) {
    const id = buf.toString('latin1', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ' && size >= 16) {
      fmt = { tag: buf.readUInt16LE(body), channels: buf.readUInt16LE(body + 2), rate: buf.readUInt32LE(body + 4) };
      if (fmt.tag !== WAVE_FORMAT_MULAW && fmt.tag !== WAVE_FORMAT_ALAW) return undefined;
      if (fmt.channels !== 1 && fmt.channels !== 2) throw new ValidationError(`unsupported channel count ${fmt.channels}`, 'wav.channels');
    } else if (id === 'data' && fmt) {
      const end = Math.min(buf.length, body + size);
      const bytes = buf.subarray(body, end - ((end - body) % fmt.channels));
      return { rate: fmt.rate, channels: fmt.channels, samples: fmt.tag === WAVE_FORMAT_MULAW ? decodeMuLaw(bytes) : decodeALaw(bytes) };
    }
    at = body + size + (size & 1);
  }
  return undefined;
}
