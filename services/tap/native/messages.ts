import type { CallDirection, InjectTarget, SampleRate } from '../../calls/index.js';
import { isSupported, type NativeCodecName } from './codec.js';

/** Native protocol text messages (docs/native-protocol.md) and the validation of `start`. */
export type NativeClientType = 'start' | 'ping' | 'dtmf' | 'stop';
export type NativeErrorCode =
  | 'bad_json' | 'bad_message' | 'unknown_type' | 'bad_frame' | 'unsupported_codec' | 'already_connected'
  | 'idle_timeout' | 'shutting_down' | 'internal';

export type Json = Record<string, unknown>;

export interface NativeStart {
  callId: string;
  direction: CallDirection;
  codec: NativeCodecName;
  rate: SampleRate;
  agentId?: string;
  queue?: string;
  customerNumber?: string;
  language?: string;
  inject: InjectTarget[];
  metadata: Record<string, string>;
}

export type StartResult = { ok: true; start: NativeStart } | { ok: false; unsupported: boolean; message: string };

const TARGETS: readonly InjectTarget[] = ['agent', 'customer', 'both'];
const LANGUAGE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;
const DIGIT = /^[0-9*#A-D]$/;
const MAX_FIELD = 256;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const optText = (v: unknown) => v === undefined || (typeof v === 'string' && v.length <= MAX_FIELD);

export function parseStart(m: Json): StartResult {
  const bad = (message: string): StartResult => ({ ok: false, unsupported: false, message });
  if (m.version !== undefined && m.version !== 1) return { ok: false, unsupported: true, message: `protocol version ${String(m.version)} is not 1` };
  if (typeof m.callId !== 'string' || m.callId.length < 1 || m.callId.length > 128) return bad('callId must be a string of 1–128 characters');
  if (m.direction !== 'inbound' && m.direction !== 'outbound') return bad('direction must be inbound or outbound');
  if (typeof m.codec !== 'string' || typeof m.rate !== 'number') return bad('codec (string) and rate (number) are required');
  if (!isSupported(m.codec, m.rate)) {
    return { ok: false, unsupported: true, message: `unsupported codec/rate ${m.codec.slice(0, 16)}/${m.rate} (PCMU/8000, PCMA/8000, L16/8000, L16/16000, OPUS/48000)` };
  }
  for (const k of ['agentId', 'queue', 'customerNumber'] as const) if (!optText(m[k])) return bad(`${k} must be a string of at most ${MAX_FIELD} characters`);
  if (m.language !== undefined && !(typeof m.language === 'string' && LANGUAGE.test(m.language))) return bad('language must be a BCP-47 tag');
  let inject: InjectTarget[] = [...TARGETS];
  if (m.inject !== undefined) {
    if (!Array.isArray(m.inject) || !m.inject.every((t) => TARGETS.includes(t as InjectTarget))) return bad('inject must list agent, customer and/or both');
    inject = [...new Set(m.inject as InjectTarget[])];
  }
  const metadata: Record<string, string> = {};
  if (m.metadata !== undefined) {
    if (!isObject(m.metadata)) return bad('metadata must be an object of strings');
    for (const [k, v] of Object.entries(m.metadata)) {
      if (typeof v !== 'string') return bad('metadata values must be strings');
      metadata[k] = v;
    }
  }
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return {
    ok: true,
    start: {
      callId: m.callId, direction: m.direction, codec: m.codec, rate: m.rate as SampleRate,
      agentId: str(m.agentId), queue: str(m.queue), customerNumber: str(m.customerNumber), language: str(m.language),
      inject, metadata,
    },
  };
}

/** `{"type":"dtmf","digit":"5","channel":"customer"}`: digit 0–9, *, #, A–D; channel optional. */
export function isDtmf(m: Json): boolean {
  return typeof m.digit === 'string' && DIGIT.test(m.digit)
    && (m.channel === undefined || m.channel === 'agent' || m.channel === 'customer');
}
