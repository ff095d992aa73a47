import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { floatTensor, int64Tensor, model, node, ONNX_FLOAT, ONNX_INT64, valueInfo } from './onnx-builder.js';

/** WordPiece vocabulary of the tiny model: specials, words, and two continuation pieces. */
export const TINY_VOCAB = [
  '[PAD]', '[UNK]', '[CLS]', '[SEP]', 'the', 'service', 'was', 'is', 'call', 'my', 'i', 'want', 'to', '.', ',',
  'good', 'great', 'excellent', 'thanks', 'happy',
  'bad', 'awful', 'terrible', 'angry', 'cancel',
  '##est', '##ly',
];
const POSITIVE = new Set(['good', 'great', 'excellent', 'thanks', 'happy']);
const NEGATIVE = new Set(['bad', 'awful', 'terrible', 'angry', 'cancel']);

export interface TinyModelOptions {
  /** Also declare `attention_mask` and `token_type_ids` inputs, as BERT exports do. */
  bertInputs?: boolean;
  /** End in raw logits instead of Softmax probabilities. */
  logits?: boolean;
  /** Ship the vocabulary as a Hugging Face `tokenizer.json` instead of `vocab.txt`. */
  tokenizerJson?: boolean;
  /** Add a compute-heavy middle (repeated 512×512 MatMuls) so inference takes a noticeable time. */
  heavy?: { rows: number; layers: number };
  /** Write `config.json` with this `id2label`. */
  id2label?: string[];
}

/**
 * Writes `model.onnx` and a tokenizer file into `dir`: input_ids int64 [1, N] → Gather(embedding; each
 * word's row holds a fixed polarity over [negative, neutral, positive], special tokens zeros) →
 * ReduceMean over tokens → MatMul(identity) → Softmax. "good great" is positive, "bad awful" negative, "the service" neutral.
 */
export function writeTinySentimentModel(dir: string, o: TinyModelOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  const width = o.heavy ? 512 : 3;
  const embedding = new Float32Array(TINY_VOCAB.length * width);
  TINY_VOCAB.forEach((tok, row) => {
    if (tok.startsWith('[')) return; // special tokens carry nothing
    const cls = NEGATIVE.has(tok) ? 0 : POSITIVE.has(tok) ? 2 : 1;
    embedding[row * width + cls] = cls === 1 ? 1 : 8;
  });
  const initializers = [floatTensor('embedding', [TINY_VOCAB.length, width], embedding)];
  const nodes = [
    node('Gather', ['embedding', 'input_ids'], ['embedded'], [{ name: 'axis', int: 0 }]),
    node('ReduceMean', ['embedded'], ['pooled'], [{ name: 'axes', ints: [1] }, { name: 'keepdims', int: 0 }]),
  ];
  let last = 'pooled';
  if (o.heavy) {
    const identity = new Float32Array(width * width);
    for (let i = 0; i < width; i++) identity[i * width + i] = 1;
    initializers.push(floatTensor('square', [width, width], identity));
    initializers.push(int64Tensor('repeats', [2], [o.heavy.rows, 1]));
    nodes.push(node('Tile', ['pooled', 'repeats'], ['tiled']));
    last = 'tiled';
    for (let k = 0; k < o.heavy.layers; k++) {
      nodes.push(node('MatMul', [last, 'square'], [`layer${k}`]));
      last = `layer${k}`;
    }
    nodes.push(node('ReduceMean', [last], ['folded'], [{ name: 'axes', ints: [0] }, { name: 'keepdims', int: 1 }]));
    last = 'folded';
  }
  const head = new Float32Array(width * 3);
  for (let i = 0; i < 3; i++) head[i * 3 + i] = 1;
  initializers.push(floatTensor('head', [width, 3], head));
  nodes.push(node('MatMul', [last, 'head'], [o.logits ? 'logits' : 'scores']));
  if (!o.logits) nodes.push(node('Softmax', ['scores'], ['probabilities'], [{ name: 'axis', int: -1 }]));

  const inputs = [valueInfo('input_ids', ONNX_INT64, [1, 'sequence'])];
  if (o.bertInputs) {
    inputs.push(valueInfo('attention_mask', ONNX_INT64, [1, 'sequence']), valueInfo('token_type_ids', ONNX_INT64, [1, 'sequence']));
  }
  const output = valueInfo(o.logits ? 'logits' : 'probabilities', ONNX_FLOAT, [1, 3]);
  writeFileSync(join(dir, 'model.onnx'), model({ nodes, initializers, inputs, outputs: [output] }));

  if (o.tokenizerJson) {
    const vocab = Object.fromEntries(TINY_VOCAB.map((t, i) => [t, i]));
    const json = { version: '1.0', normalizer: { type: 'BertNormalizer', lowercase: true }, model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', vocab } };
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(json));
  } else {
    writeFileSync(join(dir, 'vocab.txt'), `${TINY_VOCAB.join('\n')}\n`);
  }
  if (o.id2label) {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ id2label: Object.fromEntries(o.id2label.map((l, i) => [String(i), l])) }));
  }
  return dir;
}
