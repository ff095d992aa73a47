/** AudioHook protocol v2 messages (PROTOCOLS.md §1.2–1.3), with type guards run before dispatch. */

export const CLIENT_TYPES = ['open', 'ping', 'update', 'paused', 'resumed', 'discarded', 'error', 'close'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];
export type ServerType = 'opened' | 'pong' | 'pause' | 'resume' | 'event' | 'disconnect' | 'closed';
export type DisconnectReason = 'completed' | 'unauthorized' | 'error';

type Json = Record<string, unknown>;

export interface ClientMessage<P = Json> {
  version: '2';
  id: string;
  type: string;
  seq: number;
  serverseq: number;
  position: string;
  parameters: P;
}

export interface MediaOffer { type: 'audio'; format: string; rate: number; channels: string[] }
export interface OpenParameters {
  organizationId: string;
  conversationId: string;
  participant: { id: string; ani?: string; aniName?: string; dnis?: string };
  media: MediaOffer[];
  language?: string;
  supportedLanguages?: boolean;
  customConfig?: Json;
}
export interface SkipParameters { start: string; discarded: string }
export interface UpdateParameters { language: string }
export interface ErrorParameters { code: number; message: string; retryAfter?: string }
export interface CloseParameters { reason: string }
export interface PingParameters { rtt?: string }

const DURATION = /^PT(\d*\.)?\d+S$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LANGUAGE = /^[a-z]{2,3}-[A-Za-z]{2,3}$/;
export const NULL_UUID = '00000000-0000-0000-0000-000000000000';

export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);
export const isDuration = (v: unknown): v is string => typeof v === 'string' && DURATION.test(v);
export const isLanguage = (v: unknown): v is string => typeof v === 'string' && LANGUAGE.test(v);
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSeq = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const optString = (v: unknown) => v === undefined || typeof v === 'string';

/** Seconds in an ISO-8601 seconds-only duration (`PT12.34S`); undefined when it is not one. */
export function parseDuration(v: unknown): number | undefined {
  return isDuration(v) ? Number(v.slice(2, -1)) : undefined;
}

/** Seconds as `PT<s>S` (never minutes or hours), to the millisecond. */
export function formatDuration(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  return `PT${(ms / 1000).toString()}S`;
}

export const isClientType = (t: string): t is ClientType => (CLIENT_TYPES as readonly string[]).includes(t);

/** The envelope every client text message has. */
export function isClientEnvelope(v: unknown): v is ClientMessage {
  return isObject(v) && v.version === '2' && typeof v.id === 'string' && typeof v.type === 'string'
    && isSeq(v.seq) && isSeq(v.serverseq) && isDuration(v.position) && isObject(v.parameters);
}

export function isMediaOffer(v: unknown): v is MediaOffer {
  return isObject(v) && v.type === 'audio' && typeof v.format === 'string' && typeof v.rate === 'number'
    && Array.isArray(v.channels) && v.channels.length > 0 && v.channels.every((c) => typeof c === 'string');
}

const isSkip = (p: Json) => isDuration(p.start) && isDuration(p.discarded);

/** Parameter guards per client message type. */
export const PARAMETER_GUARDS: Record<ClientType, (p: Json) => boolean> = {
  open: (p) => isUuid(p.organizationId) && isUuid(p.conversationId)
    && isObject(p.participant) && typeof p.participant.id === 'string'
    && optString(p.participant.ani) && optString(p.participant.aniName) && optString(p.participant.dnis)
    && Array.isArray(p.media) && p.media.every(isMediaOffer)
    && (p.language === undefined || isLanguage(p.language))
    && (p.supportedLanguages === undefined || typeof p.supportedLanguages === 'boolean')
    && (p.customConfig === undefined || isObject(p.customConfig)),
  ping: (p) => p.rtt === undefined || isDuration(p.rtt),
  update: (p) => isLanguage(p.language),
  paused: () => true,
  resumed: isSkip,
  discarded: isSkip,
  error: (p) => typeof p.code === 'number' && typeof p.message === 'string',
  close: (p) => typeof p.reason === 'string',
};
