import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../core/index.js';
import { createSentimentAnalyzer } from './analyzer.js';
import { createOnnxSentimentEngine } from './onnx-engine.js';
import { writeTinySentimentModel } from './testing/tiny-sentiment-model.js';

const root = mkdtempSync(join(tmpdir(), 'callsight-onnx-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const modelDir = (name: string) => join(root, 'models', name);

describe('createOnnxSentimentEngine (hand-built ONNX model on the real onnxruntime-node)', () => {
  it('scores "good great" positive, "bad awful" negative and "the service" neutral', async () => {
    const engine = await createOnnxSentimentEngine({ modelDir: writeTinySentimentModel(modelDir('tiny')), languages: ['en'] });
    try {
      const good = await engine.score('good great');
      const bad = await engine.score('bad awful');
      const neutral = await engine.score('the service');
      expect(good).toMatchObject({ label: 'positive', engine: 'onnx' });
      expect(good.score).toBeGreaterThan(0.9);
      expect(bad.label).toBe('negative');
      expect(bad.score).toBeLessThan(-0.9);
      expect(neutral.label).toBe('neutral');
      expect(Math.abs(neutral.score)).toBeLessThan(0.01);
      expect((await engine.score('Good, GREAT service!')).label).toBe('positive'); // lower-cased, punctuation split
      expect((await engine.score('greatest')).label).toBe('positive'); // WordPiece: great ##est
      expect((await engine.score('zzz qqq awful')).label).toBe('negative'); // unknown words carry nothing
      expect(engine.threadId).not.toBe(threadId);
    } finally {
      await engine.close();
    }
  });

  it('feeds BERT-style inputs, softmaxes logits and reads tokenizer.json and id2label', async () => {
    const dir = writeTinySentimentModel(modelDir('bert'), { bertInputs: true, logits: true, tokenizerJson: true, id2label: ['NEG', 'NEU', 'POS'] });
    const engine = await createOnnxSentimentEngine({ modelDir: dir, languages: ['en'], name: 'tiny-bert' });
    try {
      const good = await engine.score('thanks , excellent');
      expect(good).toMatchObject({ label: 'positive', engine: 'tiny-bert' });
      expect(good.score).toBeGreaterThan(0.8);
      expect((await engine.score('terrible')).label).toBe('negative');
    } finally {
      await engine.close();
    }
    // Labels follow config.json: the same model with its classes declared in the other order.
    const flipped = writeTinySentimentModel(modelDir('flipped'), { id2label: ['positive', 'neutral', 'negative'] });
    const reversed = await createOnnxSentimentEngine({ modelDir: flipped, languages: ['en'] });
    try {
      expect((await reversed.score('good great')).label).toBe('negative');
    } finally {
      await reversed.close();
    }
  });

  it('runs inference off the event loop', async () => {
    const dir = writeTinySentimentModel(modelDir('heavy'), { heavy: { rows: 1024, layers: 24 } });
    const engine = await createOnnxSentimentEngine({ modelDir: dir, languages: ['en'] });
    try {
      let maxGap = 0;
      let last = performance.now();
      const timer = setInterval(() => {
        const now = performance.now();
        maxGap = Math.max(maxGap, now - last);
        last = now;
      }, 5);
      const t0 = performance.now();
      const results = await Promise.all([engine.score('good great'), engine.score('bad awful'), engine.score('good')]);
      const busyMs = performance.now() - t0;
      clearInterval(timer);
      expect(results.map((r) => r.label)).toEqual(['positive', 'negative', 'positive']);
      // Inference keeps the worker busy for a while; the main thread's timer keeps ticking meanwhile.
      expect(busyMs).toBeGreaterThan(150);
      expect(maxGap).toBeLessThan(busyMs / 3);
      console.info(`onnx: ${busyMs.toFixed(0)} ms of inference, longest main-thread timer gap ${maxGap.toFixed(1)} ms`);
    } finally {
      await engine.close();
    }
  });

  it('fails fast when its queue is full, and after close', async () => {
    const engine = await createOnnxSentimentEngine({ modelDir: writeTinySentimentModel(modelDir('queue')), languages: ['en'], maxPending: 2 });
    const first = [engine.score('good'), engine.score('bad')];
    await expect(engine.score('great')).rejects.toMatchObject({ retryable: true, message: expect.stringMatching(/queue full/) });
    await Promise.all(first);
    await engine.close();
    await expect(engine.score('good')).rejects.toBeInstanceOf(EngineError);
  });

  it('rejects a folder without a model or tokenizer', async () => {
    await expect(createOnnxSentimentEngine({ modelDir: join(root, 'missing'), languages: ['en'] })).rejects.toThrow(/model.onnx not found/);
  });

  it('plugs into the analyzer per language', async () => {
    const engine = await createOnnxSentimentEngine({ modelDir: writeTinySentimentModel(modelDir('analyzer')), languages: ['en'] });
    const analyzer = createSentimentAnalyzer({ engines: { en: engine } });
    try {
      expect(await analyzer.score('bad awful', 'en-GB')).toMatchObject({ label: 'negative', engine: 'onnx' });
      expect((await analyzer.score('خیلی ممنون', 'fa-IR')).engine).toBe('lexicon');
    } finally {
      await analyzer.close();
    }
  });
});
