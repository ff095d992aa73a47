export type { BusEvent, BusEventType } from './events.js';
export { createInProcessBus, type EventBus, type BusHandler } from './bus.js';
