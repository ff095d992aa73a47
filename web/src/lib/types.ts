/** The API's shapes as the web app reads them (JSON: dates are ISO strings). Mirrors services/store and services/speech. */
export type Role = 'admin' | 'trainer' | 'qa' | 'supervisor' | 'agent';
export const ROLES: readonly Role[] = ['admin', 'trainer', 'qa', 'supervisor', 'agent'];
export type Channel = 'agent' | 'customer';
export const CHANNELS: readonly Channel[] = ['agent', 'customer'];

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

export interface Session {
  user: User;
  csrfToken: string;
  expiresAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export type CallStatus = 'live' | 'ended' | 'interrupted';
export const CALL_STATUSES: readonly CallStatus[] = ['live', 'ended', 'interrupted'];
export type TranscriptionStatus = 'pending' | 'running' | 'done' | 'not-transcribed' | 'failed';

export interface Transcription {
  status: TranscriptionStatus;
  note: string | null;
  engine: string | null;
  lost: { speaker: Channel; fromMs: number; toMs: number; reason: string }[];
}

export interface Call {
  id: string;
  protocol: string;
  externalId: string;
  direction: 'inbound' | 'outbound';
  status: CallStatus;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  sampleRate: number;
  customerNumber: string | null;
  language: string | null;
  agent: { id: string; externalId: string; displayName: string; teamId: string | null; teamName: string | null } | null;
  queue: { id: string; name: string; department: string } | null;
  recording: { format: string; bytes: number | null; url: string } | null;
  transcription: Transcription;
}

/** One call as its page shows it: with the customer's survey result when the platform posted one. */
export interface CallDetail extends Call {
  csat: { score: number; comment: string | null; receivedAt: string } | null;
}

/** A call as the calls list shows it: with its QA score (the lowest final score among its scorecards), customer sentiment and alerts. */
export interface CallListItem extends Call {
  score: number | null;
  /** The customer's mean sentiment and its label (|mean| ≥ 0.2 as the segments' labels); null when not summarised. */
  customerSentiment: number | null;
  customerSentimentLabel: SentimentLabel | null;
  alerts: number;
  /** Alerts not acknowledged yet. */
  openAlerts: number;
}

export type AlertPresence = 'any' | 'open' | 'none';
export const ALERT_PRESENCES: readonly AlertPresence[] = ['any', 'open', 'none'];

export interface CallFilter {
  agent?: string;
  team?: string;
  queue?: string;
  status?: CallStatus;
  from?: string;
  to?: string;
  /** Transcript text (web-search syntax, as the search page). */
  q?: string;
  scoreMin?: number;
  scoreMax?: number;
  sentiment?: SentimentLabel;
  alerts?: AlertPresence;
  limit?: number;
  offset?: number;
}

export interface Word {
  text: string;
  startMs: number;
  endMs: number;
  confidence: number;
}

export type SentimentLabel = 'negative' | 'neutral' | 'positive';
export const SENTIMENT_LABELS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];

export interface Segment {
  id: string;
  utteranceId: string;
  speaker: Channel;
  startMs: number;
  endMs: number;
  text: string;
  words: Word[];
  language: string;
  confidence: number | null;
  sentiment: { score: number; label: SentimentLabel; engine: string } | null;
}

export interface Transcript {
  callId: string;
  transcription: Transcription;
  segments: Segment[];
}

export interface SpeakerMetrics {
  talkMs: number;
  talkShare: number | null;
  words: number;
  wordsPerMinute: number | null;
  interruptionsMade: number;
  interruptionsReceived: number;
  longPauses: { withinTurn: number; betweenTurns: number };
}

export interface ConversationMetrics {
  horizonMs: number;
  firstSpeechMs: number | null;
  talkToListenRatio: number | null;
  overtalkMs: number;
  nonTalk: { totalMs: number; count: number; longest: { startMs: number; endMs: number; durationMs: number } | null };
  interruptions: { by: Channel; of: Channel; atMs: number; overlapMs: number }[];
  longPauses: { startMs: number; endMs: number; durationMs: number; kind: string; speaker: Channel }[];
  speakers: Record<Channel, SpeakerMetrics>;
}

export type SentimentTrend = 'improving' | 'stable' | 'worsening' | 'unknown';

export interface SpeakerSentiment {
  timeline: { utteranceId: string; startMs: number; endMs: number; score: number; label: SentimentLabel }[];
  mean: number | null;
  trend: SentimentTrend;
}

export interface CallMetrics {
  callId: string;
  metrics: ConversationMetrics | null;
  sentiment: { speakers: Record<Channel, SpeakerSentiment>; customer: SpeakerSentiment } | null;
  updatedAt: string | null;
}

export interface SearchQuery {
  q: string;
  speaker?: Channel;
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

export interface SearchHit {
  segmentId: string;
  callId: string;
  speaker: Channel;
  startMs: number;
  endMs: number;
  text: string;
  /** HTML-escaped with matches in <mark>…</mark> (see lib/snippet.ts). */
  snippet: string;
  call: { startedAt: string; agent: { id: string; externalId: string; displayName: string } | null; queue: string | null };
}

export type TapProtocol = 'audiohook' | 'twilio' | 'native';
export const TAP_PROTOCOLS: readonly TapProtocol[] = ['audiohook', 'twilio', 'native'];

export interface TapKey {
  id: string;
  name: string;
  keyPrefix: string;
  protocols: TapProtocol[];
  revoked: boolean;
  signaturesRequired: boolean;
}

export interface CreatedTapKey extends TapKey {
  apiKey: string;
  clientSecret: string | null;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  password: string;
}

export type AnswerValue = 'yes' | 'no' | 'na' | number;
export type EvaluationStatus = 'auto' | 'in-review' | 'reviewed' | 'acknowledged' | 'disputed';
export type DisputeStatus = 'open' | 'accepted' | 'rejected';

export interface Evidence {
  segmentId?: string;
  utteranceId?: string;
  speaker?: Channel;
  startMs: number;
  endMs: number;
  text?: string;
  note: string;
}

export interface StoredAnswer {
  questionId: string;
  autoValue: AnswerValue | null;
  autoOutcome: 'pass' | 'fail' | 'na' | 'unknown' | null;
  autoConfidence: number | null;
  autoDetail: string | null;
  evidence: Evidence[];
  needsReview: boolean;
  reviewReason: string | null;
  reviewedValue: AnswerValue | null;
  /** The answer in force: reviewedValue ?? autoValue. */
  value: AnswerValue | null;
  comment: string | null;
  commentMs: number | null;
  changedBy: { id: string; username: string } | null;
  changedAt: string | null;
}

export interface Evaluation {
  id: string;
  callId: string;
  kind: 'auto' | 'review' | 'calibration';
  status: EvaluationStatus;
  scorecard: { id: string; name: string; versionId: string; version: number };
  reviewer: { id: string; username: string } | null;
  agent: { id: string; externalId: string; displayName: string; teamId: string | null; userId: string | null } | null;
  callStartedAt: string;
  overall: number | null;
  passed: boolean | null;
  needsReview: boolean;
  createdAt: string;
  updatedAt: string;
  reviewedAt: string | null;
  acknowledgedAt: string | null;
}

export interface QuestionView {
  id: string;
  text: string;
  type: 'yes-no' | 'scale' | 'points';
  weight: number;
  critical: boolean;
  na: boolean;
  min?: number;
  max?: number;
  guidance: string | null;
  automatic: boolean;
  answer: StoredAnswer | null;
}

export interface Dispute {
  id: string;
  evaluationId: string;
  questionId: string;
  raisedBy: { id: string; username: string } | null;
  reason: string;
  proposedValue: AnswerValue | null;
  status: DisputeStatus;
  resolutionReason: string | null;
  resolvedValue: AnswerValue | null;
  createdAt: string;
}

export interface EvaluationDetail extends Evaluation {
  sections: { id: string; title: string; weight: number; questions: QuestionView[] }[];
  disputes: Dispute[];
  result: { overall: number | null; passed: boolean | null; pending: string[]; complete: boolean };
}

export interface ReviewAnswer {
  questionId: string;
  value: AnswerValue | null;
  comment?: string | null;
  commentMs?: number | null;
}

export type AlertSeverity = 'info' | 'warning' | 'critical';

export interface Alert {
  id: string;
  callId: string;
  kind: string;
  severity: AlertSeverity;
  message: string;
  raisedAt: string;
  acknowledgedBy: { id: string; username: string } | null;
  acknowledgedAt: string | null;
  agent: { externalId: string; displayName: string } | null;
}

export type ScorecardVersionStatus = 'draft' | 'published';

export interface ScorecardVersionSummary {
  id: string;
  scorecardId: string;
  version: number;
  status: ScorecardVersionStatus;
  origin: string;
  createdBy: string | null;
  createdAt: string;
  publishedBy: string | null;
  publishedAt: string | null;
}

export interface ScorecardVersion extends ScorecardVersionSummary {
  source: string;
}

export interface ScorecardSummary {
  id: string;
  name: string;
  createdAt: string;
  latest: ScorecardVersionSummary | null;
  published: ScorecardVersionSummary | null;
}

/** A problem in a scorecard's YAML (400 from the scorecard endpoints). */
export interface ScorecardIssue {
  file: string;
  line: number;
  column: number;
  field: string;
  message: string;
}

export interface ScoreDistribution {
  calls: number;
  scored: number;
  mean: number | null;
  passed: number;
  passRate: number | null;
  buckets: { from: number; to: number; count: number }[];
}

export interface PreviewOutcome { overall: number | null; passed: boolean | null }

export interface ScorecardPreview {
  scorecardId: string;
  considered: number;
  published: { version: number; distribution: ScoreDistribution } | null;
  draft: { distribution: ScoreDistribution };
  changes: {
    callId: string;
    agent: { externalId: string; displayName: string } | null;
    startedAt: string;
    old: PreviewOutcome | null;
    new: PreviewOutcome | null;
  }[];
}

/** A coaching note at a moment of a call (`atMs`, ms from its start). */
export interface CallNote {
  id: string;
  callId: string;
  atMs: number;
  text: string;
  author: { id: string; username: string; displayName: string } | null;
  createdAt: string;
}

export interface TeamSupervisor {
  id: string;
  username: string;
  displayName: string;
}

export interface Team {
  id: string;
  name: string;
  createdAt: string;
  supervisors: TeamSupervisor[];
  agentCount: number;
}

/** The agent identity a phone platform sends (admin view): its team and linked agent user. */
export interface Agent {
  id: string;
  externalId: string;
  displayName: string;
  userId: string | null;
  teamId: string | null;
  createdAt: string;
}

export type AlertRuleKind = 'negative-sentiment' | 'prohibited-phrase' | 'escalation-phrase' | 'long-hold' | 'handle-time' | 'agitation';
export const ALERT_RULE_KINDS: readonly AlertRuleKind[] = ['negative-sentiment', 'prohibited-phrase', 'escalation-phrase', 'long-hold', 'handle-time', 'agitation'];
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['info', 'warning', 'critical'];

export interface AlertRule {
  id: string;
  name: string;
  kind: AlertRuleKind;
  severity: AlertSeverity;
  enabled: boolean;
  params: Record<string, unknown>;
  /** Null: at most once per call. */
  cooldownMs: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface AlertRuleInput {
  name: string;
  severity: AlertSeverity;
  enabled: boolean;
  params: Record<string, unknown>;
  cooldownMs: number | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actorId: string | null;
  actorUsername: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
}

export interface AuditQuery {
  action?: string;
  actor?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}
