/** Domain errors, classified once at the boundary (HTTP status, WebSocket close code). */
export class AppError extends Error {
  readonly status: number;
  constructor(message: string, opts: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = new.target.name;
    this.status = opts.status ?? 500;
  }
}

/** A peer broke a protocol; `closeCode` is the WebSocket close code to send. */
export class ProtocolError extends AppError {
  readonly closeCode: number;
  constructor(message: string, closeCode = 1008, opts: { cause?: unknown } = {}) {
    super(message, { status: 400, cause: opts.cause });
    this.closeCode = closeCode;
  }
}

/** Input failed validation; `path` names the field (and line, where known). */
export class ValidationError extends AppError {
  readonly path: string;
  constructor(message: string, path = '', opts: { cause?: unknown } = {}) {
    super(message, { status: 400, cause: opts.cause });
    this.path = path;
  }
}

export class AuthError extends AppError {
  constructor(message = 'authentication required', status: 401 | 403 | 429 = 401) {
    super(message, { status });
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(`${what} not found`, { status: 404 });
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(message, { status: 409 });
  }
}

/** A native or external engine failed; `retryable` says whether trying again may help. */
export class EngineError extends AppError {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean, opts: { cause?: unknown } = {}) {
    super(message, { status: 503, cause: opts.cause });
    this.retryable = retryable;
  }
}
