import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/index.js';
import { chooseEngine, parseAsrEngineMode, type InstalledVoskModel } from './choose-engine.js';
import { engineRateFor } from './support.js';

const en: InstalledVoskModel = { name: 'vosk-model-small-en-us-0.15', language: 'en-us', path: '/models/vosk-en' };
const de: InstalledVoskModel = { name: 'vosk-model-small-de-0.15', language: 'de', path: '/models/vosk-de' };

describe('ASR engine choice', () => {
  it('parses ASR_ENGINE', () => {
    expect(parseAsrEngineMode(undefined)).toBe('auto');
    expect(parseAsrEngineMode(' Sphinx ')).toBe('sphinx');
    expect(() => parseAsrEngineMode('whisper')).toThrow(ValidationError);
  });

  it('auto prefers a Vosk model for the language and keeps PocketSphinx as fallback', () => {
    const c = chooseEngine({ mode: 'auto', language: 'en-US', sampleRate: 16000, installedVoskModels: [de, en], sphinxAvailable: true });
    expect(c).toMatchObject({ status: 'transcribed', engine: 'vosk>sphinx' });
    expect(c.status === 'transcribed' && c.specs[0]).toMatchObject({ kind: 'vosk', modelPath: '/models/vosk-en', modelName: en.name });
  });

  it('auto uses PocketSphinx for wideband English without a Vosk model', () => {
    expect(chooseEngine({ mode: 'auto', language: 'en-GB', sampleRate: 48000, installedVoskModels: [de], sphinxAvailable: true })).toEqual({
      status: 'transcribed', engine: 'sphinx', specs: [{ kind: 'sphinx' }],
    });
  });

  it('says why a channel is not transcribed', () => {
    const fr = chooseEngine({ mode: 'auto', language: 'fr', sampleRate: 16000, installedVoskModels: [en], sphinxAvailable: true });
    expect(fr.status === 'not-transcribed' && fr.reason).toMatch(/^not transcribed: no model for fr/);
    const narrow = chooseEngine({ mode: 'auto', language: 'en-US', sampleRate: 8000, installedVoskModels: [], sphinxAvailable: true });
    expect(narrow.status === 'not-transcribed' && narrow.reason).toMatch(/no model for en-US .*16 kHz.*8000 Hz/);
    const forced = chooseEngine({ mode: 'vosk', language: 'en', sampleRate: 16000, installedVoskModels: [], sphinxAvailable: true });
    expect(forced.status === 'not-transcribed' && forced.reason).toMatch(/no Vosk model for en/);
  });

  it('narrowband English goes to Vosk, which takes 8 kHz', () => {
    expect(chooseEngine({ mode: 'auto', language: 'en', sampleRate: 8000, installedVoskModels: [en], sphinxAvailable: true })).toMatchObject({
      status: 'transcribed', engine: 'vosk',
    });
  });

  it('downsamples but never upsamples', () => {
    expect(engineRateFor(48000, [16000])).toBe(16000);
    expect(engineRateFor(16000, [8000, 16000])).toBe(16000);
    expect(engineRateFor(8000, [16000])).toBeNull();
  });
});
