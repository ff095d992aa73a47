import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths never written to logs. */
const REDACT = [
  'password', '*.password', 'secret', '*.secret', 'apiKey', '*.apiKey', 'token', '*.token',
  'headers.authorization', 'headers.cookie', 'headers["x-api-key"]', 'headers.signature',
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]',
];

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { svc: 'callsight' } });
}

/** Shortens a payload for logging: never dump a whole frame or message. */
export function truncate(value: string, max = 200): string {
  return value.length > max ? `${value.slice(0, max)}…(${value.length} chars)` : value;
}
