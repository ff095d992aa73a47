import type { Channel } from '../calls/index.js';

/**
 * How far a call's transcription got. `pending`: not started; `running`: segments are arriving; `done`: the
 * whole call was transcribed (see `lost` for stretches that were not); `not-transcribed`: deliberately skipped
 * (the note says why, e.g. "no model for fa"); `failed`: the recognizer stopped with an error (the note says which).
 */
export type TranscriptionStatus = 'pending' | 'running' | 'done' | 'not-transcribed' | 'failed';
export const TRANSCRIPTION_STATUSES: readonly TranscriptionStatus[] = ['pending', 'running', 'done', 'not-transcribed', 'failed'];

/** Call time of one speaker that was not transcribed (an ASR worker died or an engine failed). */
export interface LostRange {
  speaker: Channel;
  fromMs: number;
  toMs: number;
  reason: string;
}

/** The transcription state shown with a call. */
export interface Transcription {
  status: TranscriptionStatus;
  /** Why the call is not (fully) transcribed, for people: "no model for fa", "vosk failed: …". */
  note: string | null;
  /** The ASR engine that produced the transcript (or was last tried). */
  engine: string | null;
  lost: LostRange[];
}
