import type { Channel, OverflowPolicy, SampleRate } from '../../calls/index.js';
import type { Logger } from '../../core/index.js';
import type { AsrEngine } from '../asr/index.js';
import type { ConversationMetrics, MetricsOptionsInput } from '../metrics/index.js';
import type { CallSentiment, SentimentAnalyzer } from '../sentiment/index.js';
import type { SentimentScore, SpeechSpan, TranscriptSegment } from '../types.js';
import type { Vad } from '../vad/types.js';

export type TranscriptionState = 'running' | 'done' | 'not-transcribed' | 'failed';

/** What a call's speech pipeline reports, in call order per channel. */
export type SpeechEvent =
  | { type: 'transcript.partial'; segment: TranscriptSegment }
  | { type: 'transcript.final'; segment: TranscriptSegment; sentiment: SentimentScore | null }
  | { type: 'speech.detected'; span: SpeechSpan }
  | { type: 'metrics.updated'; metrics: ConversationMetrics; final: boolean }
  | { type: 'sentiment.summarized'; sentiment: CallSentiment }
  | { type: 'transcription.status'; status: TranscriptionState; engine?: string; note?: string }
  | { type: 'transcription.lost'; speaker: Channel; fromMs: number; toMs: number; reason: string };

/** The recogniser for a call, or why there is none (shown on the call: never silent). */
export type EngineLookup = { engine: AsrEngine; name: string } | { reason: string };

/** The process-wide parts every call's pipeline shares. */
export interface SpeechServices {
  engineFor(language: string, rate: SampleRate): Promise<EngineLookup>;
  /** Voice activity; null turns off speech-only recognition and activity metrics (logged once by the caller). */
  vad: Vad | null;
  sentiment: SentimentAnalyzer;
  log: Logger;
  metricsOptions?: MetricsOptionsInput;
  /** Recognise only what the VAD calls speech (default true): saves the recogniser's CPU on silence. */
  skipSilence?: boolean;
  /** Call time between metrics.updated events (default 5000). */
  metricsIntervalMs?: number;
  /** Audio held for a busy pipeline before the oldest is dropped and reported lost (default 120 s). */
  maxBacklogMs?: number;
}

export interface CallSpeechInput {
  callId: string;
  rate: SampleRate;
  language: string;
  /**
   * When the pipeline falls `maxBacklogMs` behind: `drop-oldest` (default; live calls, the tap never waits, the
   * dropped audio is reported lost) or `wait` (imported files: the feeder awaits `CallPipeline.write`, nothing is lost).
   */
  overflow?: OverflowPolicy;
}
