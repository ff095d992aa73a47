export { createRecorder, type Recorder, type RecorderOptions, type RecordingInfo } from './recorder.js';
export { repairRecordings, type RepairedRecording } from './repair.js';
export { transcodeToOggOpus, type OpusChannelCoding, type TranscodeOptions, type TranscodeResult } from './transcode.js';
export type { RecordingErrorKind, RecordingErrorHandler } from './error-reporter.js';
