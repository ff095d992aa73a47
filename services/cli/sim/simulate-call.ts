import { randomBytes, randomUUID } from 'node:crypto';
import { ValidationError } from '../../core/index.js';
import type { AudiohookChannel } from './audiohook-messages.js';
import { createAudiohookClient } from './audiohook-client.js';
import type { PreparedMedia, ProtocolConnection } from './connection.js';
import { createInjectedCollector } from './injected-audio.js';
import { prepareMedia } from './media-codec.js';
import { createNativeClient } from './native-client.js';
import { streamCall, type StreamProgress } from './stream-loop.js';
import { createTwilioClient } from './twilio-client.js';
import { twilioSid } from './twilio-messages.js';
import type {
  Channel, InjectTarget, InjectedChunk, MonoAs, PcmInput, SimCodec, SimCredentials, SimDtmf, SimFaults, SimMetadata, SimRate,
  SimSummary, TapProtocol,
} from './types.js';
import { loadCallAudio } from './wav-input.js';

export interface SimulateCallOptions {
  protocol: TapProtocol;
  /** Server base URL (`ws://localhost:8080`, the path `/tap/<protocol>` is added) or a full endpoint URL. */
  url: string;
  /** One of: a WAV file, PCM channels, or media already prepared with `prepareCallMedia` (shared by many calls). */
  file?: string;
  pcm?: PcmInput;
  media?: PreparedMedia;
  /** A mono file is the customer's side unless told otherwise. */
  monoAs?: MonoAs;
  /** Native only (AudioHook and Twilio always carry PCMU/8000). Default PCMU/8000; OPUS implies 48000. */
  codec?: SimCodec;
  rate?: SimRate;
  /** 1 = real time (default), 2 = twice as fast, 0 = as fast as the server drains the socket. */
  speed?: number;
  /** Stream only the first this many ms of the audio. */
  maxDurationMs?: number;
  metadata?: SimMetadata;
  credentials?: SimCredentials;
  signal?: AbortSignal;
  onInjected?: (chunk: InjectedChunk) => void;
  onProgress?: (p: StreamProgress) => void;
  /** Every server text message, parsed. */
  onMessage?: (msg: unknown) => void;
  /** Save injected audio as `<protocol>-<externalId>-injected-<target>.wav` here. */
  saveInjectedDir?: string;
  faults?: SimFaults;
  dtmf?: SimDtmf[];
  audiohook?: { organizationId?: string; channelOrder?: AudiohookChannel[] };
  twilio?: { inbound?: Channel; signedUrl?: string; bidirectional?: boolean };
  native?: { keyInQuery?: boolean; inject?: InjectTarget[] };
  /** Socket bytes queued above which a speed-0 stream waits (default 256 KiB). */
  highWaterMark?: number;
}

/** The wire format a protocol streams in. */
export function wireFormat(protocol: TapProtocol, codec?: SimCodec, rate?: SimRate): { codec: SimCodec; rate: number } {
  if (protocol !== 'native') return { codec: 'PCMU', rate: 8000 };
  const c = codec ?? 'PCMU';
  return { codec: c, rate: rate ?? (c === 'OPUS' ? 48000 : 8000) };
}

/** Reads and encodes call audio for a protocol once, so many simulated calls can share it. */
export async function prepareCallMedia(opts: Pick<SimulateCallOptions, 'protocol' | 'file' | 'pcm' | 'monoAs' | 'codec' | 'rate' | 'maxDurationMs'>): Promise<PreparedMedia> {
  const input = opts.pcm ?? (opts.file ? await loadCallAudio(opts.file, { monoAs: opts.monoAs }) : undefined);
  if (!input) throw new ValidationError('give a file or PCM to stream', 'file');
  const { codec, rate } = wireFormat(opts.protocol, opts.codec, opts.rate);
  const clipped = opts.maxDurationMs === undefined ? input : clip(input, opts.maxDurationMs);
  return prepareMedia(clipped, codec, rate);
}

function clip(input: PcmInput, ms: number): PcmInput {
  const n = Math.max(1, Math.round((input.rate * ms) / 1000));
  return { rate: input.rate, agent: input.agent?.subarray(0, n), customer: input.customer?.subarray(0, n) };
}

/** The endpoint for a protocol: a bare server URL gets `/tap/<protocol>`. */
export function endpointUrl(url: string, protocol: TapProtocol): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch (err) {
    throw new ValidationError(`not a URL: ${url}`, 'url', { cause: err });
  }
  if (u.protocol === 'http:') u.protocol = 'ws:';
  if (u.protocol === 'https:') u.protocol = 'wss:';
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new ValidationError(`URL must be ws:// or wss://, got ${url}`, 'url');
  if (u.pathname === '/' || u.pathname === '') u.pathname = `/tap/${protocol}`;
  return u.href;
}

function defaultExternalId(protocol: TapProtocol): string {
  switch (protocol) {
    case 'audiohook': return randomUUID();
    case 'twilio': return twilioSid('MZ', randomBytes(16).toString('hex'));
    case 'native': return `sim-${randomUUID()}`;
    default: { const never: never = protocol; return String(never); }
  }
}

/** Streams one call to a Callsight tap endpoint as a phone platform would, and reports what happened. */
export async function simulateCall(opts: SimulateCallOptions): Promise<SimSummary> {
  const { protocol } = opts;
  if (opts.faults?.pause && protocol !== 'audiohook') throw new ValidationError('the pause fault exists only in AudioHook', 'faults.pause');
  if (opts.dtmf?.length && protocol === 'audiohook') throw new ValidationError('AudioHook Monitor carries no DTMF', 'dtmf');
  const speed = opts.speed ?? 1;
  if (!(speed >= 0) || !Number.isFinite(speed)) throw new ValidationError(`speed must be 0 or a positive number, got ${speed}`, 'speed');
  const media = opts.media ?? await prepareCallMedia(opts);
  const want = wireFormat(protocol, opts.codec, opts.rate);
  if (opts.media && (media.codec !== want.codec || media.rate !== want.rate)) {
    throw new ValidationError(`prepared media is ${media.codec}/${media.rate} but ${protocol} needs ${want.codec}/${want.rate}`, 'media');
  }
  const metadata = { ...opts.metadata, externalId: opts.metadata?.externalId ?? defaultExternalId(protocol) };
  const credentials = opts.credentials ?? {};
  const url = endpointUrl(opts.url, protocol);
  const injected = createInjectedCollector({ onInjected: opts.onInjected });
  const common = { url, credentials, media, metadata, injected, highWaterMark: opts.highWaterMark };
  let conn: ProtocolConnection;
  switch (protocol) {
    case 'native': conn = createNativeClient({ ...common, ...opts.native, onMessage: opts.onMessage }); break;
    case 'audiohook': conn = createAudiohookClient({ ...common, ...opts.audiohook, pause: opts.faults?.pause, onMessage: opts.onMessage }); break;
    case 'twilio': conn = createTwilioClient({ ...common, ...opts.twilio, speed, onMessage: opts.onMessage }); break;
    default: { const never: never = protocol; throw new ValidationError(`unknown protocol ${String(never)}`, 'protocol'); }
  }
  const signal = opts.signal ?? new AbortController().signal;
  const r = await streamCall(conn, media, { speed, signal, faults: opts.faults, dtmf: opts.dtmf, onProgress: opts.onProgress });
  return {
    protocol,
    externalId: conn.externalId,
    ...(conn.serverCallId ? { serverCallId: conn.serverCallId } : {}),
    outcome: r.end.outcome,
    ...(r.end.reason ? { serverReason: r.end.reason } : {}),
    framesSent: r.framesSent,
    audioBytes: r.audioBytes,
    messagesSent: conn.messagesSent(),
    skippedFrames: r.skippedFrames,
    lostFrames: r.lostFrames,
    reconnects: r.reconnects,
    audioMs: r.audioMs,
    wallMs: r.wallMs,
    sendLag: r.sendLag,
    peakBufferedBytes: r.peakBufferedBytes,
    pingRttMs: conn.pingRtts().map((v) => Math.round(v * 100) / 100),
    serverErrors: conn.serverErrors(),
    injected: await injected.finish(opts.saveInjectedDir, `${protocol}-${conn.externalId}`),
  };
}
