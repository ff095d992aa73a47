import { ValidationError } from '../../core/index.js';
import type { SentimentScore, TranscriptSegment } from '../types.js';
import { createEnglishLexiconEngine } from './english-lexicon-engine.js';
import { createPersianLexiconEngine } from './persian-lexicon-engine.js';
import type { ScoredSegment } from './call-sentiment.js';
import type { SentimentEngine } from './types.js';

/** No engine claims the language and there is no fallback. */
export class UnsupportedLanguageError extends ValidationError {
  readonly language: string;
  constructor(language: string, known: readonly string[]) {
    super(`no sentiment engine for language "${language}" (configured: ${known.join(', ') || 'none'})`, 'language');
    this.language = language;
  }
}

export interface SentimentAnalyzerOptions {
  /**
   * Engines by language: a BCP-47 tag (`fa-IR`) or a primary subtag (`fa`), matched case-insensitively,
   * exact tag first. Merged over the defaults `en` → English lexicon and `fa` → Persian lexicon; map a
   * language to null to turn its default off.
   */
  engines?: Record<string, SentimentEngine | null>;
  /** Scores languages no engine claims; without it they are unsupported. */
  fallback?: SentimentEngine;
}

export interface SentimentAnalyzer {
  /** The engine for a language, or null when unsupported: ask once per call and skip sentiment if null. */
  engineFor(language: string): SentimentEngine | null;
  /** Scores text; throws UnsupportedLanguageError when no engine fits. */
  score(text: string, language: string): Promise<SentimentScore>;
  /** Scores a final segment in its own language. Partials are rejected: they are about to be replaced. */
  scoreSegment(segment: TranscriptSegment): Promise<ScoredSegment>;
  /** Closes every engine that has a close(). */
  close(): Promise<void>;
}

const canonical = (tag: string) => tag.trim().toLowerCase().replace(/_/gu, '-');

export function createSentimentAnalyzer(options: SentimentAnalyzerOptions = {}): SentimentAnalyzer {
  const defaults: Record<string, () => SentimentEngine> = { en: createEnglishLexiconEngine, fa: createPersianLexiconEngine };
  const configured = new Map<string, SentimentEngine | null>();
  const lazy = new Map<string, () => SentimentEngine>();
  for (const [lang, make] of Object.entries(defaults)) lazy.set(lang, make);
  for (const [lang, engine] of Object.entries(options.engines ?? {})) {
    lazy.delete(canonical(lang));
    configured.set(canonical(lang), engine);
  }

  function lookup(tag: string): SentimentEngine | null | undefined {
    if (configured.has(tag)) return configured.get(tag);
    const make = lazy.get(tag);
    if (!make) return undefined;
    const engine = make();
    lazy.delete(tag);
    configured.set(tag, engine);
    return engine;
  }

  function engineFor(language: string): SentimentEngine | null {
    const tag = canonical(language);
    const exact = lookup(tag);
    if (exact !== undefined) return exact ?? options.fallback ?? null;
    const primary = lookup(tag.split('-')[0]);
    if (primary !== undefined) return primary ?? options.fallback ?? null;
    return options.fallback ?? null;
  }

  async function score(text: string, language: string): Promise<SentimentScore> {
    const engine = engineFor(language);
    if (!engine) throw new UnsupportedLanguageError(language, [...configured.keys(), ...lazy.keys()].filter((k) => configured.get(k) !== null));
    return engine.score(text, language);
  }

  return {
    engineFor,
    score,
    async scoreSegment(segment) {
      if (!segment.final) throw new ValidationError(`segment ${segment.utteranceId} is partial`, 'segment.final');
      const sentiment = await score(segment.text, segment.language);
      const { utteranceId, speaker, startMs, endMs, text } = segment;
      return { utteranceId, speaker, startMs, endMs, text, sentiment };
    },
    async close() {
      const engines = new Set([...configured.values(), options.fallback]);
      await Promise.all([...engines].map((e) => e?.close?.()));
    },
  };
}
