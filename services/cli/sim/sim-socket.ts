import WebSocket from 'ws';
import { AppError, AuthError } from '../../core/index.js';

export interface SimSocketOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Handshake timeout, ms. */
  timeoutMs?: number;
  /** Bytes queued in the socket above which `writable()` waits (backpressure). */
  highWaterMark?: number;
}

export interface SimSocket {
  readonly ws: WebSocket;
  /** Resolves once the socket has closed, with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly isOpen: boolean;
  sendJson(msg: unknown): void;
  sendBinary(data: Uint8Array): void;
  /** Resolves when the queued bytes are below the high-water mark (or the socket is gone). */
  writable(signal?: AbortSignal): Promise<void>;
  onText(handler: (text: string) => void): void;
  onBinary(handler: (data: Buffer) => void): void;
  /** Closing handshake. */
  close(code?: number, reason?: string): void;
  /** Destroys the TCP connection without a WebSocket close frame (an interruption, as the server sees it). */
  drop(): void;
}

/** Opens a client WebSocket; refusals become errors that say what the server said. */
export async function openSimSocket(url: string, opts: SimSocketOptions = {}): Promise<SimSocket> {
  opts.signal?.throwIfAborted();
  const ws = new WebSocket(url, { headers: opts.headers, handshakeTimeout: opts.timeoutMs ?? 10_000, perMessageDeflate: false });
  const highWater = opts.highWaterMark ?? 256 * 1024;
  let textHandler: (text: string) => void = () => {};
  let binaryHandler: (data: Buffer) => void = () => {};
  let waiters: (() => void)[] = [];
  const wake = () => { const w = waiters; waiters = []; for (const f of w) f(); };
  ws.on('error', () => {}); // connection failures are handled below; after open they surface as 'close'
  ws.on('message', (data, isBinary) => {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
    if (isBinary) binaryHandler(buf);
    else textHandler(buf.toString('utf8'));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => { wake(); resolve({ code, reason: reason.toString('utf8') }); });
  });

  await new Promise<void>((resolve, reject) => {
    const onAbort = () => { ws.terminate(); reject(opts.signal?.reason as Error); };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const done = (err?: Error) => {
      opts.signal?.removeEventListener('abort', onAbort);
      ws.removeAllListeners('open').removeAllListeners('unexpected-response');
      if (err) reject(err); else resolve();
    };
    ws.once('open', () => done());
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => {});
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const message = serverMessage(Buffer.concat(chunks).toString('utf8')) || res.statusMessage || 'no message';
        ws.terminate();
        done(status === 401 || status === 403
          ? new AuthError(`server refused the connection (${status}): ${message}`, status)
          : new AppError(`server refused the WebSocket upgrade with HTTP ${status}: ${message}`, { status: status >= 400 ? status : 502 }));
      });
    });
    ws.once('error', (err: NodeJS.ErrnoException) => {
      const what = err.code === 'ECONNREFUSED' ? `connection refused: nothing is listening at ${url}`
        : err.code === 'ENOTFOUND' ? `host not found: ${url}`
          : `cannot connect to ${url}: ${err.message}`;
      done(new AppError(what, { status: 503, cause: err }));
    });
  });

  return {
    ws,
    closed,
    get isOpen() { return ws.readyState === WebSocket.OPEN; },
    sendJson(msg) { if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg), wake); },
    sendBinary(data) { if (ws.readyState === WebSocket.OPEN) ws.send(data, { binary: true }, wake); },
    async writable(signal) {
      while (ws.readyState === WebSocket.OPEN && ws.bufferedAmount > highWater) {
        signal?.throwIfAborted();
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          // Keep the loop alive and re-check even if no send callback fires (e.g. the peer stops reading).
          setTimeout(resolve, 50).unref();
        });
      }
    },
    onText(h) { textHandler = h; },
    onBinary(h) { binaryHandler = h; },
    close(code = 1000, reason = '') { if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(code, reason); },
    drop() { ws.terminate(); },
  };
}

function serverMessage(body: string): string {
  try {
    const v = JSON.parse(body) as { error?: unknown; message?: unknown };
    if (typeof v.error === 'string') return v.error;
    if (typeof v.message === 'string') return v.message;
  } catch { /* plain text */ }
  return body.trim().slice(0, 300);
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) { resolve(); return; }
    const t = setTimeout(done, ms);
    function done() { clearTimeout(t); signal?.removeEventListener('abort', done); resolve(); }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Waits for `p` at most `ms`; true when it settled in time. The timer is cleared either way. */
export async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
