import { describe, expect, it } from 'vitest';
import { readWavSamples, resample } from '../services/audio/index.js';
import { EngineError } from '../services/core/index.js';
import {
  corpusWer, createSphinxEngine, loadSphinxCorpus, sphinxInstalled, streamSignal, type AsrResult,
} from '../services/speech/asr/index.js';

const corpus = loadSphinxCorpus();
const finals = (rs: AsrResult[]) => rs.flatMap((r) => (r.type === 'final' ? [r.segment] : []));

describe.skipIf(!sphinxInstalled() || corpus.length === 0)('PocketSphinx engine on real speech (pocketsphinx-testdata)', () => {
  const engine = createSphinxEngine();
  const options = (callId: string, sampleRate = 16000) => ({ language: 'en-US', sampleRate, callId, speaker: 'agent' as const });

  it('transcribes the librivox utterances within a WER bound, words timed inside the audio', async () => {
    const pairs: { reference: string; hypothesis: string }[] = [];
    for (const u of corpus) {
      const wav = readWavSamples(u.path);
      const offsetMs = 60_000; // somewhere in a call
      const durationMs = (wav.left.length * 1000) / wav.rate;
      const r = engine.createRecognizer(options(u.id));
      const { results, text } = await streamSignal(r, wav.left, wav.rate, { chunkMs: 20, startMs: offsetMs });
      r.close();
      pairs.push({ reference: u.reference, hypothesis: text });
      const words = finals(results).flatMap((s) => s.words);
      expect(words.length).toBeGreaterThan(0);
      let last = offsetMs;
      for (const w of words) {
        expect(w.startMs).toBeGreaterThanOrEqual(last);
        expect(w.endMs).toBeGreaterThan(w.startMs);
        expect(w.endMs).toBeLessThanOrEqual(offsetMs + durationMs + 10);
        expect(w.confidence).toBeGreaterThanOrEqual(0);
        expect(w.confidence).toBeLessThanOrEqual(1);
        last = w.endMs;
      }
      for (const s of finals(results)) expect(s).toMatchObject({ callId: u.id, speaker: 'agent', engine: 'sphinx', language: 'en-US', final: true });
    }
    const wer = corpusWer(pairs);
    // PocketSphinx's generic en-us model gets roughly 30 % on these.
    expect(wer.wer).toBeLessThan(0.45);
  }, 120_000);

  it('streams 20 ms chunks: partials first, then the final that replaces them', async () => {
    const wav = readWavSamples(corpus[0].path);
    const r = engine.createRecognizer(options('stream'));
    const { results } = await streamSignal(r, wav.left, wav.rate, { chunkMs: 20 });
    r.close();
    const partials = results.filter((x) => x.type === 'partial');
    const fin = finals(results);
    expect(partials.length).toBeGreaterThan(2);
    expect(fin.length).toBeGreaterThanOrEqual(1);
    const firstFinal = results.findIndex((x) => x.type === 'final');
    const id = fin[0].utteranceId;
    const before = results.slice(0, firstFinal).filter((x) => x.type === 'partial');
    expect(before.length).toBeGreaterThan(0);
    for (const p of before) expect(p.type === 'partial' && p.segment.utteranceId).toBe(id);
    // Partials grow as speech arrives.
    const lengths = before.map((p) => (p.type === 'partial' ? p.segment.endMs : 0));
    expect(lengths[lengths.length - 1]).toBeGreaterThan(lengths[0]);
  }, 60_000);

  it('splits a longer stream into utterances at pauses', async () => {
    const a = readWavSamples(corpus[1].path).left;
    const b = readWavSamples(corpus[4].path).left;
    const pause = new Int16Array(16000 * 1.5);
    const signal = new Int16Array(a.length + pause.length + b.length);
    signal.set(a);
    signal.set(b, a.length + pause.length);
    const r = engine.createRecognizer(options('pauses'));
    const { results } = await streamSignal(r, signal, 16000, { startMs: 1000 });
    r.close();
    const segs = finals(results);
    expect(segs.length).toBe(2);
    expect(segs[0].utteranceId).not.toBe(segs[1].utteranceId);
    const secondStartsMs = 1000 + ((a.length + pause.length) * 1000) / 16000;
    expect(segs[0].endMs).toBeLessThan(secondStartsMs);
    expect(segs[1].startMs).toBeGreaterThanOrEqual(secondStartsMs - 300);
  }, 60_000);

  it('takes 48 kHz audio (downsampled by the base) and recognises the same speech', async () => {
    const u = corpus[4];
    const wav = readWavSamples(u.path);
    const at16 = await streamSignal(engine.createRecognizer(options('16k')), wav.left, 16000);
    const r48 = engine.createRecognizer(options('48k', 48000));
    const at48 = await streamSignal(r48, resample(wav.left, 16000, 48000), 48000);
    r48.close();
    expect(corpusWer([{ reference: at16.text, hypothesis: at48.text }]).wer).toBeLessThan(0.3);
  }, 60_000);

  it('refuses 8 kHz audio with the reason instead of upsampling and pretending', () => {
    let err: unknown;
    try {
      engine.createRecognizer(options('narrowband', 8000));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).retryable).toBe(false);
    expect((err as EngineError).message).toMatch(/wideband \(16 kHz\).*8000 Hz.*not recognised/);
  });
});
