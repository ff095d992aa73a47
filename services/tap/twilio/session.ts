import { decodeMuLaw } from '../../audio/index.js';
import type { CallMeta, Channel } from '../../calls/index.js';
import { ProtocolError, truncate, type Logger } from '../../core/index.js';
import type { CallBinding } from '../shared/call-binding.js';
import { createPlacer, type Placer } from '../shared/placement.js';
import type { Clock, TapProtocolSession, TapSocket } from '../shared/types.js';
import {
  dtmfTrack, isTwilioEvent, isTwilioMessage, markName, parseMedia, parseNumber, parseStart,
  type StartInfo, type TwilioEvent, type TwilioMessage, type TwilioTrack,
} from './messages.js';
import { createTwilioPlayback, type TwilioPlayback } from './playback.js';

const RATE = 8000;
const SAMPLES_PER_MS = RATE / 1000;
/** Messages held while the API key in `start` is checked (the socket is paused meanwhile, so few arrive). */
const MAX_HELD = 1000;

export type TwilioState = 'awaiting-start' | 'authenticating' | 'streaming' | 'stopping' | 'stopped';

export interface TwilioSessionOptions {
  socket: TapSocket;
  clock: Clock;
  log: Logger;
  calls: CallBinding;
  /**
   * When the upgrade was not signed: checks `start.customParameters.apiKey` and resolves the tap key id, or
   * undefined to refuse (close 1008). Absent when the signature was verified on the upgrade.
   */
  authorize?: (apiKey: string | undefined) => Promise<string | undefined>;
  onUnauthorized?: () => void;
  /** Frames stamped further than this beyond their channel's end are refused. */
  maxJumpMs: number;
}

export interface TwilioSession extends TapProtocolSession {
  readonly state: TwilioState;
  readonly playback: TwilioPlayback | undefined;
}

type Handler = (m: TwilioMessage, arrivedAt: number) => void | Promise<void>;

/** Reads `start.customParameters` into call metadata; `inboundParty` says who the phone party (inbound track) is. */
function callMeta(start: StartInfo, tapKeyId: string | undefined): { meta: CallMeta; inboundParty: Channel; bidirectional: boolean } {
  const p = start.customParameters;
  const inboundParty: Channel = p.inboundParty === 'agent' ? 'agent' : 'customer';
  const meta: CallMeta = {
    protocol: 'twilio', externalId: start.streamSid,
    direction: p.direction === 'outbound' ? 'outbound' : 'inbound',
    agentExternalId: p.agentId || undefined, queue: p.queue || undefined,
    customerNumber: p.customerNumber || undefined, language: p.language || undefined,
    extra: { callSid: start.callSid, accountSid: start.accountSid }, tapKeyId,
  };
  return { meta, inboundParty, bidirectional: p.bidirectional === 'true' };
}

/** The server side of one Twilio Media Stream (PROTOCOLS.md §2): a string-union state and a dispatch table. */
export function createTwilioSession(o: TwilioSessionOptions): TwilioSession {
  let state: TwilioState = 'awaiting-start';
  let log = o.log;
  let lastSeq = 0;
  let streamSid: string | undefined;
  let parties: Record<TwilioTrack, Channel> = { inbound: 'customer', outbound: 'agent' };
  let placer: Placer | undefined;
  let playback: TwilioPlayback | undefined;
  const held: { text: string; arrivedAt: number }[] = [];
  const warned = new Set<string>();

  const warnOnce = (key: string, fields: Record<string, unknown>, msg: string) => {
    if (warned.has(key)) return;
    warned.add(key);
    log.warn(fields, msg);
  };

  /** False when the message is a duplicate; a gap counts the missing messages as lost. */
  function sequence(m: TwilioMessage): boolean {
    const n = parseNumber(m.sequenceNumber);
    if (n === undefined) return true;
    if (n <= lastSeq) {
      o.calls.dropped('duplicate');
      warnOnce('duplicate', { sequenceNumber: n, last: lastSeq }, 'Twilio message repeats a sequence number; dropped');
      return false;
    }
    if (n > lastSeq + 1) {
      o.calls.dropped('lost', n - lastSeq - 1);
      log.warn({ from: lastSeq + 1, to: n - 1 }, 'Twilio sequence gap: messages lost');
    }
    lastSeq = n;
    return true;
  }

  async function start(m: TwilioMessage): Promise<void> {
    if (state !== 'awaiting-start') {
      warnOnce('start', { state }, 'ignoring repeated start');
      return;
    }
    const info = parseStart(m);
    if (!info) throw new ProtocolError('start message is missing streamSid, callSid, accountSid or mediaFormat', 1002);
    const f = info.mediaFormat;
    if (f.encoding !== 'audio/x-mulaw' || f.sampleRate !== RATE || f.channels !== 1) {
      throw new ProtocolError(`unsupported media format ${truncate(f.encoding, 40)}/${f.sampleRate}/${f.channels}`, 1003);
    }
    let tapKeyId: string | undefined;
    if (o.authorize) {
      state = 'authenticating';
      o.socket.pause();
      tapKeyId = await o.authorize(info.customParameters.apiKey);
      if (state !== 'authenticating') return; // the socket closed meanwhile: no call
      if (!tapKeyId) {
        o.onUnauthorized?.();
        state = 'stopped';
        throw new ProtocolError('unauthorized: start.customParameters.apiKey is not an active Twilio tap key', 1008);
      }
    }
    const { meta, inboundParty, bidirectional } = callMeta(info, tapKeyId);
    parties = { inbound: inboundParty, outbound: inboundParty === 'customer' ? 'agent' : 'customer' };
    streamSid = info.streamSid;
    playback = createTwilioPlayback({
      streamSid, canPlay: bidirectional && inboundParty === 'customer', socket: o.socket, clock: o.clock, log,
      onDropped: (n) => o.calls.dropped('backpressure', n),
    });
    const { session, resumed } = o.calls.open(meta, RATE, playback);
    log = log.child({ callId: session.id });
    const startAt = resumed ? Math.round((session.durationMs * RATE) / 1000) : 0;
    placer = createPlacer({ toleranceSamples: SAMPLES_PER_MS, maxJumpSamples: o.maxJumpMs * SAMPLES_PER_MS, start: startAt });
    state = 'streaming';
    log.info({ streamSid, callSid: info.callSid, tracks: info.tracks, inboundParty, bidirectional, resumed }, 'Twilio stream started');
    if (o.authorize) {
      o.socket.resume();
      for (const h of held.splice(0)) await handleText(h.text, h.arrivedAt);
    }
  }

  function media(m: TwilioMessage, arrivedAt: number): void {
    const info = parseMedia(m);
    if (!info || !placer) {
      o.calls.dropped('bad_frame');
      warnOnce('bad-media', {}, 'malformed Twilio media message dropped');
      return;
    }
    const bytes = Buffer.from(info.payload, 'base64');
    if (bytes.length === 0) {
      o.calls.dropped('bad_frame');
      return;
    }
    const channel = parties[info.track];
    const pcm = decodeMuLaw(bytes);
    const place = placer.place(channel, parseNumber(info.timestamp)! * SAMPLES_PER_MS, pcm.length);
    if (place.kind === 'too_far') {
      o.calls.dropped('too_far');
      warnOnce('too-far', { timestamp: info.timestamp, track: info.track }, 'Twilio media timestamp jumps too far ahead; dropped');
      return;
    }
    const late = o.calls.write(channel, pcm, place.at);
    o.calls.accepted(arrivedAt);
    if (late >= pcm.length) o.calls.dropped('late');
  }

  const handlers: Record<TwilioEvent, Handler> = {
    connected: () => {
      if (state !== 'awaiting-start') warnOnce('connected', { state }, 'ignoring late connected');
    },
    start,
    media,
    mark(m) {
      const name = markName(m);
      if (name !== undefined) playback?.marked(name);
    },
    dtmf(m) {
      // The digit itself is not logged: callers key in card numbers and PINs.
      log.info({ track: dtmfTrack(m) }, 'Twilio DTMF received');
    },
    async stop() {
      state = 'stopping';
      playback?.close();
      log.info('Twilio stream stopped');
      await o.calls.end();
      state = 'stopped';
      o.socket.close(1000, 'stream stopped');
    },
  };

  function handleText(text: string, arrivedAt: number): void | Promise<void> {
    if (state === 'stopping' || state === 'stopped') return;
    if (state === 'authenticating') {
      if (held.length < MAX_HELD) held.push({ text, arrivedAt });
      else o.calls.dropped('backpressure');
      return;
    }
    let m: unknown;
    try {
      m = JSON.parse(text);
    } catch {
      if (state === 'awaiting-start') throw new ProtocolError('message is not valid JSON', 1002);
      warnOnce('json', { text: truncate(text) }, 'Twilio message is not valid JSON; ignored');
      return;
    }
    if (!isTwilioMessage(m)) {
      if (state === 'awaiting-start') throw new ProtocolError('message has no event', 1002);
      warnOnce('shape', { text: truncate(text) }, 'Twilio message has no event; ignored');
      return;
    }
    if (!isTwilioEvent(m.event)) {
      if (state === 'awaiting-start') throw new ProtocolError(`unexpected event '${truncate(m.event, 40)}' before start`, 1002);
      warnOnce('unknown-event', { event: truncate(m.event, 40) }, 'unknown Twilio event ignored (further ones silently)');
      return;
    }
    if (state === 'awaiting-start' && m.event !== 'connected' && m.event !== 'start') {
      if (m.event === 'media') o.calls.dropped('inactive');
      throw new ProtocolError(`'${m.event}' before start`, 1002);
    }
    if (streamSid && m.streamSid !== undefined && m.streamSid !== streamSid) {
      if (m.event === 'media') o.calls.dropped('bad_frame');
      warnOnce('sid', { event: m.event }, 'message for another streamSid ignored');
      return;
    }
    if (!sequence(m)) return;
    return handlers[m.event](m, arrivedAt);
  }

  return {
    get state() { return state; },
    get playback() { return playback; },
    onText: handleText,
    onBinary() {
      if (state === 'awaiting-start') {
        o.calls.dropped('inactive');
        throw new ProtocolError('Twilio sends no binary messages', 1003);
      }
      o.calls.dropped('bad_frame');
      warnOnce('binary', {}, 'binary message on a Twilio stream ignored');
    },
    onIdle() {
      o.socket.close(4408, 'idle timeout');
    },
    onShutdown() {
      playback?.close();
    },
    onClosed() {
      playback?.close();
      if (state !== 'stopped') state = 'stopped';
    },
  };
}
