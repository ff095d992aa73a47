export type { AlertCallContext, AlertCandidate, AlertSource, AlertWatcher, CallEvent, LiveCallMeta } from './types.js';
export { createAlertEngine, toAlertPayload, type AlertEngine, type AlertEngineOptions } from './engine.js';
export { createRuleAlertSource, callTime } from './rule-source.js';
export { createScorecardAlertSource, type ScorecardAlertSourceOptions } from './scorecard-source.js';
export { parseRuleParams, RULE_PARAMS, type RuleParams } from './rule-params.js';
export { createPhraseMatcher, normalizeForMatch } from './phrase-match.js';
