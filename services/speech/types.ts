import type { Channel } from '../calls/index.js';

/** A recognised word with its timing on the call timeline (ms from call start). */
export interface Word {
  text: string;
  startMs: number;
  endMs: number;
  /** 0–1; engines without confidences report 1. */
  confidence: number;
}

/** A stretch of one speaker's speech as recognised. Partials are replaced by later partials and finally by a final. */
export interface TranscriptSegment {
  callId: string;
  speaker: Channel;
  /** Stable per utterance: a partial and the final that replaces it share it. */
  utteranceId: string;
  text: string;
  startMs: number;
  endMs: number;
  words: Word[];
  final: boolean;
  engine: string;
  language: string;
}

/** Voice activity on one channel. */
export interface SpeechSpan {
  speaker: Channel;
  startMs: number;
  endMs: number;
}

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface SentimentScore {
  /** In [-1, 1]. */
  score: number;
  label: SentimentLabel;
  engine: string;
}

/** What a speech recognition engine can do (LiveKit style): the pipeline asks, never assumes. */
export interface AsrCapabilities {
  streaming: boolean;
  partials: boolean;
  wordTimings: boolean;
  sampleRates: number[];
  languages: string[];
}
