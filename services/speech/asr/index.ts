export type {
  AsrEngine, AsrEngineKind, AsrResult, Decoder, DecodedHyp, DecodedWord, EndpointerOptions, EngineSpec,
  LocalAsrEngine, MaybePromise, Recognizer, RecognizerOptions, SyncRecognizer,
} from './types.js';
export { createBaseRecognizer, type BaseRecognizerOptions } from './base-recognizer.js';
export { createEndpointer, ENDPOINTER_DEFAULTS, type Endpointer, type EndpointStep } from './endpointer.js';
export { engineRateFor, languageMatches, unsupportedReason } from './support.js';
export { createSphinxEngine, createSphinxDecoder, SPHINX_CAPABILITIES, type SphinxEngineOptions } from './sphinx-engine.js';
export { sphinxInstalled, SPHINX_MODEL_DIR } from './sphinx-lib.js';
export { createVoskEngine, voskCapabilities, VOSK_SAMPLE_RATES, type VoskEngineOptions } from './vosk-engine.js';
export { loadVosk, defaultVoskLibPath, type VoskLib } from './vosk-lib.js';
export { loadVoskModel, unloadVoskModels, type VoskModelHandle } from './vosk-models.js';
export { capabilitiesOf, createLocalEngine, prepareSpec } from './engine-spec.js';
export { createAsrWorkerPool, type AsrPoolOptions, type AsrPoolStats, type AsrWorkerPool } from './worker-pool.js';
export { createFallbackEngine } from './fallback-engine.js';
export {
  chooseEngine, openEngine, parseAsrEngineMode, ASR_ENGINE_MODES,
  type AsrEngineMode, type ChooseEngineInput, type EngineChoice, type InstalledVoskModel,
} from './choose-engine.js';
export { createTranscribeStage, type TranscribeStageOptions } from './transcribe-stage.js';
export { wordErrorRate, corpusWer, normalizeWords, type WerResult } from './wer.js';
export { loadSphinxCorpus, streamSignal, LIBRIVOX_DIR, type CorpusUtterance, type StreamedSignal } from './corpus.js';
