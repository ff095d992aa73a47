export type * from './types.js';
export * from './metrics/index.js';
export * from './sentiment/index.js';
export * from './vad/index.js';
