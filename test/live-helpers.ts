/** Test clients for the supervisor WebSocket and simulated calls to monitor (test/live-*.int.test.ts). */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { createOpusDecoder, createOpusEncoder, sine } from '../services/audio/index.js';
import { simulateCall, type SimulateCallOptions } from '../services/cli/sim/index.js';
import type { InjectedChunk, SimSummary } from '../services/cli/sim/index.js';
import { decodeAudioFrame, encodeAudioFrame, STREAM_ID, type ServerMessage } from '../services/live/index.js';

export type Msg = ServerMessage & Record<string, unknown>;

export interface ListenFrame { stream: number; seq: number; timestampMs: number; opus: Buffer; at: number }

export interface SupervisorClient {
  ws: WebSocket;
  messages: Msg[];
  frames: ListenFrame[];
  /** The first message so far or later matching `pred`. */
  waitFor(pred: (m: Msg) => boolean, timeoutMs?: number, what?: string): Promise<Msg>;
  /** Sends a request with a fresh id and waits for the reply carrying it. */
  request(msg: Record<string, unknown>, timeoutMs?: number): Promise<Msg>;
  send(msg: Record<string, unknown>): void;
  /** Sends one microphone frame (Opus packet) with the 12-byte header. */
  sendMic(opus: Uint8Array, seq: number): void;
  close(): Promise<void>;
}

let nextId = 1;

/** Opens `/ws/supervisor` with a session cookie (and optionally an Origin); rejects with the HTTP status on refusal. */
export function connectSupervisor(wsUrl: string, cookie?: string, opts: { origin?: string } = {}): Promise<SupervisorClient> {
  const ws = new WebSocket(`${wsUrl}/ws/supervisor`, { headers: cookie ? { cookie } : {}, ...(opts.origin ? { origin: opts.origin } : {}) });
  const messages: Msg[] = [];
  const frames: ListenFrame[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data: Buffer, isBinary) => {
    if (isBinary) {
      const d = decodeAudioFrame(data);
      if (d.ok) frames.push({ stream: d.frame.stream, seq: d.frame.seq, timestampMs: d.frame.timestampMs, opus: Buffer.from(d.frame.payload), at: performance.now() });
    } else {
      messages.push(JSON.parse(data.toString()) as Msg);
    }
    for (const w of [...waiters]) w();
  });
  const client: SupervisorClient = {
    ws, messages, frames,
    waitFor(pred, timeoutMs = 5000, what = 'message') {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = messages.find(pred);
          if (!m) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(m);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(messages.map((m) => m.type))}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    async request(msg, timeoutMs) {
      const id = nextId++;
      ws.send(JSON.stringify({ ...msg, id }));
      return client.waitFor((m) => m.id === id, timeoutMs, `reply to ${String(msg.type)}`);
    },
    send(msg) { ws.send(JSON.stringify(msg)); },
    sendMic(opus, seq) { ws.send(encodeAudioFrame(STREAM_ID.microphone, seq, seq * 20, opus)); },
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      await new Promise<void>((resolve) => { ws.once('close', () => resolve()); ws.close(); });
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Waits until the call is on the client's live list (added, or in the list it got on connecting): only then is it in scope. */
export async function waitListed(client: SupervisorClient, callId: string, timeoutMs = 10_000): Promise<void> {
  const isIt = (c: unknown) => (c as { callId: string }).callId === callId;
  await client.waitFor((m) => (m.type === 'call.added' && isIt(m.call)) || (m.type === 'calls' && (m.calls as unknown[]).some(isIt)),
    timeoutMs, `call ${callId} on the live list`);
}

/** Decodes listen frames of one stream in order (at 8 kHz unless told). */
export function decodeFrames(frames: readonly ListenFrame[], rate = 8000): Int16Array {
  const dec = createOpusDecoder(rate, 1);
  const parts = frames.map((f) => dec.decode(f.opus));
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** `count` 20 ms Opus packets (48 kHz mono) of a continuous `freq` Hz tone: what a browser microphone would send. */
export function opusTone(freq: number, count: number, amplitude = 8000): Buffer[] {
  const enc = createOpusEncoder(48000, 1);
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) out.push(enc.encode(sine(48000, freq, 960, amplitude, (2 * Math.PI * freq * i * 960) / 48000)));
  return out;
}

/** Sends packets as microphone frames every 20 ms (real time); resolves when all were sent or `signal` aborts. */
export async function talk(client: SupervisorClient, packets: readonly Buffer[], signal?: AbortSignal): Promise<number> {
  const t0 = performance.now();
  let i = 0;
  for (; i < packets.length && !signal?.aborted; i++) {
    const wait = t0 + i * 20 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (client.ws.readyState !== WebSocket.OPEN) break;
    client.sendMic(packets[i], i);
  }
  return i;
}

const NATIVE_CODEC = { 8000: 'PCMU', 16000: 'L16', 48000: 'OPUS' } as const;

/** A call streaming tones (agent 600 Hz, customer 1500 Hz by default) in real time until stopped. */
export interface RunningCall {
  callId: Promise<string>;
  injected: (InjectedChunk & { at: number })[];
  /** Ends the call (the simulator stops it properly) and resolves with its summary. */
  stop(): Promise<SimSummary>;
  done: Promise<SimSummary>;
}

export function startToneCall(opts: Pick<SimulateCallOptions, 'url' | 'protocol' | 'credentials'> & {
  agentId: string; seconds?: number; agentHz?: number; customerHz?: number; rate?: 8000 | 16000 | 48000; extra?: Partial<SimulateCallOptions>;
  /** The server's call id for a platform id (for protocols that do not report it, e.g. from the registry). */
  lookup?: (externalId: string) => string | undefined;
}): RunningCall {
  const rate = opts.rate ?? 8000;
  const n = rate * (opts.seconds ?? 30);
  const ctl = new AbortController();
  const injected: RunningCall['injected'] = [];
  let resolveId!: (id: string) => void;
  let rejectId!: (err: unknown) => void;
  const callId = new Promise<string>((resolve, reject) => { resolveId = resolve; rejectId = reject; });
  const externalId = opts.protocol === 'native' ? `sim-${randomUUID()}` : randomUUID();
  if (opts.lookup) {
    const lookup = opts.lookup;
    const poll = setInterval(() => {
      const id = lookup(externalId);
      if (id) { clearInterval(poll); resolveId(id); }
    }, 10);
    void callId.finally(() => clearInterval(poll)).catch(() => {});
  }
  const done = simulateCall({
    url: opts.url, protocol: opts.protocol, credentials: opts.credentials, speed: 1, signal: ctl.signal,
    pcm: { rate, agent: sine(rate, opts.agentHz ?? 600, n, 6000), customer: sine(rate, opts.customerHz ?? 1500, n, 6000) },
    ...(opts.protocol === 'native' ? { codec: NATIVE_CODEC[rate], rate, native: { inject: ['agent', 'customer', 'both'] } } : {}),
    metadata: { externalId, agentId: opts.agentId, queue: 'support', direction: 'inbound', language: 'en-US' },
    onMessage: (m) => {
      const msg = m as { type?: string; callId?: string };
      if (msg.type === 'started' && msg.callId) resolveId(msg.callId);
    },
    onInjected: (c) => injected.push({ ...c, at: performance.now() }),
    ...opts.extra,
  });
  done.then(() => rejectId(new Error('the call ended before it started')), rejectId);
  return {
    callId, injected, done,
    stop: async () => { ctl.abort(); return done; },
  };
}

/** Concatenated injected PCM for one target, optionally only chunks that arrived after `since` (performance.now()). */
export function injectedPcm(call: RunningCall, target: InjectedChunk['target'], since = 0): Int16Array {
  const parts = call.injected.filter((c) => c.target === target && c.at >= since).map((c) => c.pcm);
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
