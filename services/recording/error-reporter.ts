import type { Logger } from '../core/index.js';

/** What went wrong while recording (counted for /metrics as `recording errors`). */
export type RecordingErrorKind = 'write' | 'header' | 'dropped' | 'finalise' | 'transcode';

export type RecordingErrorHandler = (kind: RecordingErrorKind, err: unknown) => void;

const LOG_EVERY_MS = 10_000;

/**
 * Counts every error through `onError` and logs it, at most once per kind every 10 s (a failing disk would
 * otherwise log 50 times a second per call); the next log line says how many were suppressed.
 */
export function createErrorReporter(log: Logger, onError: RecordingErrorHandler | undefined, clock: () => number) {
  const last = new Map<RecordingErrorKind, { at: number; suppressed: number }>();
  return function report(kind: RecordingErrorKind, err: unknown, message: string, fields: Record<string, unknown> = {}): void {
    try {
      onError?.(kind, err);
    } catch (hookErr) {
      log.error({ err: hookErr }, 'recording error hook failed');
    }
    const now = clock();
    const seen = last.get(kind);
    if (seen && now - seen.at < LOG_EVERY_MS) {
      seen.suppressed++;
      return;
    }
    log.error({ err, kind, suppressed: seen?.suppressed ?? 0, ...fields }, message);
    last.set(kind, { at: now, suppressed: 0 });
  };
}

export type ErrorReporter = ReturnType<typeof createErrorReporter>;
