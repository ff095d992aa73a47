export type { BusEvent, BusEventType } from './events.js';
export { createInProcessBus, type EventBus, type BusHandler } from './bus.js';
export {
  closeRedisConnection, connectRedisBus, createRedisBus, openRedisConnection, redisTarget,
  type RedisBusOptions, type RedisDropReason, type RedisEventBus,
} from './redis-bus.js';
export { createInProcessRelay, type Relay, type RelayHandler } from './relay.js';
export { createRedisRelay, type RedisRelayOptions } from './relay-redis.js';
export { createSupervisorHub, SUPERVISOR_PATH, type SupervisorHub, type SupervisorHubContext } from './supervisor/hub.js';
export {
  SUPERVISOR_PROTOCOL_VERSION, CLOSE_SESSION_ENDED, CLOSE_TOO_SLOW, type ClientMessage, type ServerMessage, type LiveCallItem,
  type StreamDescription, type StopReason, type CallSnapshot,
} from './supervisor/protocol.js';
export { createLocalMonitorRelay } from './monitor/local-relay.js';
export { createMonitorMetrics, type MonitorMetrics } from './monitor/metrics.js';
export { encodeAudioFrame, decodeAudioFrame, AUDIO_HEADER_BYTES, STREAM_ID, type SupervisorAudioFrame } from './monitor/audio-frame.js';
export { LISTEN_FRAME_MS } from './monitor/stream-encoder.js';
export type {
  MonitorRelay, ListenStream, ListenPacket, ListenHandlers, ListenSubscription, InjectionHandle, InjectionResult, MonitorMode,
  Monitorer, CallAudioInfo,
} from './monitor/types.js';
export type { AlertPayload } from './events.js';
export {
  callTime, createAlertEngine, createPhraseMatcher, createRuleAlertSource, normalizeForMatch, parseRuleParams, RULE_PARAMS, toAlertPayload,
  type AlertCallContext, type AlertCandidate, type AlertEngine, type AlertEngineOptions, type AlertSource, type AlertWatcher, type CallEvent,
  type RuleParams,
} from './alerts/index.js';
