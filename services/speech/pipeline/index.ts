export type * from './types.js';
export { createCallPipeline, type CallPipeline } from './call-pipeline.js';
export { createSpeechGate, type SpeechGate, type Chunk } from './speech-gate.js';
