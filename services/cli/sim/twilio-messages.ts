/** Message shapes Twilio sends on a Media Stream (PROTOCOLS.md §2). Numbers travel as strings. */
export type TwilioTrack = 'inbound' | 'outbound';

export interface TwilioIds { streamSid: string; accountSid: string; callSid: string }

export const twilioConnected = () => ({ event: 'connected', protocol: 'Call', version: '1.0.0' }) as const;

export function twilioStart(ids: TwilioIds, seq: number, tracks: TwilioTrack[], customParameters: Record<string, string>) {
  return {
    event: 'start',
    sequenceNumber: String(seq),
    streamSid: ids.streamSid,
    start: {
      streamSid: ids.streamSid,
      accountSid: ids.accountSid,
      callSid: ids.callSid,
      tracks,
      customParameters,
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
    },
  } as const;
}

export function twilioMedia(ids: TwilioIds, seq: number, track: TwilioTrack, chunk: number, timestampMs: number, mulaw: Uint8Array) {
  return {
    event: 'media',
    sequenceNumber: String(seq),
    streamSid: ids.streamSid,
    media: { track, chunk: String(chunk), timestamp: String(Math.round(timestampMs)), payload: Buffer.from(mulaw).toString('base64') },
  } as const;
}

export function twilioDtmf(ids: TwilioIds, seq: number, digit: string) {
  return { event: 'dtmf', streamSid: ids.streamSid, sequenceNumber: String(seq), dtmf: { track: 'inbound_track', digit } } as const;
}

export function twilioMark(ids: TwilioIds, seq: number, name: string) {
  return { event: 'mark', streamSid: ids.streamSid, sequenceNumber: String(seq), mark: { name } } as const;
}

export function twilioStop(ids: TwilioIds, seq: number) {
  return { event: 'stop', sequenceNumber: String(seq), streamSid: ids.streamSid, stop: { accountSid: ids.accountSid, callSid: ids.callSid } } as const;
}

/** What the server may send back on a bidirectional stream. */
export type TwilioServerMessage =
  | { event: 'media'; streamSid: string; media: { payload: string } }
  | { event: 'mark'; streamSid: string; mark: { name: string } }
  | { event: 'clear'; streamSid: string };

export function parseTwilioServerMessage(text: string): TwilioServerMessage | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const m = v as Record<string, unknown>;
  const inner = (k: string) => (typeof m[k] === 'object' && m[k] !== null ? m[k] as Record<string, unknown> : undefined);
  switch (m.event) {
    case 'media': return typeof inner('media')?.payload === 'string' ? v as TwilioServerMessage : undefined;
    case 'mark': return typeof inner('mark')?.name === 'string' ? v as TwilioServerMessage : undefined;
    case 'clear': return v as TwilioServerMessage;
    default: return undefined;
  }
}

/** Twilio-looking ids: two letters and 32 hex digits. */
export function twilioSid(prefix: 'MZ' | 'AC' | 'CA', hex: string): string {
  return prefix + hex.replace(/[^0-9a-f]/gi, '').padEnd(32, '0').slice(0, 32).toLowerCase();
}
