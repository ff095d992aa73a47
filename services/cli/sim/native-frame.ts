import { ProtocolError } from '../../core/index.js';

/** Size of the header in front of every native binary frame (docs/native-protocol.md). */
export const NATIVE_HEADER_BYTES = 12;
export const NATIVE_VERSION = 1;

/** Channel byte: 0 agent, 1 customer (from the adapter); 0 agent, 1 customer, 2 both (injection targets from the server). */
export interface NativeFrame {
  channel: number;
  flags: number;
  seq: number;
  timestampMs: number;
  payload: Buffer;
}

/** Header and payload in one buffer, ready to send. */
export function encodeNativeFrame(frame: { channel: number; seq: number; timestampMs: number; payload: Uint8Array; flags?: number }): Buffer {
  const out = Buffer.allocUnsafe(NATIVE_HEADER_BYTES + frame.payload.length);
  out.writeUInt8(NATIVE_VERSION, 0);
  out.writeUInt8(frame.channel, 1);
  out.writeUInt16BE(frame.flags ?? 0, 2);
  out.writeUInt32BE(frame.seq >>> 0, 4);
  out.writeUInt32BE(Math.round(frame.timestampMs) >>> 0, 8);
  out.set(frame.payload, NATIVE_HEADER_BYTES);
  return out;
}

/** Parses a native binary frame; the payload is a view into `buf`. */
export function decodeNativeFrame(buf: Buffer): NativeFrame {
  if (buf.length < NATIVE_HEADER_BYTES) throw new ProtocolError(`native frame of ${buf.length} bytes is shorter than its header`, 1002);
  const version = buf.readUInt8(0);
  if (version !== NATIVE_VERSION) throw new ProtocolError(`native frame version ${version} is not ${NATIVE_VERSION}`, 1002);
  return {
    channel: buf.readUInt8(1),
    flags: buf.readUInt16BE(2),
    seq: buf.readUInt32BE(4),
    timestampMs: buf.readUInt32BE(8),
    payload: buf.subarray(NATIVE_HEADER_BYTES),
  };
}
