import { describe, expect, it } from 'vitest';
import type { TranscriptSegment } from '../types.js';
import { createSentimentAnalyzer, UnsupportedLanguageError } from './analyzer.js';
import type { SentimentEngine } from './types.js';

const constant = (name: string, score: number): SentimentEngine => ({
  name, languages: ['*'], score: () => ({ score, label: score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral', engine: name }),
});

const segment = (text: string, language: string, final = true): TranscriptSegment => ({
  callId: 'c', speaker: 'customer', utteranceId: 'u1', text, startMs: 100, endMs: 900, words: [], final, engine: 'asr', language,
});

describe('createSentimentAnalyzer', () => {
  it('picks the English and Persian lexicons by call language', async () => {
    const a = createSentimentAnalyzer();
    expect(a.engineFor('en-US')?.languages).toEqual(['en']);
    expect(a.engineFor('FA_ir')?.languages).toEqual(['fa']);
    expect(a.engineFor('fa')).toBe(a.engineFor('fa-IR'));
    expect(await a.score('I am not happy', 'en-GB')).toMatchObject({ label: 'negative', engine: 'lexicon' });
    expect(await a.score('خیلی ممنونم', 'fa-IR')).toMatchObject({ label: 'positive', engine: 'lexicon' });
  });

  it('reports unsupported languages clearly', async () => {
    const a = createSentimentAnalyzer();
    expect(a.engineFor('de-DE')).toBeNull();
    const err = await a.score('Danke', 'de-DE').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedLanguageError);
    expect(err).toMatchObject({ language: 'de-DE', path: 'language', message: expect.stringMatching(/no sentiment engine for language "de-DE" \(configured: en, fa\)/) });
  });

  it('uses configured engines (exact tag first), a fallback, and lets defaults be turned off', async () => {
    const a = createSentimentAnalyzer({
      engines: { 'fa-AF': constant('dari', 0.5), en: null },
      fallback: constant('fallback', 0),
    });
    expect((await a.score('x', 'fa-AF')).engine).toBe('dari');
    expect((await a.score('راضی نیستم', 'fa-IR')).engine).toBe('lexicon');
    expect((await a.score('happy', 'en')).engine).toBe('fallback');
    expect((await a.score('hallo', 'de')).engine).toBe('fallback');
  });

  it('scores final segments in their language and rejects partials', async () => {
    const a = createSentimentAnalyzer();
    const scored = await a.scoreSegment(segment('مشکلم حل نشد', 'fa-IR'));
    expect(scored).toMatchObject({ utteranceId: 'u1', speaker: 'customer', startMs: 100, endMs: 900, sentiment: { label: 'negative' } });
    await expect(a.scoreSegment(segment('مشکلم', 'fa-IR', false))).rejects.toThrow(/partial/);
    await a.close();
  });
});
