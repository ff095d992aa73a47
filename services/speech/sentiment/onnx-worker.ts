import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import type { OnnxReply, OnnxRequest, OnnxWorkerData } from './onnx-protocol.js';

/**
 * Runs one ONNX session off the main thread. onnxruntime-node's `session.run` executes synchronously on
 * the calling thread (it only defers the start with setImmediate), so it must not run on the event loop.
 */
const port = parentPort;
if (!port) throw new Error('onnx-worker must run in a worker thread');
const { modelPath, threads } = workerData as OnnxWorkerData;
const post = (reply: OnnxReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

async function main(messagePort: NonNullable<typeof parentPort>): Promise<void> {
  const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: threads, interOpNumThreads: 1 });
  const output = session.outputNames[0];
  messagePort.on('message', (req: OnnxRequest) => {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, f] of Object.entries(req.feeds)) feeds[name] = new ort.Tensor(f.type, f.data, f.dims);
    session.run(feeds, [output]).then((out) => {
      const t = out[output];
      const data = Float32Array.from(t.data as Float32Array);
      post({ type: 'result', id: req.id, data, dims: [...t.dims] }, [data.buffer]);
    }, (err: unknown) => post({ type: 'failed', id: req.id, message: err instanceof Error ? err.message : String(err) }));
  });
  post({
    type: 'ready',
    inputs: session.inputMetadata.map((m) => ({ name: m.name, type: m.isTensor ? m.type : 'non-tensor' })),
    outputs: [...session.outputNames],
  });
}

main(port).catch((err: unknown) => {
  post({ type: 'failed', id: null, message: err instanceof Error ? err.message : String(err) });
});
