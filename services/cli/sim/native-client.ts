import { AppError, ProtocolError } from '../../core/index.js';
import type { PreparedMedia, ProtocolConnection, EndState } from './connection.js';
import type { InjectedCollector } from './injected-audio.js';
import { createPayloadDecoder } from './media-codec.js';
import { decodeNativeFrame, encodeNativeFrame } from './native-frame.js';
import { createReplyWaiter } from './reply-waiter.js';
import { openSimSocket, settlesWithin, type SimSocket } from './sim-socket.js';
import type { Channel, InjectTarget, SimCredentials, SimMetadata } from './types.js';

export interface NativeClientOptions {
  /** Full endpoint URL, e.g. `ws://localhost:8080/tap/native`. */
  url: string;
  credentials: SimCredentials;
  /** Send the key as `?key=` instead of `Authorization: Bearer`. */
  keyInQuery?: boolean;
  media: PreparedMedia;
  metadata: SimMetadata & { externalId: string };
  injected: InjectedCollector;
  inject?: InjectTarget[];
  onMessage?: (msg: unknown) => void;
  pingIntervalMs?: number;
  highWaterMark?: number;
}

const CHANNEL_BYTE: Record<Channel, number> = { agent: 0, customer: 1 };
const TARGET_OF: Record<number, InjectTarget | undefined> = { 0: 'agent', 1: 'customer', 2: 'both' };
type Reply = 'started' | 'stopped' | 'pong';

/** The adapter side of docs/native-protocol.md: `start`, 12-byte-header audio frames, `stop`; collects injected audio. */
export function createNativeClient(opts: NativeClientOptions): ProtocolConnection {
  const { media, metadata } = opts;
  const channels = (['agent', 'customer'] as const).filter((c) => media.frames[c]);
  const decoder = createPayloadDecoder(media.codec, media.rate);
  const replies = createReplyWaiter<Reply>();
  const seq: Record<Channel, number> = { agent: 0, customer: 0 };
  const rtts: number[] = [];
  const errors: string[] = [];
  let sock: SimSocket | undefined;
  let ended: EndState | undefined;
  let ending = false;
  let serverCallId: string | undefined;
  let messages = 0;
  let ping: NodeJS.Timeout | undefined;
  let pingSentAt = 0;
  let endedCtl = new AbortController();

  const send = (msg: unknown) => { sock?.sendJson(msg); messages += 1; };

  function onText(text: string) {
    let msg: Record<string, unknown>;
    try { msg = JSON.parse(text) as Record<string, unknown>; } catch { errors.push(`invalid JSON: ${text.slice(0, 200)}`); return; }
    opts.onMessage?.(msg);
    switch (msg.type) {
      case 'started': serverCallId = typeof msg.callId === 'string' ? msg.callId : serverCallId; replies.resolve('started', msg); break;
      case 'stopped': replies.resolve('stopped', msg); break;
      case 'pong': if (pingSentAt) { rtts.push(performance.now() - pingSentAt); pingSentAt = 0; } break;
      case 'error': errors.push(`${String(msg.code)}: ${String(msg.message)}`); break;
      case 'inject': break;
      default: errors.push(`unexpected message: ${text.slice(0, 200)}`);
    }
  }

  function onBinary(buf: Buffer) {
    try {
      const f = decodeNativeFrame(buf);
      const target = TARGET_OF[f.channel];
      if (!target) throw new ProtocolError(`injected frame for unknown target ${f.channel}`, 1002);
      opts.injected.add({ target, pcm: decoder(f.payload), rate: media.rate, seq: f.seq, timestampMs: f.timestampMs }, f.payload.length);
    } catch (err) {
      errors.push(err instanceof Error ? err.message : String(err));
    }
  }

  return {
    get externalId() { return metadata.externalId; },
    get serverCallId() { return serverCallId; },
    get serverEnded() { return ended; },
    get endedSignal() { return endedCtl.signal; },
    async connect(signal, resume) {
      replies.reset();
      ended = undefined;
      if (endedCtl.signal.aborted) endedCtl = new AbortController();
      const url = new URL(opts.url);
      const headers: Record<string, string> = {};
      if (opts.credentials.apiKey && opts.keyInQuery) url.searchParams.set('key', opts.credentials.apiKey);
      else if (opts.credentials.apiKey) headers.authorization = `Bearer ${opts.credentials.apiKey}`;
      const s = await openSimSocket(url.href, { headers, signal, highWaterMark: opts.highWaterMark });
      sock = s;
      s.onText(onText);
      s.onBinary(onBinary);
      void s.closed.then(({ code, reason }) => {
        clearInterval(ping);
        if (sock !== s) return;
        replies.fail(new ProtocolError(`server closed the socket (${code}${reason ? `: ${reason}` : ''})`, code));
        if (!ending) { ended ??= { outcome: 'server-ended', reason: `closed ${code}${reason ? `: ${reason}` : ''}` }; endedCtl.abort(); }
      });
      send({
        type: 'start', version: 1, callId: metadata.externalId, direction: metadata.direction ?? 'inbound',
        codec: media.codec, rate: media.rate,
        ...(metadata.agentId ? { agentId: metadata.agentId } : {}),
        ...(metadata.queue ? { queue: metadata.queue } : {}),
        ...(metadata.customerNumber ? { customerNumber: metadata.customerNumber } : {}),
        ...(metadata.language ? { language: metadata.language } : {}),
        inject: opts.inject ?? ['agent', 'customer', 'both'],
        ...(metadata.extra ? { metadata: metadata.extra } : {}),
      });
      try {
        const started = await replies.wait<{ resumed?: boolean }>('started', 'started', 10_000, signal);
        if (resume && started.resumed === false) errors.push('server did not resume the call (started.resumed = false)');
      } catch (err) {
        s.drop();
        throw err instanceof AppError ? new AppError(`native start failed: ${err.message}${errors.length ? ` (${errors.at(-1)})` : ''}`, { cause: err }) : err;
      }
      const interval = opts.pingIntervalMs ?? 5000;
      ping = setInterval(() => { pingSentAt = performance.now(); send({ type: 'ping' }); }, interval);
    },
    audioActive: () => sock?.isOpen === true,
    sendFrame(k) {
      let bytes = 0;
      for (const c of channels) {
        const payload = media.frames[c]![k];
        sock?.sendBinary(encodeNativeFrame({ channel: CHANNEL_BYTE[c], seq: seq[c]++, timestampMs: k * media.frameMs, payload }));
        bytes += payload.length;
        messages += 1;
      }
      return { bytes, messages: channels.length, channels };
    },
    skipFrame() { for (const c of channels) seq[c] += 1; },
    lost(_fromK, count) { for (const c of channels) seq[c] += count; },
    sendDtmf(digit) { send({ type: 'dtmf', digit, channel: 'customer' }); },
    writable: (signal) => sock?.writable(signal) ?? Promise.resolve(),
    bufferedAmount: () => sock?.ws.bufferedAmount ?? 0,
    async end(reason, signal) {
      clearInterval(ping);
      if (ended || !sock?.isOpen) return ended ?? { outcome: 'server-ended', reason: 'socket already closed' };
      ending = true;
      send({ type: 'stop', reason: reason === 'end' ? 'hangup' : 'aborted' });
      try {
        await replies.wait('stopped', 'stopped', 10_000, signal);
        const closed = await settlesWithin(sock.closed, 10_000);
        if (!closed) sock.close(1000, 'stopped');
        return { outcome: reason === 'end' ? 'completed' : 'aborted' };
      } catch (err) {
        sock.close(1000);
        return { outcome: reason === 'end' ? 'server-ended' : 'aborted', reason: err instanceof Error ? err.message : String(err) };
      }
    },
    drop() { clearInterval(ping); const s = sock; sock = undefined; s?.drop(); },
    dispose() { clearInterval(ping); if (sock?.isOpen) sock.drop(); },
    messagesSent: () => messages,
    pingRtts: () => rtts,
    serverErrors: () => errors,
  };
}
