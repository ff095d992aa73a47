import { randomBytes } from 'node:crypto';
import type { EndState, PreparedMedia, ProtocolConnection } from './connection.js';
import type { InjectedCollector } from './injected-audio.js';
import { createPayloadDecoder } from './media-codec.js';
import { openSimSocket, settlesWithin, type SimSocket } from './sim-socket.js';
import { signTwilioRequest, twilioSignedUrl } from './twilio-signature.js';
import {
  parseTwilioServerMessage, twilioConnected, twilioDtmf, twilioMark, twilioMedia, twilioSid, twilioStart, twilioStop,
  type TwilioIds, type TwilioTrack,
} from './twilio-messages.js';
import type { Channel, SimCredentials, SimMetadata } from './types.js';

export interface TwilioClientOptions {
  /** Full endpoint URL, e.g. `ws://localhost:8080/tap/twilio`. */
  url: string;
  credentials: SimCredentials;
  /** PCMU/8000 frames per channel. */
  media: PreparedMedia;
  /** `externalId` is the streamSid. */
  metadata: SimMetadata & { externalId: string };
  /** Which party is the `inbound` track (the phone party on the Twilio call); default customer. */
  inbound?: Channel;
  /** The URL to sign when it differs from `url` (Twilio signs the URL as configured, with `wss://`). */
  signedUrl?: string;
  /**
   * `<Connect><Stream>`: only the inbound track is streamed and the server may play audio back
   * (sent as `customParameters.bidirectional = "true"`).
   */
  bidirectional?: boolean;
  /** Playback speed used to echo `mark`s once the audio queued before them has "played" (1 = real time, 0 = at once). */
  speed?: number;
  injected: InjectedCollector;
  onMessage?: (msg: unknown) => void;
  highWaterMark?: number;
}

/** Twilio's side of a Media Stream (`both_tracks`, or inbound only when bidirectional): connected, start, media per track, dtmf, stop; echoes marks. */
export function createTwilioClient(opts: TwilioClientOptions): ProtocolConnection {
  const { media, metadata } = opts;
  const inbound = opts.inbound ?? 'customer';
  const trackOf = (c: Channel): TwilioTrack => (c === inbound ? 'inbound' : 'outbound');
  const other: Channel = inbound === 'customer' ? 'agent' : 'customer';
  const channels = (opts.bidirectional ? [inbound] : [inbound, other]).filter((c) => media.frames[c]);
  const ids: TwilioIds = {
    streamSid: metadata.externalId,
    accountSid: twilioSid('AC', metadata.extra?.accountSid ?? randomBytes(16).toString('hex')),
    callSid: twilioSid('CA', metadata.extra?.callSid ?? randomBytes(16).toString('hex')),
  };
  const decode = createPayloadDecoder('PCMU', 8000);
  const chunk: Record<TwilioTrack, number> = { inbound: 0, outbound: 0 };
  const errors: string[] = [];
  const markTimers = new Map<NodeJS.Timeout, string>();
  let sock: SimSocket | undefined;
  let seq = 0;
  let messages = 0;
  let ended: EndState | undefined;
  let ending = false;
  let endedCtl = new AbortController();
  let playbackEnd = 0;
  let injectSeq = 0;
  let injectMs = 0;

  const send = (msg: unknown) => { sock?.sendJson(msg); messages += 1; };
  const echoMark = (name: string) => { if (sock?.isOpen && !ending) send(twilioMark(ids, ++seq, name)); };

  function onText(text: string) {
    const msg = parseTwilioServerMessage(text);
    if (!msg) { errors.push(`unexpected message: ${text.slice(0, 200)}`); return; }
    opts.onMessage?.(msg);
    const now = performance.now();
    switch (msg.event) {
      case 'media': {
        const bytes = Buffer.from(msg.media.payload, 'base64');
        const pcm = decode(bytes);
        opts.injected.add({ target: inbound, pcm, rate: 8000, seq: injectSeq++, timestampMs: injectMs }, bytes.length);
        injectMs += pcm.length / 8;
        const speed = opts.speed ?? 1;
        playbackEnd = Math.max(playbackEnd, now) + (speed > 0 ? pcm.length / 8 / speed : 0);
        break;
      }
      case 'mark': {
        const name = msg.mark.name;
        const t = setTimeout(() => { markTimers.delete(t); echoMark(name); }, Math.max(0, playbackEnd - now));
        markTimers.set(t, name);
        break;
      }
      case 'clear':
        // Queued audio is dropped: pending marks are echoed at once.
        for (const [t, name] of markTimers) { clearTimeout(t); echoMark(name); }
        markTimers.clear();
        playbackEnd = now;
        break;
      default: {
        const never: never = msg;
        errors.push(`unhandled ${String(never)}`);
      }
    }
  }

  return {
    get externalId() { return ids.streamSid; },
    serverCallId: undefined,
    get serverEnded() { return ended; },
    get endedSignal() { return endedCtl.signal; },
    async connect(signal) {
      ended = undefined;
      ending = false;
      if (endedCtl.signal.aborted) endedCtl = new AbortController();
      seq = 0;
      const url = new URL(opts.url);
      const headers: Record<string, string> = {};
      if (opts.credentials.twilioToken) {
        headers['x-twilio-signature'] = signTwilioRequest(opts.credentials.twilioToken, opts.signedUrl ?? twilioSignedUrl(url));
      }
      const s = await openSimSocket(url.href, { headers, signal, highWaterMark: opts.highWaterMark });
      sock = s;
      s.onText(onText);
      s.onBinary(() => errors.push('unexpected binary message'));
      void s.closed.then(({ code, reason }) => {
        if (sock !== s) return;
        if (!ending) { ended ??= { outcome: 'server-ended', reason: `closed ${code}${reason ? `: ${reason}` : ''}` }; endedCtl.abort(); }
      });
      const { agentId, queue, direction, customerNumber, language, extra } = metadata;
      // Twilio cannot send headers: call metadata and the tap key travel as <Parameter>s (start.customParameters).
      const params: Record<string, string> = {
        inboundParty: inbound,
        ...(opts.bidirectional ? { bidirectional: 'true' } : {}),
        ...(opts.credentials.apiKey ? { apiKey: opts.credentials.apiKey } : {}),
        ...(agentId ? { agentId } : {}), ...(queue ? { queue } : {}), ...(direction ? { direction } : {}),
        ...(customerNumber ? { customerNumber } : {}), ...(language ? { language } : {}), ...extra,
      };
      send(twilioConnected());
      send(twilioStart(ids, ++seq, channels.map(trackOf), params));
    },
    audioActive: () => sock?.isOpen === true,
    sendFrame(k) {
      let bytes = 0;
      for (const c of channels) {
        const track = trackOf(c);
        const payload = media.frames[c]![k];
        send(twilioMedia(ids, ++seq, track, ++chunk[track], k * media.frameMs, payload));
        bytes += payload.length;
      }
      return { bytes, messages: channels.length, channels };
    },
    skipFrame() { for (const c of channels) { seq += 1; chunk[trackOf(c)] += 1; } },
    lost(_fromK, count) { for (const c of channels) chunk[trackOf(c)] += count; },
    sendDtmf(digit) { send(twilioDtmf(ids, ++seq, digit)); },
    writable: (signal) => sock?.writable(signal) ?? Promise.resolve(),
    bufferedAmount: () => sock?.ws.bufferedAmount ?? 0,
    async end(why) {
      for (const t of markTimers.keys()) clearTimeout(t);
      markTimers.clear();
      if (ended || !sock?.isOpen) return ended ?? { outcome: 'server-ended', reason: 'socket already closed' };
      ending = true;
      send(twilioStop(ids, ++seq));
      sock.close(1000, 'stream stopped');
      const closed = await settlesWithin(sock.closed, 5000);
      if (!closed) sock.drop();
      return { outcome: why === 'end' ? 'completed' : 'aborted' };
    },
    drop() { const s = sock; sock = undefined; s?.drop(); },
    dispose() { for (const t of markTimers.keys()) clearTimeout(t); if (sock?.isOpen) sock.drop(); },
    messagesSent: () => messages,
    pingRtts: () => [],
    serverErrors: () => errors,
  };
}
