/** Twilio Media Streams messages (PROTOCOLS.md §2). Numbers travel as strings of digits. */

export type TwilioEvent = 'connected' | 'start' | 'media' | 'mark' | 'dtmf' | 'stop';
export const TWILIO_EVENTS: readonly TwilioEvent[] = ['connected', 'start', 'media', 'mark', 'dtmf', 'stop'];
export type TwilioTrack = 'inbound' | 'outbound';

type Json = Record<string, unknown>;
export interface TwilioMessage { event: string; sequenceNumber?: string; streamSid?: string; [key: string]: unknown }

export interface StartInfo {
  streamSid: string;
  accountSid: string;
  callSid: string;
  tracks: TwilioTrack[];
  customParameters: Record<string, string>;
  mediaFormat: { encoding: string; sampleRate: number; channels: number };
}
export interface MediaInfo { track: TwilioTrack; chunk?: string; timestamp: string; payload: string }

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const DIGITS = /^\d{1,15}$/;
const isTrack = (v: unknown): v is TwilioTrack => v === 'inbound' || v === 'outbound';

export const isTwilioMessage = (v: unknown): v is TwilioMessage => isObject(v) && typeof v.event === 'string';
export const isTwilioEvent = (e: string): e is TwilioEvent => (TWILIO_EVENTS as readonly string[]).includes(e);

/** A `sequenceNumber`/`timestamp`/`chunk` string as a number, or undefined. */
export function parseNumber(v: unknown): number | undefined {
  return typeof v === 'string' && DIGITS.test(v) ? Number(v) : undefined;
}

export function parseStart(m: TwilioMessage): StartInfo | undefined {
  const s = m.start;
  if (!isObject(s) || typeof s.streamSid !== 'string' || !s.streamSid || typeof s.callSid !== 'string'
    || typeof s.accountSid !== 'string' || !isObject(s.mediaFormat)) return undefined;
  const tracks = Array.isArray(s.tracks) ? s.tracks.filter(isTrack) : ['inbound' as const];
  const params = isObject(s.customParameters) ? s.customParameters : {};
  const customParameters: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (typeof v === 'string') customParameters[k] = v;
  const f = s.mediaFormat;
  return {
    streamSid: s.streamSid, accountSid: s.accountSid, callSid: s.callSid, tracks: tracks.length ? tracks : ['inbound'],
    customParameters,
    mediaFormat: { encoding: String(f.encoding), sampleRate: Number(f.sampleRate), channels: Number(f.channels) },
  };
}

export function parseMedia(m: TwilioMessage): MediaInfo | undefined {
  const x = m.media;
  if (!isObject(x) || !isTrack(x.track) || parseNumber(x.timestamp) === undefined || typeof x.payload !== 'string') return undefined;
  return { track: x.track, chunk: typeof x.chunk === 'string' ? x.chunk : undefined, timestamp: x.timestamp as string, payload: x.payload };
}

export const markName = (m: TwilioMessage): string | undefined =>
  (isObject(m.mark) && typeof m.mark.name === 'string' ? m.mark.name : undefined);
export const dtmfTrack = (m: TwilioMessage): string | undefined =>
  (isObject(m.dtmf) && typeof m.dtmf.digit === 'string' ? String(m.dtmf.track ?? 'inbound_track') : undefined);
