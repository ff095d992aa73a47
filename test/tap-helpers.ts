/** Test helpers for the media tap: raw `ws` clients and a capture of what call sessions deliver. */
import WebSocket from 'ws';
import { createTapKey } from '../services/auth/index.js';
import type { CallSession, CallStatus, TapProtocol } from '../services/calls/index.js';
import type { TestServer } from './helpers/server.js';

export interface CapturedCall {
  session: CallSession;
  /** Aligned PCM the session delivered so far, per channel. */
  readonly agent: Int16Array;
  readonly customer: Int16Array;
  /** Resolves with the final status once the call finished. */
  readonly ended: Promise<CallStatus>;
}

function concat(chunks: Int16Array[]): Int16Array {
  const out = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) { out.set(c, off); off += c.length; }
  return out;
}

/**
 * Attaches a FrameSink to every call the moment it starts (`call.started` is published synchronously inside
 * registry.open, before the first frame), so a test sees exactly what recording and speech would see.
 */
export function captureCalls(server: TestServer) {
  const calls: CapturedCall[] = [];
  const waiters: ((c: CapturedCall) => void)[] = [];
  server.bus.subscribe((e) => {
    if (e.type !== 'call.started') return;
    const session = server.registry.get(e.callId);
    if (!session) throw new Error(`call ${e.callId} started but is not in the registry`);
    const agent: Int16Array[] = [];
    const customer: Int16Array[] = [];
    let resolveEnded!: (s: CallStatus) => void;
    const ended = new Promise<CallStatus>((r) => { resolveEnded = r; });
    session.addSink({
      onFrames(a, c) { agent.push(a.pcm); customer.push(c.pcm); },
      onEnd(status) { resolveEnded(status); },
    });
    const call: CapturedCall = { session, get agent() { return concat(agent); }, get customer() { return concat(customer); }, ended };
    calls.push(call);
    waiters.shift()?.(call);
  });
  let taken = 0;
  return {
    all: calls,
    /** The next call that starts (in order), waiting for it if needed. */
    next(timeoutMs = 5000): Promise<CapturedCall> {
      if (taken < calls.length) return Promise.resolve(calls[taken++]);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no call started')), timeoutMs);
        waiters.push((c) => { clearTimeout(t); taken++; resolve(c); });
      });
    },
  };
}

export interface TestClient {
  ws: WebSocket;
  /** The next text message (parsed JSON), optionally the next one matching `pred`. */
  next<T = Record<string, unknown>>(pred?: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<T>;
  nextBinary(timeoutMs?: number): Promise<Buffer>;
  /** Text messages received and not yet taken. */
  readonly texts: Record<string, unknown>[];
  sendJson(m: unknown): void;
  sendBinary(b: Uint8Array): void;
  closed: Promise<{ code: number; reason: string }>;
}

export async function connect(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
  const ws = new WebSocket(url, { headers });
  const texts: Record<string, unknown>[] = [];
  const bins: Buffer[] = [];
  let wake: (() => void) | undefined;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => { resolve({ code, reason: reason.toString() }); wake?.(); });
  });
  ws.on('message', (data, isBinary) => {
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
    if (isBinary) bins.push(buf);
    else texts.push(JSON.parse(buf.toString('utf8')) as Record<string, unknown>);
    wake?.();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with HTTP ${res.statusCode}`)));
  });
  async function waitFor<T>(take: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = take();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; texts: ${JSON.stringify(texts).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 20);
        wake = () => { clearTimeout(t); resolve(); };
      });
    }
  }
  return {
    ws, texts, closed,
    next: <T>(pred?: (m: Record<string, unknown>) => boolean, timeoutMs = 5000) => waitFor(() => {
      const i = pred ? texts.findIndex(pred) : (texts.length ? 0 : -1);
      return i >= 0 ? texts.splice(i, 1)[0] as T : undefined;
    }, timeoutMs, 'a text message'),
    nextBinary: (timeoutMs = 5000) => waitFor(() => bins.shift(), timeoutMs, 'a binary message'),
    sendJson: (m) => ws.send(JSON.stringify(m)),
    sendBinary: (b) => ws.send(b),
  };
}

/** The HTTP status an upgrade is refused with. */
export function refusedStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); res.resume(); });
    ws.on('open', () => { ws.close(); reject(new Error('upgrade was accepted')); });
    ws.on('error', () => { /* the refusal also surfaces as an error */ });
  });
}

export async function tapKey(server: TestServer, protocols: TapProtocol[], clientSecret?: string) {
  return createTapKey(server.db, { name: `key-${Math.random().toString(36).slice(2)}`, protocols, clientSecret: clientSecret ?? null });
}

/** Index of the first difference between two sample arrays (-1 when equal, including length). */
export function firstDiff(a: Int16Array, b: Int16Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** A recognisable test signal: a ramp-modulated tone (never silent for long). */
export function testSignal(samples: number, seed = 1): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) => Math.round(8000 * Math.sin((i * (seed + 1) * 2 * Math.PI) / 80) + ((i * 7 * seed) % 2000) - 1000));
}

export function concatPcm(...parts: Int16Array[]): Int16Array {
  return concat(parts);
}

export async function metricsText(server: TestServer): Promise<string> {
  return (await fetch(`${server.url}/metrics`)).text();
}

/** The value of one Prometheus series line, 0 when absent. */
export function metricValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

export async function until(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A native-protocol frame: 12-byte header (version 1, channel, flags 0, seq, timestamp ms) and the payload. */
export function nativeFrame(channel: number, seq: number, ts: number, payload: Uint8Array): Buffer {
  const b = Buffer.alloc(12 + payload.length);
  b.writeUInt8(1, 0); b.writeUInt8(channel, 1); b.writeUInt32BE(seq, 4); b.writeUInt32BE(ts, 8);
  b.set(payload, 12);
  return b;
}

/** Opens, streams and stops native PCMU/8000 calls on a test server with one tap key. */
export function nativeCalls(url: () => string, key: () => string) {
  return {
    async open(callId: string) {
      const c = await connect(url(), { authorization: `Bearer ${key()}` });
      c.sendJson({ type: 'start', callId, direction: 'inbound', codec: 'PCMU', rate: 8000 });
      const started = await c.next<{ callId: string; resumed: boolean }>((m) => m.type === 'started');
      return { c, started };
    },
    /** Sends `frames` 20 ms frames of μ-law `pcm` from frame index `fromFrame`, the same audio on both channels. */
    stream(c: TestClient, pcm: Uint8Array, fromFrame: number, frames: number) {
      for (let k = fromFrame; k < fromFrame + frames; k++) {
        const part = pcm.subarray(k * 160, (k + 1) * 160);
        c.sendBinary(nativeFrame(0, k, k * 20, part));
        c.sendBinary(nativeFrame(1, k, k * 20, part));
      }
    },
    async stop(c: TestClient) {
      c.sendJson({ type: 'stop' });
      await c.next((m) => m.type === 'stopped');
      return (await c.closed).code;
    },
  };
}
