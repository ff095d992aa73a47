/**
 * A minimal protobuf encoder: enough to write ONNX models by hand in tests (no protobuf dependency,
 * no Python). Each helper returns the bytes of one field; `concat` joins fields into a message body.
 */
const encoder = new TextEncoder();

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

/** Base-128 varint; negative numbers as 64-bit two's complement (10 bytes), as protobuf does for int64. */
export function varintBytes(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Uint8Array.from(out);
}

const key = (field: number, wire: 0 | 2 | 5) => varintBytes((field << 3) | wire);

export const pb = {
  varint: (field: number, value: number | bigint) => concat(key(field, 0), varintBytes(value)),
  bytes: (field: number, value: Uint8Array) => concat(key(field, 2), varintBytes(value.length), value),
  string: (field: number, value: string) => pb.bytes(field, encoder.encode(value)),
  message: (field: number, ...body: Uint8Array[]) => pb.bytes(field, concat(...body)),
  float: (field: number, value: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    return concat(key(field, 5), b);
  },
  packedVarints: (field: number, values: readonly (number | bigint)[]) => pb.bytes(field, concat(...values.map(varintBytes))),
};
