export { openDb, openPglite, openPostgres, type Db } from './db.js';
export { migrate } from './migrate.js';
export { idOrName, isUuid, type Page, type PageRequest, type Queryable } from './rows.js';
export { scopeCondition, type CallScope } from './scope.js';
export { createStore, type Store } from './store.js';
export {
  createUserRepo, normalizeUsername, ROLES, type NewUser, type PasswordHash, type Role, type User, type UserRepo,
} from './users-repo.js';
export { createTeamRepo, type Team, type TeamRepo, type TeamSupervisor } from './teams-repo.js';
export { createAgentRepo, type Agent, type AgentRepo } from './agents-repo.js';
export { createQueueRepo, type Queue, type QueueRepo } from './queues-repo.js';
export {
  CALL_JOINS, callFilterWhere, createCallRepo, type CallFilter, type CallFinish, type CallListItem, type CallRecord, type CallRecording, type CallRepo,
  type NewCall, type RecordingFormat,
} from './calls-repo.js';
export { ALERT_PRESENCES, FINAL_EVALUATION, SENTIMENT_LABELS, type AlertPresence } from './call-facets.js';
export { recordCallFinished, recordCallStarted, type FinishedCall, type StartedCall } from './call-records.js';
export { createAuditRepo, type AuditEntry, type AuditFilter, type AuditRepo, type NewAuditEntry } from './audit-repo.js';
export { createSessionRepo, type SessionRepo, type StoredSession } from './sessions-repo.js';
export { TRANSCRIPTION_STATUSES, type LostRange, type Transcription, type TranscriptionStatus } from './transcription.js';
export {
  createTranscriptRepo, searchText, type SegmentInput, type StoredMetrics, type StoredSegment, type TranscriptRepo,
} from './transcripts-repo.js';
export { isSearchable, type SearchHit, type TranscriptSearch } from './transcript-search.js';
export {
  createScorecardRepo, type NewScorecardVersion, type ScorecardRepo, type ScorecardSummary, type ScorecardVersion,
  type ScorecardVersionStatus, type ScorecardVersionSummary,
} from './scorecards-repo.js';
export {
  createEvaluationRepo, EVALUATION_STATUSES, type AnswerChange, type EvaluationFilter, type EvaluationKind, type EvaluationRecord,
  type EvaluationRepo, type EvaluationStatus, type NewEvaluation, type QuestionTrust, type StoredAnswer,
} from './evaluations-repo.js';
export { createDisputeRepo, type Dispute, type DisputeRepo, type DisputeStatus, type NewDispute } from './disputes-repo.js';
export {
  createCoachingRepo, type CoachingFilter, type CoachingItem, type CoachingRepo, type CoachingStatus, type NewCoachingItem,
} from './coaching-repo.js';
export { createCalibrationRepo, type CalibrationRepo, type CalibrationSession, type CalibrationStatus } from './calibrations-repo.js';
export {
  ALERT_RULE_KINDS, ALERT_SEVERITIES, createAlertRepo, type Alert, type AlertEvidence, type AlertFilter, type AlertRepo,
  type AlertRule, type AlertRuleKind, type AlertRulePatch, type AlertSeverity, type NewAlert, type NewAlertRule,
} from './alerts-repo.js';
export { createCsatRepo, type CsatRepo, type CsatResponse, type NewCsatResponse } from './csat-repo.js';
export { createCallNoteRepo, type CallNote, type CallNoteRepo, type NewCallNote } from './call-notes-repo.js';
export { createRescoreJobRepo, type RescoreJob, type RescoreJobRepo, type RescoreJobStatus } from './rescore-jobs-repo.js';
