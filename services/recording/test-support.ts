import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { AudioFrame, Channel, SampleRate } from '../calls/index.js';

/** A silent logger for tests. */
export const quietLog = pino({ level: 'silent' });

export function tempDir(prefix = 'recording-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Deterministic, distinct content per channel: sample i of the call. */
export function sampleAt(channel: Channel, i: number): number {
  const v = channel === 'agent' ? (i * 7919 + 13) % 65536 : (i * 104729 + 7) % 65536;
  return v - 32768;
}

export function frame(channel: Channel, seq: number, start: number, length: number, rate: SampleRate): AudioFrame {
  const pcm = new Int16Array(length);
  for (let i = 0; i < length; i++) pcm[i] = sampleAt(channel, start + i);
  return { callId: 'test', channel, seq, startMs: (start * 1000) / rate, pcm, rate };
}

export function expected(channel: Channel, length: number): Int16Array {
  return Int16Array.from({ length }, (_, i) => sampleAt(channel, i));
}
