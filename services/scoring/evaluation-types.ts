import type { CallDirection, Channel } from '../calls/index.js';
import type { CallSentiment, ConversationMetrics, Word } from '../speech/index.js';

/** Call metadata a scorecard can look at. */
export interface CallInfo {
  id: string;
  direction?: CallDirection | null;
  queue?: string | null;
  department?: string | null;
  language?: string | null;
  /** Call length; `last N s` windows end here (default: the last segment end). */
  durationMs?: number | null;
  agentId?: string | null;
}

/** A transcript segment as stored (TranscriptSegment with the store's `id`); only finals are read. */
export interface SegmentInput {
  /** The stored segment's id, echoed in evidence. */
  id?: string;
  utteranceId?: string;
  speaker: Channel;
  text: string;
  startMs: number;
  endMs: number;
  words?: readonly Word[];
  /** Default true; partials (false) are ignored. */
  final?: boolean;
}

/** Everything an evaluation reads. `segments: null` (or none final) means the call has no transcript. */
export interface EvaluationInput {
  call: CallInfo;
  segments: readonly SegmentInput[] | null;
  metrics: ConversationMetrics | null;
  sentiment: CallSentiment | null;
}

/** What backs an automatic answer: a stretch of the call, usually a transcript segment and the text matched. */
export interface Evidence {
  segmentId?: string;
  utteranceId?: string;
  speaker?: Channel;
  startMs: number;
  endMs: number;
  /** The matched text as said (or the segment's text). */
  text?: string;
  /** What this evidence shows, e.g. `matched "thank you for calling" (0.88)` or `silence 13.0 s`. */
  note: string;
}

/**
 * pass / fail; `na` the rule does not apply to this call (e.g. no hold happened); `unknown` it could not be
 * evaluated (no transcript, metrics or sentiment).
 */
export type RuleOutcome = 'pass' | 'fail' | 'na' | 'unknown';

export interface RuleResult {
  outcome: RuleOutcome;
  /** 0–1: how sure the outcome is (0 for unknown). */
  confidence: number;
  evidence: Evidence[];
  /** Plain-language reason, for reviewers. */
  detail: string;
  /** No later data can change the outcome (always true at call end; see evaluatePartial). */
  settled: boolean;
}

/** An answer as scored: yes/no, a number for scale and points questions, or N/A. */
export type AnswerValue = 'yes' | 'no' | 'na' | number;

export type ReviewReason = 'manual' | 'low-confidence' | 'not-evaluable' | 'na-not-allowed';

export interface AutoAnswer {
  questionId: string;
  /** Null when the question is left to a reviewer. */
  value: AnswerValue | null;
  outcome: RuleOutcome | null;
  confidence: number | null;
  evidence: Evidence[];
  detail: string;
  needsReview: boolean;
  reviewReason: ReviewReason | null;
}
