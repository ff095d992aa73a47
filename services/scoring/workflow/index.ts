export { createAutoScoring, type AutoScoring, type AutoScoringOptions } from './auto-scoring.js';
export { evaluationDetail, type EvaluationDetail, type QuestionView } from './evaluation-detail.js';
export {
  acknowledgeEvaluation, raiseDisputes, resolveDispute, submitReview, type DisputeRequest, type ReviewedAnswer,
} from './review.js';
export { createDraft, isScorecardId, publishVersion, seedScorecards, SEED_SCORECARD_DIR, sourceHash } from './scorecard-versions.js';
export { callInfo, evaluateStoredCall, evaluationPayload, loadEvaluationInput, type EvaluationPayload } from './store-evaluation.js';
export { evaluateStoredCalls, type StoredCallOutcome, type StoredCallsOptions } from './store-evaluations.js';
export {
  coachingPayload, createCoachingItems, setCoachingStatus, type CoachingPayload, type CoachingRequest,
} from './coaching.js';
export { categoryCounts, fleissKappa, pairAgreement, spread, type FleissResult } from './agreement.js';
export {
  calibrationSubmissions, calibrationView, closeCalibration, createCalibration, submitCalibrationAnswers, type CalibrationSubmission,
} from './calibration.js';
export { calibrationReport, type CalibrationReport, type QuestionAgreement, type ReviewerDeviation } from './calibration-report.js';
export { createRescoreRunner, INTERRUPTED, type RescoreRunner, type RescoreRunnerOptions } from './rescore-jobs.js';
export { createScoringGaps, type ScoringGaps, type ScoringGapsOptions } from './scoring-gaps.js';
