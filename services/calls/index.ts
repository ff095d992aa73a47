export * from './types.js';
export { createTimeline, type Timeline, type AlignedBlock } from './timeline.js';
export { createCallSession, injectionRefusal, type CallSession } from './call-session.js';
export { createCallRegistry, type CallRegistry, type CallLifecycle } from './call-registry.js';
export { createBoundedQueue, type BoundedQueue, type OverflowPolicy } from './bounded-queue.js';
