/** Messages between the ONNX engine (main thread) and its worker (onnx-worker.ts). */
export interface OnnxWorkerData {
  modelPath: string;
  /** ONNX Runtime intra-op threads. */
  threads: number;
}

export type TensorType = 'int64' | 'int32';

export interface OnnxFeed {
  type: TensorType;
  data: BigInt64Array | Int32Array;
  dims: number[];
}

export type OnnxRequest = { type: 'run'; id: number; feeds: Record<string, OnnxFeed> };

export type OnnxReply =
  | { type: 'ready'; inputs: Array<{ name: string; type: string }>; outputs: string[] }
  | { type: 'result'; id: number; data: Float32Array; dims: number[] }
  | { type: 'failed'; id: number | null; message: string };
