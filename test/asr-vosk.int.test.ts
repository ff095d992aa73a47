import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readWavSamples, resample } from '../services/audio/index.js';
import { EngineError } from '../services/core/index.js';
import {
  chooseEngine, corpusWer, createVoskEngine, defaultVoskLibPath, loadSphinxCorpus, loadVosk, openEngine, sphinxInstalled,
  streamSignal, VOSK_SAMPLE_RATES,
} from '../services/speech/asr/index.js';

// No Vosk model can be downloaded here: these cover the library, the bindings and the errors a missing or broken
// model gives. With a model installed (VOSK_MODEL_PATH), the last test recognises speech with it.
const dir = mkdtempSync(join(tmpdir(), 'callsight-vosk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rejection(p: Promise<unknown>): Promise<EngineError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(EngineError);
  return err as EngineError;
}

describe('Vosk engine (libvosk.so from the vosk package, through koffi)', () => {
  it('loads the library and binds the C API', () => {
    expect(defaultVoskLibPath()).toMatch(/vosk\/lib\/linux-x86_64\/libvosk\.so$/);
    const lib = loadVosk();
    for (const fn of ['setLogLevel', 'modelNew', 'modelNewAsync', 'modelFree', 'recognizerNew', 'setWords', 'setPartialWords',
      'acceptWaveform', 'result', 'partialResult', 'finalResult', 'reset', 'recognizerFree'] as const) {
      expect(typeof lib[fn]).toBe('function');
    }
    expect(lib.modelNew(join(dir, 'nothing-here'))).toBeNull();
  });

  it('a missing model gives the clear error with the install command', async () => {
    const path = join(dir, 'vosk-model-small-en-us-0.15');
    const err = await rejection(createVoskEngine({ modelPath: path, modelName: 'vosk-model-small-en-us-0.15', language: 'en-us' }));
    expect(err.message).toBe(`no Vosk model at ${path}; install with npm run models -- add vosk-model-small-en-us-0.15`);
    expect(err.retryable).toBe(false);
  });

  it('a corrupt model is reported as such (vosk_model_new returns NULL, nothing crashes)', async () => {
    const path = join(dir, 'broken');
    for (const sub of ['am', 'conf', 'graph']) mkdirSync(join(path, sub), { recursive: true });
    writeFileSync(join(path, 'am', 'final.mdl'), 'not a model');
    writeFileSync(join(path, 'conf', 'mfcc.conf'), '--sample-frequency=16000\n');
    writeFileSync(join(path, 'conf', 'model.conf'), '--min-active=200\n');
    writeFileSync(join(path, 'graph', 'HCLG.fst'), 'not an fst');
    writeFileSync(join(path, 'graph', 'words.txt'), '<eps> 0\nhello 1\n');
    const err = await rejection(createVoskEngine({ modelPath: path, modelName: 'broken', language: 'en' }));
    expect(err.message).toMatch(/could not be loaded .*reinstall with npm run models -- add broken/);
  });

  it.skipIf(!sphinxInstalled())('auto mode falls back to PocketSphinx when the Vosk model cannot be opened', async () => {
    const choice = chooseEngine({
      mode: 'auto', language: 'en-US', sampleRate: 16000,
      installedVoskModels: [{ name: 'gone', language: 'en-us', path: join(dir, 'gone') }],
    });
    expect(choice).toMatchObject({ status: 'transcribed', engine: 'vosk>sphinx' });
    if (choice.status !== 'transcribed') return;
    const engine = await openEngine(choice.specs);
    expect(engine.name).toBe('sphinx');
    expect(VOSK_SAMPLE_RATES).toEqual([8000, 16000]);
  });

  const modelPath = process.env.VOSK_MODEL_PATH;
  it.skipIf(!modelPath || loadSphinxCorpus().length === 0)('recognises real speech with an installed model (VOSK_MODEL_PATH)', async () => {
    const engine = await createVoskEngine({ modelPath: modelPath as string, language: 'en-us' });
    const pairs: { reference: string; hypothesis: string }[] = [];
    for (const u of loadSphinxCorpus()) {
      const wav = readWavSamples(u.path);
      for (const rate of [16000, 8000]) {
        const r = engine.createRecognizer({ language: 'en-US', sampleRate: rate, callId: u.id, speaker: 'customer' });
        const pcm = rate === 16000 ? wav.left : resample(wav.left, 16000, rate);
        const { results, text } = await streamSignal(r, pcm, rate, { startMs: 5000 });
        r.close();
        if (rate === 16000) pairs.push({ reference: u.reference, hypothesis: text });
        const words = results.flatMap((x) => (x.type === 'final' ? x.segment.words : []));
        for (let i = 1; i < words.length; i++) expect(words[i].startMs).toBeGreaterThanOrEqual(words[i - 1].startMs);
        for (const w of words) expect(w.startMs).toBeGreaterThanOrEqual(5000);
      }
    }
    expect(corpusWer(pairs).wer).toBeLessThan(0.35);
  }, 300_000);
});
