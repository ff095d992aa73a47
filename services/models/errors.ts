import { AppError } from '../core/index.js';

export type DownloadFailure = 'offline' | 'http' | 'network' | 'stalled' | 'aborted';

/** A download failed; `retryable` says whether another attempt may help. */
export class DownloadError extends AppError {
  readonly kind: DownloadFailure;
  readonly retryable: boolean;
  constructor(message: string, kind: DownloadFailure, retryable: boolean, opts: { cause?: unknown; status?: number } = {}) {
    super(message, { status: opts.status ?? 502, cause: opts.cause });
    this.kind = kind;
    this.retryable = retryable;
  }
}

/** A downloaded or imported file is not the one the manifest (or the first download) promised. */
export class ChecksumError extends AppError {
  constructor(message: string) {
    super(message, { status: 422 });
  }
}

/** An archive could not be unpacked: corrupt, truncated, or an entry pointing outside the model folder. */
export class ArchiveError extends AppError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, { status: 422, cause: opts.cause });
  }
}
