/** The 12-byte big-endian header of supervisor audio frames (docs/supervisor-protocol.md, "Audio frames"). */
export const HEADER_BYTES = 12;
export const MICROPHONE_STREAM = 16;

export interface AudioFrameHeader {
  stream: number;
  seq: number;
  timestampMs: number;
}

export function parseFrame(data: ArrayBuffer): (AudioFrameHeader & { payload: Uint8Array }) | undefined {
  if (data.byteLength <= HEADER_BYTES) return undefined;
  const view = new DataView(data);
  if (view.getUint8(0) !== 1) return undefined;
  return { stream: view.getUint8(1), seq: view.getUint32(4), timestampMs: view.getUint32(8), payload: new Uint8Array(data, HEADER_BYTES) };
}

export function buildFrame(header: AudioFrameHeader, payload: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(HEADER_BYTES + payload.byteLength);
  const view = new DataView(out);
  view.setUint8(0, 1);
  view.setUint8(1, header.stream);
  view.setUint16(2, 0);
  view.setUint32(4, header.seq >>> 0);
  view.setUint32(8, header.timestampMs >>> 0);
  new Uint8Array(out, HEADER_BYTES).set(payload);
  return out;
}
