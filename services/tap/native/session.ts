import type { CallMeta, Capabilities, Channel } from '../../calls/index.js';
import { ValidationError, truncate, type Logger } from '../../core/index.js';
import type { CallBinding } from '../shared/call-binding.js';
import { createPlacer, type Placer } from '../shared/placement.js';
import type { Clock, TapProtocolSession, TapSocket } from '../shared/types.js';
import { createNativeCodec, type NativeCodec } from './codec.js';
import { decodeFrame } from './frame.js';
import { createNativeInjector, type NativeInjector } from './injector.js';
import { isDtmf, isObject, parseStart, type Json, type NativeClientType, type NativeErrorCode } from './messages.js';

export type NativeState = 'awaiting-start' | 'streaming' | 'stopping' | 'stopped';

const CHANNELS: readonly Channel[] = ['agent', 'customer'];
/** Recoverable `error` messages sent per second at most (the frames are still dropped and counted). */
const ERRORS_PER_SECOND = 10;

export interface NativeSessionOptions {
  socket: TapSocket;
  clock: Clock;
  log: Logger;
  calls: CallBinding;
  tapKeyId?: string;
  /** Frames stamped further than this beyond their channel's end are refused. */
  maxJumpMs: number;
}

export interface NativeSession extends TapProtocolSession {
  readonly state: NativeState;
}

type Handler = (m: Json) => void | Promise<void>;

/** The server side of one native tap connection (docs/native-protocol.md): a string-union state and a dispatch table. */
export function createNativeSession(o: NativeSessionOptions): NativeSession {
  let state: NativeState = 'awaiting-start';
  let log = o.log;
  let codec: NativeCodec | undefined;
  let placer: Placer | undefined;
  let injector: NativeInjector | undefined;
  /** Last seq seen per channel; undefined = the next frame sets it (a resumed call may continue its numbering). */
  const lastSeq: Record<Channel, number | undefined> = { agent: -1, customer: -1 };
  let errorWindow = 0;
  let errorsInWindow = 0;

  /** Refuses the connection: an `error` message, then the close code. */
  function fail(code: NativeErrorCode, message: string, closeCode: number): void {
    log.warn({ code, reason: message, closeCode }, 'native tap connection refused');
    o.socket.sendJson({ type: 'error', code, message });
    state = 'stopped';
    o.socket.close(closeCode, message);
  }

  /** A bad message: fatal before `start` (1002), afterwards dropped with an `error` message (rate-limited). */
  function problem(code: NativeErrorCode, message: string): void {
    if (state === 'awaiting-start') return fail(code, message, 1002);
    const second = Math.floor(o.clock.now() / 1000);
    if (second !== errorWindow) { errorWindow = second; errorsInWindow = 0; }
    if (++errorsInWindow > ERRORS_PER_SECOND) return;
    if (errorsInWindow === 1) log.warn({ code, reason: message }, 'native tap message dropped');
    o.socket.sendJson({ type: 'error', code, message });
  }

  function start(m: Json): void {
    if (state !== 'awaiting-start') return problem('bad_message', 'start was already received');
    const r = parseStart(m);
    if (!r.ok) return fail(r.unsupported ? 'unsupported_codec' : 'bad_message', r.message, r.unsupported ? 1003 : 1002);
    const s = r.start;
    const existing = o.calls.live(s.callId);
    if (existing?.connected) return fail('already_connected', `call ${s.callId} is already connected on another socket`, 4409);
    if (existing && existing.rate !== s.rate) {
      return fail('unsupported_codec', `call ${s.callId} runs at ${existing.rate} Hz; resume it at that rate`, 1003);
    }
    try {
      codec = createNativeCodec(s.codec, s.rate);
    } catch (err) {
      log.error({ err, codec: s.codec }, 'codec unavailable');
      return fail('internal', `${s.codec} is not available on this server`, 1011);
    }
    const capabilities: Capabilities = {
      listen: true, whisper: s.inject.includes('agent'), barge: s.inject.includes('both'), playToCustomer: s.inject.includes('customer'),
    };
    injector = createNativeInjector({
      codec, capabilities, socket: o.socket, clock: o.clock, log, onDropped: (n) => o.calls.dropped('backpressure', n),
    });
    const meta: CallMeta = {
      protocol: 'native', externalId: s.callId, direction: s.direction, agentExternalId: s.agentId, queue: s.queue,
      customerNumber: s.customerNumber, language: s.language, extra: s.metadata, tapKeyId: o.tapKeyId,
    };
    const { session, resumed } = o.calls.open(meta, s.rate, injector);
    log = log.child({ callId: session.id });
    const startAt = resumed ? Math.round((session.durationMs * s.rate) / 1000) : 0;
    placer = createPlacer({ toleranceSamples: s.rate / 1000, maxJumpSamples: (o.maxJumpMs * s.rate) / 1000, start: startAt });
    if (resumed) lastSeq.agent = lastSeq.customer = undefined;
    state = 'streaming';
    o.socket.sendJson({ type: 'started', callId: session.id, resumed, capabilities: session.capabilities });
    log.info({ externalId: s.callId, codec: s.codec, rate: s.rate, resumed, inject: s.inject }, 'native tap started');
  }

  const handlers: Record<NativeClientType, Handler> = {
    start,
    ping: () => { o.socket.sendJson({ type: 'pong' }); },
    dtmf(m) {
      if (!isDtmf(m)) return problem('bad_message', 'dtmf needs a digit (0-9, *, #, A-D) and an optional channel');
      // The digit itself is not logged: callers key in card numbers and PINs.
      log.info({ channel: m.channel }, 'DTMF received');
    },
    async stop(m) {
      state = 'stopping';
      injector?.close();
      log.info({ reason: typeof m.reason === 'string' ? truncate(m.reason, 60) : undefined }, 'native tap stopping');
      await o.calls.end();
      o.socket.sendJson({ type: 'stopped' });
      state = 'stopped';
      o.socket.close(1000, 'stopped');
    },
  };

  function audio(data: Buffer, arrivedAt: number): void {
    const decoded = decodeFrame(data);
    if (!decoded.ok) {
      o.calls.dropped('bad_frame');
      return problem('bad_frame', decoded.message);
    }
    const f = decoded.frame;
    const channel = CHANNELS[f.channel];
    if (!channel) {
      o.calls.dropped('bad_frame');
      return problem('bad_frame', `unknown channel ${f.channel} (0 agent, 1 customer)`);
    }
    if (f.payload.length === 0) {
      o.calls.dropped('bad_frame');
      return problem('bad_frame', 'empty payload');
    }
    let pcm: Int16Array;
    try {
      pcm = codec!.decode(channel, f.payload);
    } catch (err) {
      o.calls.dropped('bad_frame');
      if (!(err instanceof ValidationError)) log.error({ err }, 'decoding failed');
      return problem('bad_frame', err instanceof ValidationError ? err.message : 'payload could not be decoded');
    }
    const last = lastSeq[channel];
    if (last !== undefined && f.seq > last + 1) o.calls.dropped('lost', f.seq - last - 1);
    lastSeq[channel] = last === undefined ? f.seq : Math.max(last, f.seq);
    const place = placer!.place(channel, (f.timestampMs * codec!.rate) / 1000, pcm.length);
    if (place.kind === 'too_far') {
      o.calls.dropped('too_far');
      return problem('bad_frame', `timestamp ${f.timestampMs} ms lies ${Math.round((place.jump * 1000) / codec!.rate)} ms beyond the channel's end`);
    }
    const late = o.calls.write(channel, pcm, place.at);
    o.calls.accepted(arrivedAt);
    if (late >= pcm.length) o.calls.dropped('late');
  }

  return {
    get state() { return state; },
    onText(text) {
      if (state === 'stopping' || state === 'stopped') return;
      let m: unknown;
      try {
        m = JSON.parse(text);
      } catch {
        return problem('bad_json', 'message is not valid JSON');
      }
      if (!isObject(m) || typeof m.type !== 'string') return problem('bad_message', 'a text message is a JSON object with a type');
      if (state === 'awaiting-start' && m.type !== 'start') return fail('bad_message', `the first message must be start, not ${truncate(m.type, 40)}`, 1002);
      if (!Object.hasOwn(handlers, m.type)) return problem('unknown_type', `unknown message type ${truncate(m.type, 40)}`);
      return handlers[m.type as NativeClientType](m);
    },
    onBinary(data, arrivedAt) {
      if (state === 'awaiting-start') {
        o.calls.dropped('inactive');
        return fail('bad_frame', 'audio before start', 1002);
      }
      if (state !== 'streaming') {
        o.calls.dropped('inactive');
        return;
      }
      audio(data, arrivedAt);
    },
    onIdle() {
      if (state === 'stopped') return;
      fail('idle_timeout', 'no message within the idle timeout', 4408);
    },
    onShutdown() {
      o.socket.sendJson({ type: 'error', code: 'shutting_down', message: 'server shutting down' });
    },
    onClosed() {
      injector?.close();
      state = 'stopped';
    },
  };
}
