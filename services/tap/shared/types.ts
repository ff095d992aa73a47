import type { Logger } from '../../core/index.js';

/**
 * The narrow ports a protocol session gets (DESIGN.md, "Protocol sessions as state machines"): a socket it can
 * send on and close, a clock, and a logger. The WebSocket itself stays in shared/connection.ts.
 */
export interface TapSocket {
  /** Sends a JSON text message. False when the socket is gone. */
  sendJson(message: unknown): boolean;
  /** Sends a binary message. False when the socket is gone or too far behind (the caller counts the drop). */
  sendBinary(data: Uint8Array): boolean;
  /** Closing handshake with `code`; the reason is truncated to what a close frame can carry. */
  close(code: number, reason?: string): void;
  /** Stops reading from the peer until `resume()` (backpressure while the session awaits something). */
  pause(): void;
  resume(): void;
  readonly open: boolean;
}

export interface Clock {
  /** Wall-clock milliseconds (Date.now()). */
  now(): number;
  /** Runs `fn` after `ms`; returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return () => clearTimeout(t);
  },
};

/** What the shared connection layer drives. Handlers may be async; a thrown ProtocolError closes with its code. */
export interface TapProtocolSession {
  /** A text message; `arrivedAt` is performance.now() when it arrived. */
  onText(text: string, arrivedAt: number): void | Promise<void>;
  onBinary(data: Buffer, arrivedAt: number): void | Promise<void>;
  /** Nothing arrived for the idle timeout. The session says why and closes (native/Twilio: 4408). */
  onIdle(): void;
  /** The server is shutting down: last words before the connection layer closes with 1001. */
  onShutdown(): void;
  /** The socket is closed (either side). Release timers; the call binding was already told. */
  onClosed(code: number): void;
}

export type TapLogger = Logger;
