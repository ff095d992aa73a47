export type * from './types.js';
export { DEFAULT_METRICS_OPTIONS, DEFAULT_AGITATION_OPTIONS, resolveMetricsOptions } from './options.js';
export { computeConversationMetrics, countWords } from './conversation-metrics.js';
export { createMetricsTracker, type MetricsTracker } from './metrics-tracker.js';
export { createAgitationTracker, type AgitationTracker } from './agitation.js';
export { createProsodyTracker, DEFAULT_PROSODY_OPTIONS, type ProsodyTracker, type ProsodyOptions } from './prosody.js';
export { estimatePitch, type PitchOptions } from './pitch.js';
export { mergeIntervals, type Interval } from './activity.js';
