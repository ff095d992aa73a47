import { randomUUID } from 'node:crypto';
import { AppError, ProtocolError } from '../../core/index.js';
import {
  createAudiohookSequencer, formatDuration, mediaOffers, openParameters, parseDuration,
  type AudiohookChannel, type AudiohookClientType, type AudiohookMedia, type AudiohookSequencer, type AudiohookServerMessage,
} from './audiohook-messages.js';
import { authorityOf, signAudiohookRequest } from './audiohook-signature.js';
import type { EndState, PreparedMedia, ProtocolConnection } from './connection.js';
import type { InjectedCollector } from './injected-audio.js';
import { createPayloadDecoder } from './media-codec.js';
import { createReplyWaiter } from './reply-waiter.js';
import { openSimSocket, type SimSocket } from './sim-socket.js';
import type { Channel, SimCredentials, SimFaults, SimMetadata } from './types.js';

export interface AudiohookClientOptions {
  /** Full endpoint URL, e.g. `ws://localhost:8080/tap/audiohook`. */
  url: string;
  credentials: SimCredentials;
  /** PCMU/8000 frames per channel. */
  media: PreparedMedia;
  /** `externalId` is the session id (a UUID). */
  metadata: SimMetadata & { externalId: string };
  organizationId?: string;
  /** Channel order of the stereo offer (default external, internal). */
  channelOrder?: AudiohookChannel[];
  pause?: SimFaults['pause'];
  injected: InjectedCollector;
  onMessage?: (msg: AudiohookServerMessage) => void;
  /** First ping after `opened`, then the interval (Genesys: about 1 s, then 5 s). */
  pingDelayMs?: number;
  pingIntervalMs?: number;
  highWaterMark?: number;
}

export const DEFAULT_ORGANIZATION_ID = 'c0a5e1a8-1d5f-4e7e-9a53-6b0f2d9e8c11';
const CHANNEL_OF: Record<AudiohookChannel, Channel> = { external: 'customer', internal: 'agent' };
const PCMU_SILENCE = 0xff;
type Reply = 'opened' | 'closed';

/** The Genesys Cloud side of AudioHook v2: signed upgrade, open/opened, pings, pause/resume, discards, close/closed. */
export function createAudiohookClient(opts: AudiohookClientOptions): ProtocolConnection {
  const { media, metadata } = opts;
  const sessionId = metadata.externalId;
  const conversationId = randomUUID();
  const participantId = randomUUID();
  const decode = createPayloadDecoder('PCMU', 8000);
  const replies = createReplyWaiter<Reply>();
  const rtts: number[] = [];
  const errors: string[] = [];
  let seqr: AudiohookSequencer = createAudiohookSequencer(sessionId);
  let sock: SimSocket | undefined;
  let state: 'idle' | 'opening' | 'active' | 'closing' | 'closed' = 'idle';
  let selected: AudiohookChannel[] = [];
  let ended: EndState | undefined;
  let closeReason: 'end' | 'error' | 'disconnect' = 'end';
  let endedCtl = new AbortController();
  let messages = 0;
  let posMs = 0;
  let serverPaused = false;
  let clientPaused = false;
  let pauseStartMs = 0;
  let discardUntilMs = 0;
  let discardFromMs = 0;
  let timers: NodeJS.Timeout[] = [];
  let pingSentAt = 0;
  let lastRtt: number | undefined;
  let injectSeq = 0;
  let injectMs = 0;

  const paused = () => serverPaused || clientPaused;
  const send = (type: AudiohookClientType, parameters: Record<string, unknown> = {}) => {
    sock?.sendJson(seqr.next(type, parameters, posMs));
    messages += 1;
  };
  const serverEnd = (reason: string, close: typeof closeReason) => {
    if (ended) return;
    ended = { outcome: 'server-ended', reason };
    closeReason = close;
    endedCtl.abort();
  };
  const stopTimers = () => { for (const t of timers) clearTimeout(t); timers = []; };

  function pauseChanged(wasPaused: boolean) {
    if (!wasPaused && paused()) { pauseStartMs = posMs; send('paused'); }
    else if (wasPaused && !paused()) send('resumed', { start: formatDuration(pauseStartMs), discarded: formatDuration(posMs - pauseStartMs) });
    else if (wasPaused && paused()) send('paused'); // a resume while the other pause holds is answered with paused
  }

  const handlers: Record<AudiohookServerMessage['type'], (m: AudiohookServerMessage) => void> = {
    opened(m) {
      if (state !== 'opening') throw new ProtocolError('unexpected opened', 1002);
      const chosen = (m.parameters.media as AudiohookMedia[] | undefined) ?? [];
      if (chosen.length > 1) throw new ProtocolError(`opened selected ${chosen.length} media entries`, 1002);
      selected = chosen[0]?.channels ?? [];
      if (m.parameters.startPaused === true) { serverPaused = true; pauseStartMs = posMs; }
      if (typeof m.parameters.discardTo === 'string') { discardUntilMs = parseDuration(m.parameters.discardTo); discardFromMs = posMs; }
      state = 'active';
      replies.resolve('opened', m);
    },
    pong() {
      if (pingSentAt) { lastRtt = performance.now() - pingSentAt; rtts.push(lastRtt); pingSentAt = 0; }
    },
    pause() { const was = paused(); if (!serverPaused) { serverPaused = true; pauseChanged(was); } },
    resume() { const was = paused(); if (serverPaused) { serverPaused = false; pauseChanged(was); } },
    event() {},
    updated() {},
    reconnect() { errors.push('server asked to reconnect (not supported by Genesys)'); },
    disconnect(m) { serverEnd(`disconnect: ${String(m.parameters.reason)}${m.parameters.info ? ` (${String(m.parameters.info)})` : ''}`, 'disconnect'); },
    closed() {
      if (state !== 'closing') throw new ProtocolError('unexpected closed', 1002);
      state = 'closed';
      replies.resolve('closed');
    },
  };

  function onText(text: string) {
    try {
      const m = seqr.receive(text);
      opts.onMessage?.(m);
      handlers[m.type](m);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      errors.push(message);
      serverEnd(message, 'error');
    }
  }

  function onBinary(buf: Buffer) {
    // Audio Connector: PCMU for the external channel, played to the caller.
    const pcm = decode(buf);
    opts.injected.add({ target: 'customer', pcm, rate: 8000, seq: injectSeq++, timestampMs: injectMs }, buf.length);
    injectMs += pcm.length / 8;
  }

  function startPings() {
    const tick = () => {
      if (state !== 'active') return;
      if (pingSentAt) { errors.push('no pong before the next ping (408)'); send('error', { code: 408, message: 'pong timeout' }); serverEnd('pong timeout', 'error'); return; }
      pingSentAt = performance.now();
      send('ping', lastRtt === undefined ? {} : { rtt: formatDuration(lastRtt) });
    };
    timers.push(setTimeout(() => { tick(); timers.push(setInterval(tick, opts.pingIntervalMs ?? 5000)); }, opts.pingDelayMs ?? 1000));
  }

  return {
    get externalId() { return sessionId; },
    serverCallId: undefined,
    get serverEnded() { return ended; },
    get endedSignal() { return endedCtl.signal; },
    async connect(signal) {
      replies.reset();
      ended = undefined;
      closeReason = 'end';
      if (endedCtl.signal.aborted) endedCtl = new AbortController();
      seqr = createAudiohookSequencer(sessionId);
      state = 'opening';
      pingSentAt = 0;
      serverPaused = false;
      clientPaused = false;
      const url = new URL(opts.url);
      const organizationId = opts.organizationId ?? DEFAULT_ORGANIZATION_ID;
      const correlationId = randomUUID();
      const apiKey = opts.credentials.apiKey ?? '';
      const headers: Record<string, string> = {
        'audiohook-organization-id': organizationId, 'audiohook-session-id': sessionId,
        'audiohook-correlation-id': correlationId, 'x-api-key': apiKey,
      };
      if (opts.credentials.clientSecret) {
        const sig = signAudiohookRequest({
          requestTarget: url.pathname + url.search, authority: authorityOf(url), organizationId, sessionId, correlationId,
          apiKey, clientSecret: opts.credentials.clientSecret,
        });
        headers.signature = sig.signature;
        headers['signature-input'] = sig.signatureInput;
      }
      const s = await openSimSocket(url.href, { headers, signal, highWaterMark: opts.highWaterMark });
      sock = s;
      s.onText(onText);
      s.onBinary(onBinary);
      void s.closed.then(({ code, reason }) => {
        stopTimers();
        if (sock !== s) return;
        replies.fail(new ProtocolError(`server closed the socket (${code}${reason ? `: ${reason}` : ''})`, code));
        if (state !== 'closed') serverEnd(`socket closed ${code}${reason ? `: ${reason}` : ''}`, 'error');
        state = 'closed';
      });
      const { extra, agentId, queue, direction } = metadata;
      send('open', openParameters({
        organizationId, conversationId,
        participant: { id: participantId, ani: metadata.customerNumber ?? '', aniName: '', dnis: '' },
        media: mediaOffers(opts.channelOrder),
        language: metadata.language,
        customConfig: { ...(agentId ? { agentId } : {}), ...(queue ? { queue } : {}), ...(direction ? { direction } : {}), ...extra },
      }));
      try {
        await replies.wait('opened', 'opened', 10_000, signal);
      } catch (err) {
        s.drop();
        const detail = errors.at(-1) ?? (ended as EndState | undefined)?.reason;
        throw err instanceof AppError ? new AppError(`AudioHook open failed: ${err.message}${detail ? ` (${detail})` : ''}`, { cause: err }) : err;
      }
      startPings();
    },
    audioActive: () => state === 'active' && !paused() && posMs >= discardUntilMs && selected.length > 0 && sock?.isOpen === true,
    beforeFrame(k) {
      posMs = k * media.frameMs;
      if (discardUntilMs > 0 && posMs >= discardUntilMs) {
        send('discarded', { start: formatDuration(discardFromMs), discarded: formatDuration(posMs - discardFromMs) });
        discardUntilMs = 0;
      }
      const p = opts.pause;
      if (!p || state !== 'active') return;
      const inPause = posMs >= p.atMs && posMs < p.atMs + p.durationMs;
      if (inPause !== clientPaused) { const was = paused(); clientPaused = inPause; pauseChanged(was); }
    },
    sendFrame(k) {
      const n = selected.length;
      const len = media.frames.customer?.[k]?.length ?? media.frames.agent![k].length;
      const out = new Uint8Array(len * n);
      selected.forEach((name, j) => {
        const src = media.frames[CHANNEL_OF[name]]?.[k];
        if (!src) { for (let i = 0; i < len; i++) out[i * n + j] = PCMU_SILENCE; return; }
        for (let i = 0; i < len; i++) out[i * n + j] = src[i];
      });
      sock?.sendBinary(out);
      messages += 1;
      posMs = (k + 1) * media.frameMs;
      return { bytes: out.length, messages: 1, channels: selected.map((c) => CHANNEL_OF[c]) };
    },
    skipFrame(k) { posMs = (k + 1) * media.frameMs; },
    lost(fromK, count) {
      if (count <= 0) return;
      posMs = (fromK + count) * media.frameMs;
      send('discarded', { start: formatDuration(fromK * media.frameMs), discarded: formatDuration(count * media.frameMs) });
    },
    writable: (signal) => sock?.writable(signal) ?? Promise.resolve(),
    bufferedAmount: () => sock?.ws.bufferedAmount ?? 0,
    async end(why, signal) {
      stopTimers();
      if (!sock?.isOpen || state === 'closed') return ended ?? { outcome: 'server-ended', reason: 'socket already closed' };
      state = 'closing';
      send('close', { reason: closeReason });
      try {
        await replies.wait('closed', 'closed', 10_000, signal);
        sock.close(1000);
        await sock.closed;
        return ended ?? { outcome: why === 'end' ? 'completed' : 'aborted' };
      } catch (err) {
        sock.close(1000);
        return ended ?? { outcome: why === 'end' ? 'server-ended' : 'aborted', reason: err instanceof Error ? err.message : String(err) };
      }
    },
    drop() { stopTimers(); const s = sock; sock = undefined; s?.drop(); },
    dispose() { stopTimers(); if (sock?.isOpen) sock.drop(); },
    messagesSent: () => messages,
    pingRtts: () => rtts,
    serverErrors: () => errors,
  };
}
