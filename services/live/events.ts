import type { CallStatus, Capabilities, Channel } from '../calls/index.js';
import type { ConversationMetrics } from '../speech/metrics/index.js';
import type { CallSentiment } from '../speech/sentiment/index.js';
import type { SentimentScore, TranscriptSegment } from '../speech/types.js';
import type { AlertEvidence, AlertSeverity } from '../store/index.js';

export type TranscriptionStatus = 'pending' | 'running' | 'done' | 'not-transcribed' | 'failed';

/** Everything published on the bus: one union, past-tense names (DESIGN.md). Later issues add members. */
export type BusEvent =
  | { type: 'call.started'; callId: string; at: string; protocol: string; direction: string; agentExternalId?: string; queue?: string; capabilities: Capabilities }
  | { type: 'call.ended'; callId: string; at: string; status: Exclude<CallStatus, 'live'>; durationMs: number }
  | { type: 'call.interrupted'; callId: string; at: string; durationMs: number }
  | { type: 'call.resumed'; callId: string; at: string }
  /** A partial is replaced by later partials and by the final with the same utteranceId. */
  | { type: 'transcript.partial'; callId: string; segment: TranscriptSegment }
  | { type: 'transcript.final'; callId: string; segment: TranscriptSegment }
  | { type: 'sentiment.scored'; callId: string; utteranceId: string; speaker: Channel; startMs: number; endMs: number; sentiment: SentimentScore }
  /** `final` on the last update of a call (the stored metrics). */
  | { type: 'metrics.updated'; callId: string; metrics: ConversationMetrics; final: boolean }
  | { type: 'sentiment.summarized'; callId: string; sentiment: CallSentiment }
  | { type: 'transcription.changed'; callId: string; status: TranscriptionStatus; engine?: string; note?: string }
  | { type: 'transcription.lost'; callId: string; speaker: Channel; fromMs: number; toMs: number; reason: string }
  /** An evaluation was stored (automatic at call end or by a re-score job); GET /api/evaluations/:id has it. */
  | { type: 'evaluation.created'; callId: string; evaluation: EvaluationPayload }
  /** A reviewer submitted an evaluation; the agent (`agentUserId`) is to be notified. */
  | { type: 'evaluation.reviewed'; callId: string; evaluation: EvaluationPayload; reviewerId: string }
  | { type: 'evaluation.acknowledged'; callId: string; evaluation: EvaluationPayload }
  | { type: 'evaluation.disputed'; callId: string; evaluation: EvaluationPayload; disputeId: string; questionId: string }
  /** A dispute was accepted (the evaluation re-scored) or rejected. */
  | { type: 'dispute.resolved'; callId: string; evaluation: EvaluationPayload; disputeId: string; questionId: string; status: 'accepted' | 'rejected' }
  /** A coaching item was assigned to the agent (`item.agentUserId`: whom to notify). */
  | { type: 'coaching.assigned'; callId: string; item: CoachingPayload }
  /** An alert was raised on a live call and stored (services/live/alerts; GET /api/alerts lists them). */
  | { type: 'alert.raised'; callId: string; alert: AlertPayload }
  | { type: 'alert.acknowledged'; callId: string; alertId: string; acknowledgedBy: { id: string; username: string }; acknowledgedAt: string }
  /** A coaching note was added to or deleted from the call (read it through GET /api/calls/:id/notes). */
  | { type: 'note.added'; callId: string; noteId: string; atMs: number }
  | { type: 'note.deleted'; callId: string; noteId: string };

export type BusEventType = BusEvent['type'];

/** An alert as it travels on the bus (times as ISO strings): the stored alert, open. */
export interface AlertPayload {
  id: string;
  ruleId: string | null;
  kind: string;
  severity: AlertSeverity;
  message: string;
  evidence: AlertEvidence;
  raisedAt: string;
}

/** An evaluation as it travels on the bus: who it is about and its current score. */
export interface EvaluationPayload {
  id: string;
  scorecardId: string;
  version: number;
  kind: 'auto' | 'review' | 'calibration';
  status: string;
  overall: number | null;
  passed: boolean | null;
  needsReview: boolean;
  agentExternalId: string | null;
  /** The user linked to the call's agent, if any (whom to notify). */
  agentUserId: string | null;
}

/** A coaching item as it travels on the bus. */
export interface CoachingPayload {
  id: string;
  evaluationId: string | null;
  questionId: string | null;
  callMs: number | null;
  note: string;
  /** YYYY-MM-DD or null. */
  dueDate: string | null;
  agentExternalId: string;
  agentUserId: string | null;
}
