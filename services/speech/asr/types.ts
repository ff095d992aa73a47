import type { Channel } from '../../calls/index.js';
import type { AsrCapabilities, TranscriptSegment } from '../types.js';

export type MaybePromise<T> = T | Promise<T>;

/** The engines this build can run. */
export type AsrEngineKind = 'sphinx' | 'vosk';

/** What a recognizer is for: one speaker's channel of one call. */
export interface RecognizerOptions {
  language: string;
  /** Rate of the PCM given to `accept` (the engine's base resamples it to what the engine wants). */
  sampleRate: number;
  callId: string;
  speaker: Channel;
}

/**
 * What a recognizer produces. Partials are replaced by later partials and by the final that shares their
 * `utteranceId`. `lost` marks call time that was not transcribed (a worker died or an engine failed): the call
 * shows "not transcribed between lostFromMs and lostToMs", and partials of `utteranceId` (if given) are void.
 */
export type AsrResult =
  | { type: 'partial'; segment: TranscriptSegment }
  | { type: 'final'; segment: TranscriptSegment }
  | { type: 'lost'; callId: string; speaker: Channel; lostFromMs: number; lostToMs: number; reason: string; utteranceId?: string };

/**
 * Streaming recognition of one channel. `accept` returns the results available now; it returns a promise only when
 * the caller has to wait (a busy worker pool) — await it, audio is never dropped. `flush` ends the current utterance
 * and returns what remains (its final). `close` frees the recognizer without flushing.
 */
export interface Recognizer {
  readonly engine: string;
  accept(pcm: Int16Array, startMs: number): MaybePromise<AsrResult[]>;
  flush(): MaybePromise<AsrResult[]>;
  close(): MaybePromise<void>;
}

/** A recognizer that runs on the calling thread (used inside workers and by benchmarks). */
export interface SyncRecognizer extends Recognizer {
  accept(pcm: Int16Array, startMs: number): AsrResult[];
  flush(): AsrResult[];
  close(): void;
  /** Call time from which audio has been taken but not yet finalised (null: nothing pending). */
  pending(): { fromMs: number; utteranceId?: string } | null;
}

/** A speech recognition engine: states what it can do, makes one recognizer per channel. */
export interface AsrEngine {
  readonly name: string;
  readonly capabilities: AsrCapabilities;
  /** Throws EngineError (retryable false) when it cannot serve this language or sample rate, saying why. */
  createRecognizer(opts: RecognizerOptions): Recognizer;
}

/** Tuning of the energy endpointer that cuts a channel into utterances. */
export interface EndpointerOptions {
  /** Speech needed to open an utterance. */
  startMs?: number;
  /** Non-speech that closes an utterance. */
  endSilenceMs?: number;
  /** Audio kept before the detected start (onsets are quiet). */
  prerollMs?: number;
  /** Longest utterance before it is cut (bounds latency of finals). */
  maxUtteranceMs?: number;
  /** A frame is speech when this many dB above the tracked noise floor… */
  thresholdDb?: number;
  /** …and above this absolute level (dBFS). */
  minLevelDb?: number;
}

/**
 * A serialisable description of an engine, so a worker thread can build the same engine. `modelHandle` is the
 * address of a Vosk model already loaded in this process (worker threads share the address space).
 */
export type EngineSpec =
  | { kind: 'sphinx'; modelDir?: string; libDir?: string; endpointer?: EndpointerOptions; partialIntervalMs?: number }
  | {
      kind: 'vosk';
      modelPath: string;
      modelName: string;
      language: string;
      libPath?: string;
      modelHandle?: bigint;
      partialIntervalMs?: number;
    };

/** A word as a decoder reports it: times in seconds on the decoder's own stream (from its first sample). */
export interface DecodedWord {
  text: string;
  start: number;
  end: number;
  confidence: number;
}

/** A hypothesis as a decoder reports it; `start`/`end` bound the utterance on the decoder's stream (seconds). */
export interface DecodedHyp {
  final: boolean;
  text: string;
  words: DecodedWord[];
  start: number;
  end: number;
}

/** The native part of an engine, at the engine's own rate. The base recognizer does resampling and timing. */
export interface Decoder {
  readonly sampleRate: number;
  write(pcm: Int16Array): DecodedHyp[];
  /** Ends the current utterance (if any) and returns its final. */
  finish(): DecodedHyp[];
  /** Stream time (s) from which taken audio may still produce words; null when nothing is pending. */
  pendingFrom?(): number | null;
  close(): void;
}

export type { AsrCapabilities, TranscriptSegment };

/** An engine whose recognizers run on the calling thread (inside a worker, in benchmarks). */
export interface LocalAsrEngine extends AsrEngine {
  createRecognizer(opts: RecognizerOptions): SyncRecognizer;
}
