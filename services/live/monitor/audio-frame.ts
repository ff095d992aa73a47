import type { ListenStream } from './types.js';

/**
 * The 12-byte header in front of every binary supervisor message (docs/supervisor-protocol.md), big-endian like the
 * native tap's: version u8 (1), stream u8, flags u16 (0), seq u32, timestamp ms u32, then one Opus packet.
 */
export const AUDIO_HEADER_BYTES = 12;
export const AUDIO_FRAME_VERSION = 1;

/** Stream ids: listen streams from the server; the supervisor's microphone toward the server. */
export const STREAM_ID: Record<ListenStream | 'microphone', number> = { mixed: 0, agent: 1, customer: 2, microphone: 16 };

export interface SupervisorAudioFrame {
  stream: number;
  seq: number;
  timestampMs: number;
  payload: Buffer;
}

export function encodeAudioFrame(stream: number, seq: number, timestampMs: number, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(AUDIO_HEADER_BYTES + payload.length);
  out.writeUInt8(AUDIO_FRAME_VERSION, 0);
  out.writeUInt8(stream, 1);
  out.writeUInt16BE(0, 2);
  out.writeUInt32BE(seq >>> 0, 4);
  out.writeUInt32BE(Math.round(timestampMs) >>> 0, 8);
  out.set(payload, AUDIO_HEADER_BYTES);
  return out;
}

export type DecodedAudioFrame = { ok: true; frame: SupervisorAudioFrame } | { ok: false; message: string };

export function decodeAudioFrame(buf: Buffer): DecodedAudioFrame {
  if (buf.length <= AUDIO_HEADER_BYTES) return { ok: false, message: `audio message of ${buf.length} bytes has no payload after the 12-byte header` };
  const version = buf.readUInt8(0);
  if (version !== AUDIO_FRAME_VERSION) return { ok: false, message: `audio frame version ${version} is not ${AUDIO_FRAME_VERSION}` };
  return {
    ok: true,
    frame: { stream: buf.readUInt8(1), seq: buf.readUInt32BE(4), timestampMs: buf.readUInt32BE(8), payload: buf.subarray(AUDIO_HEADER_BYTES) },
  };
}
