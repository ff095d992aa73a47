export type { BusEvent, BusEventType } from './events.js';
export { createInProcessBus, type EventBus, type BusHandler } from './bus.js';
export {
  closeRedisConnection, connectRedisBus, createRedisBus, openRedisConnection, redisTarget,
  type RedisBusOptions, type RedisDropReason, type RedisEventBus,
} from './redis-bus.js';
export { createInProcessRelay, type Relay, type RelayHandler } from './relay.js';
export { createRedisRelay, type RedisRelayOptions } from './relay-redis.js';
