import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { EngineError, ValidationError } from '../../core/index.js';
import type { SentimentLabel, SentimentScore } from '../types.js';
import type { OnnxFeed, OnnxReply, OnnxRequest, OnnxWorkerData } from './onnx-protocol.js';
import { normalizePersian } from './persian-normalize.js';
import { spawnModuleWorker } from './spawn-worker.js';
import type { SentimentEngine } from './types.js';
import { loadWordPieceTokenizer } from './wordpiece.js';

export interface OnnxSentimentOptions {
  /** `models/<name>/`: `model.onnx` plus `vocab.txt` or `tokenizer.json`, optionally `config.json`. */
  modelDir: string;
  languages: readonly string[];
  /** Engine name reported in scores (default `onnx`). */
  name?: string;
  /** Longest token sequence, [CLS]/[SEP] included (default 128). */
  maxTokens?: number;
  /** Text normalisation before tokenising: `persian` applies normalizePersian (default `none`). */
  preprocess?: 'none' | 'persian';
  /** Requests waiting for the worker before `score` fails fast with a retryable EngineError (default 64). */
  maxPending?: number;
  /** ONNX Runtime threads inside the worker (default 1). */
  threads?: number;
  /** For two-class models: |p(pos) − p(neg)| below this is labelled neutral (default 0.2). */
  neutralMargin?: number;
}

export interface OnnxSentimentEngine extends SentimentEngine {
  score(text: string, language?: string): Promise<SentimentScore>;
  close(): Promise<void>;
  /** The worker thread running the session (for diagnostics). */
  readonly threadId: number;
}

/** Maps `config.json` id2label names (NEGATIVE, neg, Neutral, POS, …) to our labels. */
function readLabels(dir: string): SentimentLabel[] | null {
  const path = join(dir, 'config.json');
  if (!existsSync(path)) return null;
  const { id2label } = JSON.parse(readFileSync(path, 'utf8')) as { id2label?: Record<string, string> };
  if (!id2label) return null;
  return Object.keys(id2label).sort((a, b) => Number(a) - Number(b)).map((k) => {
    const name = id2label[k].toLowerCase();
    if (name.startsWith('neg')) return 'negative';
    if (name.startsWith('neu')) return 'neutral';
    if (name.startsWith('pos')) return 'positive';
    throw new ValidationError(`${path}: label "${id2label[k]}" is not negative/neutral/positive`, 'config.json');
  });
}

const DEFAULT_LABELS: Record<number, SentimentLabel[]> = { 2: ['negative', 'positive'], 3: ['negative', 'neutral', 'positive'] };

function probabilities(values: Float32Array): number[] {
  const v = Array.from(values);
  const sum = v.reduce((a, b) => a + b, 0);
  if (v.every((x) => x >= 0 && x <= 1) && Math.abs(sum - 1) < 1e-3) return v;
  const max = Math.max(...v);
  const exps = v.map((x) => Math.exp(x - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/**
 * A transformer-style classifier on onnxruntime-node, in a worker thread (docs/sentiment.md, "ONNX").
 * Tokenising (microseconds) happens on the caller's thread; inference never does.
 */
export async function createOnnxSentimentEngine(o: OnnxSentimentOptions): Promise<OnnxSentimentEngine> {
  const modelPath = join(o.modelDir, 'model.onnx');
  if (!existsSync(modelPath)) throw new ValidationError(`${modelPath} not found`, 'modelDir');
  const tokenizer = loadWordPieceTokenizer(o.modelDir, o.maxTokens ? { maxTokens: o.maxTokens } : {});
  const configured = readLabels(o.modelDir);
  const name = o.name ?? 'onnx';
  const maxPending = o.maxPending ?? 64;
  const margin = o.neutralMargin ?? 0.2;
  const prepare = o.preprocess === 'persian' ? normalizePersian : (t: string) => t;

  const worker: Worker = spawnModuleWorker(import.meta.url, 'onnx-worker', { modelPath, threads: o.threads ?? 1 } satisfies OnnxWorkerData);
  const pending = new Map<number, { resolve: (r: SentimentScore) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let dead: Error | null = null;

  const fail = (err: Error) => {
    dead ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  const ready = await new Promise<Extract<OnnxReply, { type: 'ready' }>>((resolve, reject) => {
    worker.once('message', (m: OnnxReply) => (m.type === 'ready' ? resolve(m) : reject(new EngineError(`onnx model failed to load: ${m.type === 'failed' ? m.message : m.type}`, false))));
    worker.once('error', (err) => reject(new EngineError('onnx worker failed to start', false, { cause: err })));
    worker.once('exit', (code) => reject(new EngineError(`onnx worker exited during start (${code})`, false)));
  }).catch(async (err: unknown) => {
    await worker.terminate();
    throw err;
  });

  const types = new Map(ready.inputs.map((i) => [i.name, i.type]));
  const unsupported = ready.inputs.filter((i) => !['input_ids', 'attention_mask', 'token_type_ids'].includes(i.name) || !['int64', 'int32'].includes(i.type));
  if (!types.has('input_ids') || unsupported.length > 0) {
    await worker.terminate();
    throw new ValidationError(`${modelPath}: inputs must be int64/int32 input_ids[, attention_mask, token_type_ids]; got ${JSON.stringify(ready.inputs)}`, 'modelDir');
  }

  function toScore(data: Float32Array): SentimentScore {
    const p = probabilities(data);
    const labels = configured ?? DEFAULT_LABELS[p.length];
    if (!labels || labels.length !== p.length) throw new EngineError(`${modelPath}: ${p.length} output classes, labels ${JSON.stringify(labels)}`, false);
    const prob = (l: SentimentLabel) => labels.reduce((acc, x, i) => acc + (x === l ? p[i] : 0), 0);
    const score = Math.max(-1, Math.min(1, prob('positive') - prob('negative')));
    let label: SentimentLabel;
    if (labels.includes('neutral')) label = labels[p.indexOf(Math.max(...p))];
    else label = Math.abs(score) < margin ? 'neutral' : score > 0 ? 'positive' : 'negative';
    return { score, label, engine: name };
  }

  worker.on('message', (m: OnnxReply) => {
    if (m.type === 'ready') return;
    if (m.type === 'failed' && m.id === null) return fail(new EngineError(`onnx worker failed: ${m.message}`, false));
    if (m.id === null) return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.type === 'failed') return p.reject(new EngineError(`onnx inference failed: ${m.message}`, true));
    try { p.resolve(toScore(m.data)); } catch (err) { p.reject(err as Error); }
  });
  worker.on('error', (err) => fail(new EngineError('onnx worker crashed', false, { cause: err })));
  worker.on('exit', (code) => fail(new EngineError(`onnx worker exited (${code})`, false)));

  function feed(ids: number[], fill?: number): OnnxFeed {
    const values = fill === undefined ? ids : ids.map(() => fill);
    const dims = [1, ids.length];
    return types.get('input_ids') === 'int32' ? { type: 'int32', data: Int32Array.from(values), dims } : { type: 'int64', data: BigInt64Array.from(values.map(BigInt)), dims };
  }

  return {
    name,
    languages: [...o.languages],
    threadId: worker.threadId,
    score(text) {
      if (dead) return Promise.reject(dead);
      if (pending.size >= maxPending) return Promise.reject(new EngineError(`onnx sentiment queue full (${maxPending})`, true));
      const ids = tokenizer.encode(prepare(text));
      const feeds: Record<string, OnnxFeed> = { input_ids: feed(ids) };
      if (types.has('attention_mask')) feeds.attention_mask = feed(ids, 1);
      if (types.has('token_type_ids')) feeds.token_type_ids = feed(ids, 0);
      const id = nextId++;
      return new Promise<SentimentScore>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        const req: OnnxRequest = { type: 'run', id, feeds };
        worker.postMessage(req, Object.values(feeds).map((f) => f.data.buffer as ArrayBuffer));
      });
    },
    async close() {
      if (dead) return;
      fail(new EngineError('onnx engine closed', false));
      await worker.terminate();
    },
  };
}
