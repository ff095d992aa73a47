import { performance } from 'node:perf_hooks';
import WebSocket, { type RawData } from 'ws';
import type { CallRegistry, TapProtocol } from '../../calls/index.js';
import { ProtocolError, type Logger } from '../../core/index.js';
import { createCallBinding, type CallBinding } from './call-binding.js';
import type { TapMetrics } from './metrics.js';
import type { TapProtocolSession, TapSocket } from './types.js';

/** Close codes the tap uses besides the standard ones. */
export const CLOSE_IDLE = 4408;
const CLOSE_INTERNAL = 1011;
const CLOSE_GOING_AWAY = 1001;
/** Bytes queued toward a peer above which we stop reading from it; twice this, and injected audio is dropped. */
const HIGH_WATER_MARK = 1 << 20;
const SHUTDOWN_WAIT_MS = 1000;

export interface TapConnection {
  readonly socket: TapSocket;
  readonly binding: CallBinding;
  readonly log: Logger;
  /** Starts dispatching messages to `session` (and the idle timer). */
  start(session: TapProtocolSession): void;
  /** Server shutdown: last words from the session, close 1001, wait briefly, then cut the connection. */
  shutdown(): Promise<void>;
  readonly closed: Promise<void>;
}

/** A close reason must fit a control frame (123 bytes of UTF-8). */
function closeReason(reason: string): string {
  const buf = Buffer.from(reason, 'utf8');
  return buf.length <= 123 ? reason : buf.subarray(0, 120).toString('utf8').replace(/\uFFFD+$/, '') + '…';
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/**
 * Wraps one accepted WebSocket: the TapSocket port with backpressure, the idle timeout, error isolation (a failing
 * handler closes this connection only, with the ProtocolError's code or 1011) and the call registry glue
 * (a socket that closes before the call ended properly reports the call as disconnected).
 */
export function createTapConnection(opts: {
  ws: WebSocket; protocol: TapProtocol; log: Logger; metrics: TapMetrics; registry: CallRegistry; idleTimeoutMs: number;
}): TapConnection {
  const { ws, log } = opts;
  const binding = createCallBinding({ protocol: opts.protocol, registry: opts.registry, metrics: opts.metrics, log });
  const pauses = new Set<'session' | 'backpressure'>();
  let session: TapProtocolSession | undefined;
  let idle: NodeJS.Timeout | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => { resolveClosed = resolve; });

  const isOpen = () => ws.readyState === WebSocket.OPEN;
  function setPaused(why: 'session' | 'backpressure', on: boolean): void {
    const was = pauses.size > 0;
    if (on) pauses.add(why); else pauses.delete(why);
    if (!isOpen()) return;
    if (!was && pauses.size > 0) ws.pause();
    else if (was && pauses.size === 0) ws.resume();
  }
  const afterSend = (): void => {
    if (pauses.has('backpressure') && ws.bufferedAmount < HIGH_WATER_MARK / 2) setPaused('backpressure', false);
  };
  function send(data: string | Uint8Array): void {
    ws.send(data, afterSend);
    if (ws.bufferedAmount > HIGH_WATER_MARK && !pauses.has('backpressure')) {
      log.warn({ buffered: ws.bufferedAmount }, 'peer is not reading; pausing its input');
      setPaused('backpressure', true);
    }
  }

  const socket: TapSocket = {
    get open() { return isOpen(); },
    sendJson(message) {
      if (!isOpen()) return false;
      send(JSON.stringify(message));
      return true;
    },
    sendBinary(data) {
      if (!isOpen() || ws.bufferedAmount > 2 * HIGH_WATER_MARK) return false;
      send(data);
      return true;
    },
    close(code, reason = '') {
      if (ws.readyState === WebSocket.CLOSING || ws.readyState === WebSocket.CLOSED) return;
      // Read again, or the peer's half of the closing handshake would never be seen.
      if (pauses.size > 0) {
        pauses.clear();
        ws.resume();
      }
      ws.close(code, closeReason(reason));
    },
    pause: () => setPaused('session', true),
    resume: () => setPaused('session', false),
  };

  function fail(err: unknown): void {
    if (err instanceof ProtocolError) {
      log.warn({ reason: err.message, closeCode: err.closeCode }, 'closing tap connection: protocol error');
      socket.close(err.closeCode, err.message);
    } else {
      log.error({ err }, 'tap connection handler failed');
      socket.close(CLOSE_INTERNAL, 'internal error');
    }
  }
  function run(fn: () => void | Promise<void>): void {
    try {
      const result = fn();
      if (result) result.then(undefined, fail);
    } catch (err) {
      fail(err);
    }
  }

  ws.on('message', (data, isBinary) => {
    const arrivedAt = performance.now();
    idle?.refresh();
    const s = session;
    if (!s) return;
    const buf = toBuffer(data);
    run(() => (isBinary ? s.onBinary(buf, arrivedAt) : s.onText(buf.toString('utf8'), arrivedAt)));
  });
  ws.on('error', (err: Error & { code?: string }) => {
    if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') binding.dropped('oversize');
    log.warn({ reason: err.message, code: err.code }, 'tap socket error');
  });
  ws.on('close', (code) => {
    clearTimeout(idle);
    log.info({ code, callId: binding.session?.id, ended: binding.ended }, 'tap connection closed');
    binding.lost();
    const s = session;
    if (s) run(() => s.onClosed(code));
    resolveClosed();
  });

  return {
    socket, binding, log, closed,
    start(s) {
      session = s;
      idle = setTimeout(() => {
        log.warn({ idleTimeoutMs: opts.idleTimeoutMs }, 'tap connection idle');
        run(() => s.onIdle());
        // The session should have closed; make sure.
        socket.close(CLOSE_IDLE, 'idle timeout');
      }, opts.idleTimeoutMs);
    },
    async shutdown() {
      const s = session;
      if (s && isOpen()) run(() => s.onShutdown());
      socket.close(CLOSE_GOING_AWAY, 'server shutting down');
      // A peer that does not answer the closing handshake is cut off.
      const cut = setTimeout(() => ws.terminate(), SHUTDOWN_WAIT_MS);
      await closed;
      clearTimeout(cut);
    },
  };
}
