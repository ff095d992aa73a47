import type { CallMeta, Capabilities, TapPort } from '../../calls/index.js';
import { AppError, truncate, type Logger } from '../../core/index.js';
import type { CallBinding } from '../shared/call-binding.js';
import type { Clock, TapProtocolSession, TapSocket } from '../shared/types.js';
import { selectMedia, splitFrame, type SelectedMedia } from './media.js';
import {
  isClientEnvelope, isClientType, NULL_UUID, PARAMETER_GUARDS, parseDuration,
  type ClientMessage, type ClientType, type CloseParameters, type DisconnectReason, type ErrorParameters,
  type OpenParameters, type PingParameters, type ServerType, type SkipParameters, type UpdateParameters,
} from './messages.js';

/** AudioHook Monitor is listen-only: no whisper, barge or playing to the customer. */
export const AUDIOHOOK_CAPABILITIES: Capabilities = { listen: true, whisper: false, barge: false, playToCustomer: false };
const RATE = 8000;
/** A single pause or discard may skip at most this much (longer is treated as a client error). */
const MAX_SKIP_SAMPLES = 4 * 3600 * RATE;
/** Silence for a skip is put on the timeline in steps of this size, so a long hold never allocates at once. */
const SKIP_STEP_SAMPLES = 10 * RATE;
const CLOSE_CODE: Record<DisconnectReason, number> = { completed: 1000, unauthorized: 1008, error: 1002 };

export type AudiohookState = 'awaiting-open' | 'active' | 'paused' | 'disconnecting' | 'closing' | 'closed';

export interface AudiohookSessionOptions {
  /** From the Audiohook-Session-Id / -Organization-Id / -Correlation-Id headers. */
  sessionId: string;
  organizationId: string;
  correlationId?: string;
  tapKeyId?: string;
  socket: TapSocket;
  clock: Clock;
  log: Logger;
  calls: CallBinding;
  /** Called when `open` fails authorization (organization mismatch). */
  onUnauthorized?: () => void;
  /** How long the client gets to send `close` after a `disconnect`, or to close the socket after `closed`. */
  closeWaitMs?: number;
}

export interface AudiohookSession extends TapProtocolSession {
  readonly state: AudiohookState;
  /** Asks the client to pause / resume audio (idempotent). */
  pause(): void;
  resume(): void;
  /** Asks the client to run a close transaction. */
  disconnect(reason: DisconnectReason, info?: string): void;
}

type Handler = (m: ClientMessage) => void | Promise<void>;

/** The server side of one AudioHook v2 session (PROTOCOLS.md §1): a string-union state and a dispatch table. */
export function createAudiohookSession(o: AudiohookSessionOptions): AudiohookSession {
  let state: AudiohookState = 'awaiting-open';
  let log = o.log;
  let seq = 0;
  let clientseq = 0;
  let media: SelectedMedia | undefined;
  let probe = false;
  /** Timeline sample of this stream's position 0 (non-zero when a live call is resumed). */
  let base = 0;
  /** The client's stream position in samples: audio received plus audio skipped. */
  let streamPos = 0;
  let audioWhileDisconnecting = false;
  let positionWarned = false;
  let cancelWait: (() => void) | undefined;

  const port: TapPort = {
    capabilities: AUDIOHOOK_CAPABILITIES,
    inject() { throw new AppError('an AudioHook tap cannot send audio into the call', { status: 409 }); },
  };

  function send(type: ServerType, parameters: Record<string, unknown>): void {
    if (state === 'closed') return;
    seq += 1;
    o.socket.sendJson({ version: '2', id: o.sessionId, type, seq, clientseq, parameters });
  }

  function closeAfterWait(code: number, reason: string): void {
    cancelWait?.();
    cancelWait = o.clock.setTimer(o.closeWaitMs ?? 5000, () => o.socket.close(code, reason));
  }

  function disconnect(reason: DisconnectReason, info?: string): void {
    if (state === 'disconnecting' || state === 'closing' || state === 'closed') {
      log.warn({ reason, info, state }, 'AudioHook disconnect suppressed (already ending)');
      return;
    }
    log.warn({ reason, info, state }, 'disconnecting AudioHook session');
    // Audio in flight after a normal disconnect is still the call's; after an error it is not trusted.
    audioWhileDisconnecting = reason === 'completed' && state === 'active';
    state = 'disconnecting';
    send('disconnect', info ? { reason, info } : { reason });
    closeAfterWait(CLOSE_CODE[reason], `no close after disconnect (${reason})`);
  }
  const fail = (info: string) => disconnect('error', info);

  function skip(p: SkipParameters, what: 'resumed' | 'discarded'): void {
    const start = Math.round(parseDuration(p.start)! * RATE);
    const target = Math.round((parseDuration(p.start)! + parseDuration(p.discarded)!) * RATE);
    if (start !== streamPos) log.debug({ start, streamPos, what }, 'skip start differs from the audio received');
    if (target <= streamPos) {
      if (target < streamPos) log.warn({ target, streamPos, what }, 'skip ends before the audio already received; ignored');
      return;
    }
    if (target - streamPos > MAX_SKIP_SAMPLES) return fail(`${what}: discarded stretch is implausibly long`);
    for (let at = streamPos + SKIP_STEP_SAMPLES; at < target; at += SKIP_STEP_SAMPLES) o.calls.skipTo(base + at);
    o.calls.skipTo(base + target);
    log.debug({ what, fromSample: streamPos, toSample: target }, 'timeline skipped');
    streamPos = target;
  }

  function open(m: ClientMessage): void {
    if (state !== 'awaiting-open') {
      log.warn({ state }, 'ignoring repeated open');
      return;
    }
    const p = m.parameters as unknown as OpenParameters;
    if (p.organizationId.toLowerCase() !== o.organizationId.toLowerCase()) {
      o.onUnauthorized?.();
      return disconnect('unauthorized', 'organizationId does not match the Audiohook-Organization-Id header');
    }
    media = selectMedia(p.media);
    if (p.conversationId === NULL_UUID) {
      probe = true;
      send('opened', { media: media ? [media.offer] : [], startPaused: false });
      state = 'active';
      log.info('AudioHook connection probe answered');
      return;
    }
    if (!media) {
      send('opened', { media: [], startPaused: false });
      state = 'active';
      return fail('no supported media offered (need PCMU at 8000 Hz with the external and/or internal channel)');
    }
    if (o.calls.live(o.sessionId)?.connected) return fail('this session is already connected on another socket');
    const cfg = p.customConfig ?? {};
    const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    const extra: Record<string, string> = { conversationId: p.conversationId, participantId: p.participant.id, organizationId: p.organizationId };
    if (o.correlationId) extra.correlationId = o.correlationId;
    if (p.participant.dnis) extra.dnis = p.participant.dnis;
    const meta: CallMeta = {
      protocol: 'audiohook', externalId: o.sessionId,
      direction: cfg.direction === 'outbound' ? 'outbound' : 'inbound',
      queue: str(cfg.queue), agentExternalId: str(cfg.agentId),
      customerNumber: str(p.participant.ani), language: p.language, extra, tapKeyId: o.tapKeyId,
    };
    const { session, resumed } = o.calls.open(meta, RATE, port);
    log = log.child({ callId: session.id });
    base = resumed ? Math.round((session.durationMs * RATE) / 1000) : 0;
    send('opened', { media: [media.offer], startPaused: false });
    state = 'active';
    log.info({ resumed, channels: media.offer.channels, conversationId: p.conversationId }, 'AudioHook session opened');
  }

  const handlers: Record<ClientType, Handler> = {
    open,
    ping(m) {
      const rtt = (m.parameters as PingParameters).rtt;
      send('pong', {});
      if (rtt) log.trace({ rtt }, 'AudioHook ping');
    },
    update(m) {
      const { language } = m.parameters as unknown as UpdateParameters;
      const session = o.calls.session;
      if (session && (state === 'active' || state === 'paused')) session.meta.language = language;
      log.info({ language }, 'AudioHook language update');
    },
    paused() {
      if (state === 'active') state = 'paused';
      else log.warn({ state }, 'ignoring paused');
    },
    resumed(m) {
      if (state !== 'paused') {
        log.warn({ state }, 'ignoring resumed');
        return;
      }
      state = 'active';
      skip(m.parameters as unknown as SkipParameters, 'resumed');
    },
    discarded(m) {
      if (state === 'active' || state === 'paused') skip(m.parameters as unknown as SkipParameters, 'discarded');
      else log.warn({ state }, 'ignoring discarded');
    },
    error(m) {
      const p = m.parameters as unknown as ErrorParameters;
      log.warn({ code: p.code, message: truncate(p.message), retryAfter: p.retryAfter }, 'AudioHook client reported an error');
    },
    async close(m) {
      if (state === 'closing' || state === 'closed') {
        log.warn({ state }, 'ignoring repeated close');
        return;
      }
      state = 'closing';
      cancelWait?.();
      log.info({ reason: (m.parameters as unknown as CloseParameters).reason }, 'AudioHook client closing');
      await o.calls.end();
      if (state !== 'closing') return;
      send('closed', {});
      state = 'closed';
      closeAfterWait(1000, 'closed');
    },
  };

  function checkPosition(position: string): void {
    const diff = Math.abs(parseDuration(position)! * RATE - streamPos);
    if (diff > RATE / 5 && !positionWarned) {
      positionWarned = true;
      log.warn({ position, serverPositionSamples: streamPos }, 'client position differs from the audio received');
    }
  }

  return {
    get state() { return state; },
    pause() { if (state === 'active' || state === 'paused') send('pause', {}); },
    resume() { if (state === 'active' || state === 'paused') send('resume', {}); },
    disconnect,

    onText(text) {
      if (state === 'closed') return;
      let msg: unknown;
      try {
        msg = JSON.parse(text);
      } catch {
        log.warn({ text: truncate(text) }, 'AudioHook message is not JSON');
        return fail('text message is not valid JSON');
      }
      if (!isClientEnvelope(msg)) {
        log.warn({ text: truncate(text) }, 'not a well-formed AudioHook client message');
        return fail('message is not a well-formed client message');
      }
      // After a disconnect the client only has to close; follow its numbering so the close is understood.
      if (state !== 'disconnecting' && msg.seq !== clientseq + 1) return fail(`seq ${msg.seq} does not follow ${clientseq}`);
      clientseq = msg.seq;
      if (msg.serverseq > seq) return fail(`serverseq ${msg.serverseq} is ahead of the server's seq ${seq}`);
      if (msg.id !== o.sessionId) return fail('message id does not match the session id');
      if (!isClientType(msg.type)) return fail(`'${truncate(msg.type, 40)}' is not a supported client message`);
      if (!PARAMETER_GUARDS[msg.type](msg.parameters)) return fail(`invalid or missing parameters in '${msg.type}'`);
      if (state !== 'awaiting-open') checkPosition(msg.position);
      return handlers[msg.type](msg);
    },

    onBinary(data, arrivedAt) {
      const sel = media;
      const writable = (state === 'active' || (state === 'disconnecting' && audioWhileDisconnecting)) && !probe && sel && o.calls.session;
      if (!writable || !sel) {
        // Audio is a client error before open and while paused; after close, during a disconnect or in a probe it is ignored.
        o.calls.dropped('inactive');
        if (state === 'awaiting-open' || state === 'paused') fail(`audio received in state ${state}`);
        return;
      }
      const channels = sel.parties.length;
      if (data.length % channels !== 0) {
        o.calls.dropped('bad_frame');
        return fail(`frame of ${data.length} bytes is not a multiple of ${channels} channels`);
      }
      const pcm = splitFrame(data, channels);
      let late = 0;
      pcm.forEach((p, i) => { late += o.calls.write(sel.parties[i], p, base + streamPos); });
      streamPos += pcm[0].length;
      o.calls.accepted(arrivedAt);
      if (late > 0 && late >= pcm[0].length * channels) o.calls.dropped('late');
    },

    onIdle() {
      disconnect('error', 'no message within the idle timeout');
      o.socket.close(4408, 'idle timeout');
    },
    onShutdown() {
      disconnect('error', 'server shutting down');
    },
    onClosed() {
      cancelWait?.();
      state = 'closed';
    },
  };
}
