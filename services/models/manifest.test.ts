import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/index.js';
import { REQUIRED_FILES } from './layout.js';
import { loadManifest, parseManifest, rebaseManifest, rebaseUrl } from './manifest.js';
import { DEFAULT_MANIFEST } from './model-manager.js';

const vosk = {
  name: 'vosk-x', engine: 'vosk', language: 'en-us', sampleRate: 16000, url: 'https://example.com/m/vosk-x.zip',
  size: 10, sha256: null, archive: 'zip', description: 'a model',
};

function problem(models: unknown[]): string {
  try { parseManifest({ models }, 'm.json'); } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as Error).message;
  }
  throw new Error('expected a ValidationError');
}

describe('the repository manifest (models/manifest.json)', () => {
  it('lists small English and Persian Vosk models and an ONNX sentiment model the engine can load', async () => {
    const m = await loadManifest(DEFAULT_MANIFEST);
    const en = m.get('vosk-model-small-en-us-0.15');
    expect(en).toMatchObject({ engine: 'vosk', language: 'en-us', sampleRate: 16000, archive: 'zip', size: 41205931 });
    expect(en?.downloads[0].url).toBe('https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip');
    expect(m.get('vosk-model-small-fa-0.42')).toMatchObject({ engine: 'vosk', language: 'fa', sampleRate: 16000, size: 53431220 });

    const onnx = m.models.filter((e) => e.engine === 'onnx-sentiment');
    expect(onnx.length).toBeGreaterThan(0);
    for (const e of onnx) {
      const paths = e.downloads.map((d) => d.path);
      // Every file the engine needs is placed where it looks (model.onnx at the top, not onnx/…).
      for (const alternatives of REQUIRED_FILES['onnx-sentiment']) expect(alternatives.some((p) => paths.includes(p))).toBe(true);
      expect(paths).toContain('config.json'); // id2label
      for (const d of e.downloads) expect(d.url).toMatch(/^https:\/\/huggingface\.co\/.+\/resolve\/[0-9a-f]{40}\//);
    }
  });
});

describe('parseManifest', () => {
  it('normalises single downloads and multi-file models', () => {
    const m = parseManifest({
      models: [vosk, {
        name: 'senti', engine: 'onnx-sentiment', language: 'EN', description: 'd',
        files: [{ path: 'model.onnx', url: 'https://h/x/model.onnx', size: 3, sha256: null }, { path: 'tokenizer.json', url: 'https://h/x/t.json', size: 4, sha256: null, md5: null }],
      }],
    });
    expect(m.get('vosk-x')).toMatchObject({ archive: 'zip', size: 10, downloads: [{ path: 'vosk-x.zip', url: vosk.url, size: 10, sha256: null, md5: null }] });
    expect(m.get('senti')).toMatchObject({ archive: 'none', language: 'en', size: 7 });
    expect(m.get('nope')).toBeUndefined();
  });

  it('names the model and the field of every problem', () => {
    expect(problem([{ ...vosk, sha256: 'ABC' }])).toBe('m.json: model "vosk-x", field sha256: must be 64 lowercase hex digits (a SHA-256), or null');
    expect(problem([{ ...vosk, md5: 'xyz' }])).toBe('m.json: model "vosk-x", field md5: must be 32 lowercase hex digits (an MD5), or null');
    expect(problem([{ ...vosk, archive: undefined }])).toBe('m.json: model "vosk-x", field archive: required with url: "zip", "tar.gz" or "none"');
    expect(problem([{ ...vosk, url: undefined }])).toBe('m.json: model "vosk-x", field url: required (or give files)');
    expect(problem([{ ...vosk, url: 'ftp://x/y' }])).toBe('m.json: model "vosk-x", field url: must be an http(s) URL');
    expect(problem([{ ...vosk, name: '../x' }])).toMatch(/model "..\/x", field name: must be a folder name/);
    expect(problem([vosk, vosk])).toBe('m.json: model "vosk-x" is listed twice');
    const file = { path: '../model.onnx', url: 'https://h/m', size: null, sha256: null };
    expect(problem([{ name: 's', engine: 'onnx-sentiment', language: 'en', description: 'd', files: [file] }]))
      .toBe('m.json: model "s", field files[0].path: must be a relative path inside the model folder (no "..", no leading "/")');
    expect(problem([{ ...vosk, engine: 'whisper' }])).toMatch(/model "vosk-x", field engine: /);
    expect(problem([{ ...vosk, colour: 'red' }])).toMatch(/model "vosk-x", field \(entry\): .*colour/);
  });
});

describe('mirrors', () => {
  it('keeps the path of each URL under the mirror', () => {
    expect(rebaseUrl('https://alphacephei.com/vosk/models/a.zip', 'http://127.0.0.1:9/mirror/')).toBe('http://127.0.0.1:9/mirror/vosk/models/a.zip');
    expect(rebaseUrl('https://huggingface.co/X/y/resolve/abc/onnx/m.onnx?download=1', 'http://m')).toBe('http://m/X/y/resolve/abc/onnx/m.onnx?download=1');
    const m = rebaseManifest(parseManifest({ models: [vosk] }), 'http://mirror');
    expect(m.get('vosk-x')?.downloads[0].url).toBe('http://mirror/m/vosk-x.zip');
  });
});
