export type {
  Vad, VadChannel, VadChannelOptions, VadEvent, VadOptions, VadSegmenterOptions, VadSpeechEnded, VadSpeechStarted, VadStats,
} from './types.js';
export { createVad } from './vad.js';
export { createVadStage } from './stage.js';
export { VAD_DEFAULTS, resolveVadOptions } from './options.js';
export { sileroModelPath } from './model.js';
export { createVadSegmenter, CHUNK_MS as VAD_CHUNK_MS, FRAME_MS as VAD_FRAME_MS, type VadSegmenter, type VadSegmenterConfig } from './segmenter.js';
