/** The 12-byte header in front of every native binary frame (docs/native-protocol.md); integers big-endian. */
export const HEADER_BYTES = 12;
export const FRAME_VERSION = 1;

export interface NativeFrame {
  /** From the adapter: 0 agent, 1 customer. From the server: the injection target, 0 agent, 1 customer, 2 both. */
  channel: number;
  flags: number;
  seq: number;
  timestampMs: number;
  payload: Buffer;
}

export type FrameResult = { ok: true; frame: NativeFrame } | { ok: false; message: string };

export function decodeFrame(buf: Buffer): FrameResult {
  if (buf.length < HEADER_BYTES) return { ok: false, message: `frame of ${buf.length} bytes is shorter than the 12-byte header` };
  const version = buf.readUInt8(0);
  if (version !== FRAME_VERSION) return { ok: false, message: `frame version ${version} is not ${FRAME_VERSION}` };
  return {
    ok: true,
    frame: {
      channel: buf.readUInt8(1), flags: buf.readUInt16BE(2), seq: buf.readUInt32BE(4), timestampMs: buf.readUInt32BE(8),
      payload: buf.subarray(HEADER_BYTES),
    },
  };
}

export function encodeFrame(channel: number, seq: number, timestampMs: number, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  out.writeUInt8(FRAME_VERSION, 0);
  out.writeUInt8(channel, 1);
  out.writeUInt16BE(0, 2);
  out.writeUInt32BE(seq >>> 0, 4);
  out.writeUInt32BE(Math.round(timestampMs) >>> 0, 8);
  out.set(payload, HEADER_BYTES);
  return out;
}
