import { ProtocolError } from '../../core/index.js';

/** Genesys channel names: `external` is the customer (ANI) side, `internal` the agent. */
export type AudiohookChannel = 'external' | 'internal';
export interface AudiohookMedia { type: 'audio'; format: 'PCMU'; rate: 8000; channels: AudiohookChannel[] }

export type AudiohookClientType = 'open' | 'ping' | 'update' | 'paused' | 'resumed' | 'discarded' | 'error' | 'close';
export type AudiohookServerType = 'opened' | 'pong' | 'pause' | 'resume' | 'event' | 'disconnect' | 'closed' | 'updated' | 'reconnect';
export const AUDIOHOOK_SERVER_TYPES: readonly AudiohookServerType[] = [
  'opened', 'pong', 'pause', 'resume', 'event', 'disconnect', 'closed', 'updated', 'reconnect',
];

export interface AudiohookClientMessage {
  version: '2';
  id: string;
  type: AudiohookClientType;
  seq: number;
  serverseq: number;
  position: string;
  parameters: Record<string, unknown>;
}

export interface AudiohookServerMessage {
  version: '2';
  id: string;
  type: AudiohookServerType;
  seq: number;
  clientseq: number;
  parameters: Record<string, unknown>;
}

const DURATION = /^PT(\d*\.)?\d+S$/;

/** ISO-8601 seconds-only duration, e.g. `PT12.34S` (never `PT1M…`). */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms)) / 1000;
  return `PT${Number.isInteger(s) ? s.toString() : s.toFixed(3).replace(/0+$/, '')}S`;
}

export function parseDuration(text: string): number {
  if (!DURATION.test(text)) throw new ProtocolError(`not a seconds-only duration: ${text}`, 1002);
  return Math.round(Number(text.slice(2, -1)) * 1000);
}

/** Offers in the client's order of preference: stereo first (in `order`), then each channel alone. */
export function mediaOffers(order: AudiohookChannel[] = ['external', 'internal']): AudiohookMedia[] {
  const offer = (channels: AudiohookChannel[]): AudiohookMedia => ({ type: 'audio', format: 'PCMU', rate: 8000, channels });
  return [offer(order), ...order.map((c) => offer([c]))];
}

export function isAudiohookServerMessage(v: unknown): v is AudiohookServerMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  return typeof m.type === 'string' && (AUDIOHOOK_SERVER_TYPES as readonly string[]).includes(m.type)
    && typeof m.seq === 'number' && typeof m.clientseq === 'number' && typeof m.id === 'string'
    && typeof m.parameters === 'object' && m.parameters !== null;
}

/**
 * The client's half of the AudioHook envelope: numbers outgoing messages 1, 2, 3… with the last server `seq` seen as
 * `serverseq`, and checks incoming ones (`seq` +1 without gaps, `clientseq` not ahead of ours, matching `id`).
 */
export function createAudiohookSequencer(sessionId: string) {
  let seq = 0;
  let serverseq = 0;
  return {
    get seq() { return seq; },
    get serverseq() { return serverseq; },
    /** The next client message; `positionMs` is the stream timeline (audio sent plus audio skipped). */
    next(type: AudiohookClientType, parameters: Record<string, unknown>, positionMs: number): AudiohookClientMessage {
      seq += 1;
      return { version: '2', id: sessionId, type, seq, serverseq, position: formatDuration(positionMs), parameters };
    },
    /** Parses and checks a server text frame; throws `ProtocolError` on any violation. */
    receive(text: string): AudiohookServerMessage {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw new ProtocolError('server sent invalid JSON', 1002, { cause: err });
      }
      if (!isAudiohookServerMessage(parsed)) throw new ProtocolError(`server sent an unknown message: ${text.slice(0, 200)}`, 1002);
      if (parsed.id !== sessionId) throw new ProtocolError(`server message id ${parsed.id} is not the session id ${sessionId}`, 1002);
      if (parsed.seq !== serverseq + 1) throw new ProtocolError(`server seq ${parsed.seq} after ${serverseq} (gap)`, 1002);
      if (parsed.clientseq > seq) throw new ProtocolError(`server clientseq ${parsed.clientseq} is ahead of client seq ${seq}`, 1002);
      serverseq = parsed.seq;
      return parsed;
    },
  };
}
export type AudiohookSequencer = ReturnType<typeof createAudiohookSequencer>;

export interface AudiohookOpenInput {
  organizationId: string;
  conversationId: string;
  participant: { id: string; ani: string; aniName: string; dnis: string };
  media: AudiohookMedia[];
  language?: string;
  customConfig?: Record<string, string>;
}

/** `open` parameters as Genesys sends them (`continuedSessions` stays empty: reconnection is reserved). */
export function openParameters(input: AudiohookOpenInput): Record<string, unknown> {
  return {
    organizationId: input.organizationId,
    conversationId: input.conversationId,
    participant: input.participant,
    media: input.media,
    ...(input.language ? { language: input.language } : {}),
    customConfig: input.customConfig ?? {},
  };
}
