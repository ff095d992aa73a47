import type { Channel } from '../../calls/index.js';
import type { SpeechSpan, TranscriptSegment } from '../types.js';

/** A stretch of the call timeline (ms from call start). */
export interface TimeStretch {
  startMs: number;
  endMs: number;
  durationMs: number;
}

/** `by` started speaking at `atMs` while `of` was speaking, and both then spoke for `overlapMs` (≥ the minimum). */
export interface Interruption {
  by: Channel;
  of: Channel;
  atMs: number;
  overlapMs: number;
}

/**
 * A both-silent gap of at least `longPauseMs` with speech on both sides.
 * `within-turn`: the same single speaker stopped and resumed; `speaker` is that speaker.
 * `between-turns`: the floor changed hands; `speaker` is the one who spoke next (the responder).
 */
export interface LongPause extends TimeStretch {
  kind: 'within-turn' | 'between-turns';
  speaker: Channel;
}

/** Per-frame prosodic features of one channel, as `createProsodyTracker` emits them. */
export interface ProsodyFrame {
  startMs: number;
  endMs: number;
  /** RMS energy in dBFS (full-scale sine ≈ −3 dB; digital silence −100). */
  rmsDb: number;
  /** True when `rmsDb` reaches the activity floor (the frame carries sound, not line silence). */
  active: boolean;
  /** Fundamental frequency estimate for voiced frames; null when unvoiced or inactive. */
  pitchHz: number | null;
}

export interface AgitationReading {
  /** End of the analysis window (a multiple of `hopMs`). */
  atMs: number;
  /** 0–1; see docs/metrics.md. */
  score: number;
  loudnessRiseDb: number;
  /** Null when the window or the baseline has too few voiced frames. */
  pitchRiseSemitones: number | null;
}

export interface AgitationSummary {
  /** The speaker's own reference level, from their first `baselineMs` of active audio. Null until complete. */
  baseline: { loudnessDb: number; pitchHz: number | null; readyAtMs: number } | null;
  /** The latest reading, null before the baseline is complete. */
  current: AgitationReading | null;
  /** The highest-scoring reading (earliest on ties). */
  peak: AgitationReading | null;
  /** Readings at or above the threshold × `hopMs`. */
  agitatedMs: number;
  /** Runs of consecutive agitated readings: from one hop before the first to the last. */
  episodes: Array<TimeStretch & { peakScore: number }>;
}

export interface SpeakerMetrics {
  talkMs: number;
  /** talkMs / (agent talkMs + customer talkMs); null when nobody talked. */
  talkShare: number | null;
  /** Words in this speaker's final segments. */
  words: number;
  /** words / (talkMs / 60 000); null below `minTalkMsForRate` of talk. */
  wordsPerMinute: number | null;
  /** Interruptions this speaker made (cut in on the other). */
  interruptionsMade: number;
  /** Interruptions this speaker suffered. */
  interruptionsReceived: number;
  /** Long pauses attributed to this speaker, by kind. */
  longPauses: { withinTurn: number; betweenTurns: number };
  agitation: AgitationSummary;
}

export interface ConversationMetrics {
  /** The end of the stretch these metrics cover (ms from call start). */
  horizonMs: number;
  /** Start of the first speech by anyone; null when nobody has spoken. */
  firstSpeechMs: number | null;
  /** Agent talk / customer talk; null when the customer has not talked. */
  talkToListenRatio: number | null;
  /** Time both channels spoke at once. */
  overtalkMs: number;
  /** Both-silent stretches of at least `minNonTalkMs` after the first speech (the trailing one up to the horizon counts). */
  nonTalk: { totalMs: number; count: number; longest: TimeStretch | null };
  interruptions: Interruption[];
  longPauses: LongPause[];
  speakers: Record<Channel, SpeakerMetrics>;
}

export interface AgitationOptions {
  /** Active audio (ms) of the speaker that forms the baseline. */
  baselineMs: number;
  /** Length of the analysis window that ends at each reading. */
  windowMs: number;
  /** Readings are taken every `hopMs` on the call timeline. */
  hopMs: number;
  /** A window with less active audio than this gives no reading. */
  minActiveMs: number;
  /** Voiced frames needed for a pitch median (in the window; twice this in the baseline). */
  minVoicedFrames: number;
  /** Loudness rise that alone fills half the score. */
  loudnessFullScaleDb: number;
  /** Pitch rise that alone fills half the score. */
  pitchFullScaleSemitones: number;
  /** Score at or above which a reading counts as agitated. */
  threshold: number;
}

export interface MetricsOptions {
  /** Both-silent stretches shorter than this are not non-talk. */
  minNonTalkMs: number;
  /** Overlap needed before a cut-in counts as an interruption. */
  minInterruptionOverlapMs: number;
  /** Both-silent gap between speech that counts as a long pause. */
  longPauseMs: number;
  /** Talk time below which the speaking rate is not reported. */
  minTalkMsForRate: number;
  agitation: AgitationOptions;
}

export type MetricsOptionsInput = Partial<Omit<MetricsOptions, 'agitation'>> & { agitation?: Partial<AgitationOptions> };

/** Everything the batch computation reads. */
export interface ConversationTimeline {
  /** Voice activity of both channels; overlapping or touching spans of one channel are merged. */
  spans: readonly SpeechSpan[];
  /** Transcript segments; only finals count (for speaking rate). */
  segments?: readonly TranscriptSegment[];
  /** Per-frame prosody per channel, in time order (for agitation). */
  prosody?: Partial<Record<Channel, readonly ProsodyFrame[]>>;
  /** End of the covered stretch; defaults to the last span end. Spans are clipped to it. */
  endMs?: number;
}
