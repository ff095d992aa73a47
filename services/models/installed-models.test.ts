import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError, ValidationError } from '../core/index.js';
import { chooseEngine } from '../speech/asr/index.js';
import { createOnnxSentimentEngine } from '../speech/sentiment/index.js';
import { writeTinySentimentModel } from '../speech/sentiment/testing/tiny-sentiment-model.js';
import { ArchiveError, ChecksumError } from './errors.js';
import { DEFAULT_MANIFEST } from './model-manager.js';
import { createFixture, sha256, voskEntry, voskTarGz, voskZip, type Fixture } from './test-fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

let server: TestServer;
let fx: Fixture;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server.close(); });
beforeEach(async () => {
  fx = await createFixture();
  server.requests.length = 0;
  return () => fx.remove();
});

async function rejection<T extends Error>(p: Promise<unknown>, type: abstract new (...a: never[]) => T): Promise<T> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(type);
  return err as T;
}

const enZip = voskZip('vosk-model-small-en-us-0.15', 'hello world');
const faTgz = voskTarGz('vosk-model-small-fa-0.42', 'salam');
const manifest = () => [
  voskEntry('vosk-model-small-en-us-0.15', server.url('/en.zip'), enZip, { sha256: true }),
  voskEntry('vosk-model-small-fa-0.42', server.url('/fa.tar.gz'), faTgz, { language: 'fa', archive: 'tar.gz', size: null }),
  voskEntry('vosk-model-small-de-0.15', server.url('/de.zip'), enZip, { language: 'de' }),
];

describe('importModel (a file downloaded elsewhere)', () => {
  it('installs an archive named after its model, verified like a download, and keeps the user\'s file', async () => {
    await fx.writeManifest(manifest());
    const file = join(fx.dir, 'vosk-model-small-en-us-0.15.zip');
    await writeFile(file, enZip);
    const status = await fx.manager().importModel(file);
    expect(status).toMatchObject({ name: 'vosk-model-small-en-us-0.15', state: 'installed', installed: { source: 'import', origin: file, sha256: sha256(enZip) } });
    expect(await readFile(join(status.path, 'graph/words.txt'), 'utf8')).toBe('hello 0\nworld 1');
    expect(await readFile(file)).toEqual(enZip);
    expect(await fx.listDir()).toEqual(['.partial', 'vosk-model-small-en-us-0.15']); // an import pins no checksum
    expect(server.requests).toEqual([]);
  });

  it('takes --name for a file named otherwise, and refuses files that are not the model', async () => {
    await fx.writeManifest(manifest());
    const tgz = join(fx.dir, 'persian.tgz');
    await writeFile(tgz, faTgz);
    const cannotTell = await rejection(fx.manager().importModel(tgz), ValidationError);
    expect(cannotTell.message).toBe(
      'cannot tell which model persian.tgz holds; pass --name NAME (one of: vosk-model-small-en-us-0.15, vosk-model-small-fa-0.42, vosk-model-small-de-0.15)',
    );
    await expect(fx.manager().importModel(tgz, { name: 'vosk-model-small-fa-0.42' })).resolves.toMatchObject({ state: 'installed' });

    const html = join(fx.dir, 'vosk-model-small-de-0.15.zip');
    await writeFile(html, '<html>502 Bad Gateway</html>');
    const notZip = await rejection(fx.manager().importModel(html), ArchiveError);
    expect(notZip.message).toBe(`${html} is not a zip archive (vosk-model-small-de-0.15 is published as de.zip); nothing was installed`);

    const other = join(fx.dir, 'vosk-model-small-en-us-0.15.zip');
    await writeFile(other, voskZip('vosk-model-small-en-us-0.15', 'tampered'));
    const tampered = await rejection(fx.manager().importModel(other), ChecksumError);
    expect(tampered.message).toMatch(/^vosk-model-small-en-us-0.15: (the file is \d+ bytes, expected \d+|SHA-256 mismatch)/);
    expect(await fx.listDir()).toEqual(['.partial', 'vosk-model-small-fa-0.42']);
  });
});

describe('removeModel and listModels', () => {
  it('shows what is installed, removes it, and cleans up an interrupted download', async () => {
    server.serve('/en.zip', enZip);
    await fx.writeManifest(manifest());
    const m = fx.manager();
    await m.addModel('vosk-model-small-en-us-0.15');
    await cp(join(fx.modelsDir, 'vosk-model-small-en-us-0.15'), join(fx.modelsDir, 'vosk-model-small-de-0.15'), { recursive: true });
    await writeFile(join(fx.modelsDir, 'vosk-model-small-de-0.15/installed.json'), '{ truncated'); // not a record: hand-made
    const states = async () => Object.fromEntries((await m.listModels()).map((s) => [s.name, s.state]));
    expect(await states()).toEqual({
      'vosk-model-small-en-us-0.15': 'installed', 'vosk-model-small-fa-0.42': 'missing', 'vosk-model-small-de-0.15': 'unverified',
    });

    await writeFile(join(fx.modelsDir, '.partial/vosk-model-small-fa-0.42.tar.gz'), 'half a download');
    await mkdir(join(fx.modelsDir, 'vosk-model-small-fa-0.42'));
    await m.removeModel('vosk-model-small-fa-0.42');
    expect(await fx.listDir('.partial')).toEqual([]);
    await m.removeModel('vosk-model-small-en-us-0.15');
    expect((await states())['vosk-model-small-en-us-0.15']).toBe('missing');
    const err = await rejection(m.removeModel('vosk-model-small-en-us-0.15'), AppError);
    expect(err).toMatchObject({ status: 404, message: `model vosk-model-small-en-us-0.15 is not installed (no ${join(fx.modelsDir, 'vosk-model-small-en-us-0.15')})` });
    await expect(m.removeModel('../etc')).rejects.toThrow('"../etc" is not a model name');
  });

  it('still lists an installed model the manifest dropped', async () => {
    server.serve('/en.zip', enZip);
    await fx.writeManifest(manifest());
    await fx.manager().addModel('vosk-model-small-en-us-0.15');
    await fx.writeManifest([]);
    expect(await fx.manager().listModels()).toMatchObject([{ name: 'vosk-model-small-en-us-0.15', state: 'installed', description: '(no longer in the manifest)' }]);
  });
});

describe('what the engines find', () => {
  it('gives the ASR engine chooser the installed Vosk models, by language', async () => {
    server.serve('/en.zip', enZip);
    server.serve('/fa.tar.gz', faTgz);
    await fx.writeManifest(manifest());
    const m = fx.manager();
    await m.addModel('vosk-model-small-en-us-0.15');
    await m.addModel('vosk-model-small-fa-0.42');
    const installedVoskModels = await m.listInstalled('vosk');
    expect(installedVoskModels.map((x) => [x.name, x.language, x.sampleRate])).toEqual([
      ['vosk-model-small-en-us-0.15', 'en-us', 16000], ['vosk-model-small-fa-0.42', 'fa', 16000],
    ]);
    const pick = (language: string) => chooseEngine({ mode: 'vosk', language, sampleRate: 16000, installedVoskModels, sphinxAvailable: false });
    expect(pick('en-US')).toMatchObject({ status: 'transcribed', specs: [{ kind: 'vosk', modelPath: join(fx.modelsDir, 'vosk-model-small-en-us-0.15') }] });
    expect(pick('fa-IR')).toMatchObject({ status: 'transcribed', specs: [{ kind: 'vosk', modelName: 'vosk-model-small-fa-0.42', language: 'fa' }] });
    expect(pick('de')).toMatchObject({ status: 'not-transcribed' });

    expect(await m.resolveModelPath('vosk', 'en')).toBe(join(fx.modelsDir, 'vosk-model-small-en-us-0.15'));
    await expect(m.resolveModelPath('vosk', 'de-AT')).rejects.toThrow(
      `no vosk model for de-AT is installed in ${fx.modelsDir}; install one with \`npm run models -- add vosk-model-small-de-0.15\``,
    );
  });

  it('installs the manifest\'s ONNX sentiment model in the layout the sentiment engine loads', async () => {
    // The repository's own entry, fetched from a local mirror (CALLSIGHT_MODELS_BASE_URL) serving a tiny model at the same paths.
    const real = (JSON.parse(await readFile(DEFAULT_MANIFEST, 'utf8')) as { models: { engine: string; files?: { path: string; url: string }[] }[] })
      .models.find((e) => e.engine === 'onnx-sentiment');
    if (!real?.files) throw new Error('the manifest has no multi-file onnx-sentiment model');
    const tiny = writeTinySentimentModel(join(fx.dir, 'tiny'), { bertInputs: true, logits: true, tokenizerJson: true, id2label: ['NEGATIVE', 'NEUTRAL', 'POSITIVE'] });
    const made = await readdir(tiny);
    for (const f of real.files) {
      const body = made.includes(f.path) ? await readFile(join(tiny, f.path)) : Buffer.from('{}');
      server.serve(new URL(f.url).pathname, body);
    }
    await fx.writeManifest([{ ...real, files: real.files.map((f) => ({ ...f, size: null, sha256: null })) }]);
    const status = await fx.manager({ baseUrl: `${server.origin}/` }).addModel((real as unknown as { name: string }).name);
    expect(server.requests.every((r) => r.status === 200)).toBe(true);
    expect(server.requests).toHaveLength(real.files.length);

    const engine = await createOnnxSentimentEngine({ modelDir: status.path, languages: ['en'] });
    try {
      expect(await engine.score('good great')).toMatchObject({ label: 'positive' });
      expect(await engine.score('terrible')).toMatchObject({ label: 'negative' });
    } finally {
      await engine.close();
    }
    expect(await fx.manager().findInstalledModel('onnx-sentiment', 'en-GB')).toMatchObject({ path: status.path });

    // The offline way: a folder holding the files at their paths, checked against what the download recorded.
    await fx.manager().removeModel(status.name);
    for (const f of real.files) if (!made.includes(f.path)) await writeFile(join(tiny, f.path), '{}');
    await expect(fx.manager().importModel(tiny, { name: status.name })).resolves.toMatchObject({ state: 'installed', installed: { source: 'import' } });
    await fx.manager().removeModel(status.name);
    await writeFile(join(tiny, 'config.json'), '{"id2label":{"0":"NEGATIVE","1":"POSITIVE"}}');
    await expect(fx.manager().importModel(tiny, { name: status.name })).rejects.toThrow(/^distilbert-sst2-en-onnx \(config\.json\): the file is \d+ bytes, expected \d+; nothing was installed$/);
  });
});
