import { concat, pb } from './protobuf-writer.js';

/** ONNX TensorProto.DataType values used here. */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

/** TensorProto with little-endian raw_data. */
export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): Uint8Array {
  const data = new Float32Array(values);
  return concat(
    ...dims.map((d) => pb.varint(1, d)),
    pb.varint(2, ONNX_FLOAT),
    pb.string(8, name),
    pb.bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
  );
}

export function int64Tensor(name: string, dims: number[], values: readonly number[]): Uint8Array {
  const data = BigInt64Array.from(values.map(BigInt));
  return concat(...dims.map((d) => pb.varint(1, d)), pb.varint(2, ONNX_INT64), pb.string(8, name), pb.bytes(9, new Uint8Array(data.buffer)));
}

/** ValueInfoProto for a tensor; string dims are symbolic (dim_param). */
export function valueInfo(name: string, elemType: number, dims: (number | string)[]): Uint8Array {
  const shape = concat(...dims.map((d) => pb.message(1, typeof d === 'number' ? pb.varint(1, d) : pb.string(2, d))));
  return concat(pb.string(1, name), pb.message(2, pb.message(1, pb.varint(1, elemType), pb.message(2, shape))));
}

export type Attribute = { name: string; int: number } | { name: string; ints: number[] };

/** AttributeProto (INT = 2, INTS = 7). */
function attribute(a: Attribute): Uint8Array {
  return 'int' in a
    ? concat(pb.string(1, a.name), pb.varint(3, a.int), pb.varint(20, 2))
    : concat(pb.string(1, a.name), ...a.ints.map((i) => pb.varint(8, i)), pb.varint(20, 7));
}

export function node(opType: string, inputs: string[], outputs: string[], attributes: Attribute[] = []): Uint8Array {
  return concat(
    ...inputs.map((i) => pb.string(1, i)),
    ...outputs.map((o) => pb.string(2, o)),
    pb.string(3, `${opType}_${outputs[0]}`),
    pb.string(4, opType),
    ...attributes.map((a) => pb.message(5, attribute(a))),
  );
}

export interface GraphSpec {
  nodes: Uint8Array[];
  initializers: Uint8Array[];
  inputs: Uint8Array[];
  outputs: Uint8Array[];
  opset?: number;
}

/** ModelProto (IR version 8) with one graph and the default-domain opset. */
export function model(g: GraphSpec): Uint8Array {
  const graph = concat(
    ...g.nodes.map((n) => pb.message(1, n)),
    pb.string(2, 'graph'),
    ...g.initializers.map((t) => pb.message(5, t)),
    ...g.inputs.map((v) => pb.message(11, v)),
    ...g.outputs.map((v) => pb.message(12, v)),
  );
  return concat(
    pb.varint(1, 8),
    pb.string(2, 'callsight-test'),
    pb.message(7, graph),
    pb.message(8, pb.string(1, ''), pb.varint(2, g.opset ?? 13)),
  );
}
