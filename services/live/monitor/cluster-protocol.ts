import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { CallAudioInfo, ListenStream } from './types.js';

/**
 * How nodes monitor each other's calls over the relay (Redis with several nodes). A node asks on one broadcast
 * channel; only the node holding the call answers, on the asker's reply channel. Listen audio and supervisor audio
 * then flow on per-call and per-injection channels, each payload stamped with the wall-clock time it entered the
 * system (both ends read the same clock on one machine; across machines the latency figures assume NTP).
 *
 * Listening and talking are leases: the asking node renews them every LEASE_RENEW_MS, and the holder drops a lease
 * not renewed within LEASE_TTL_MS — a node that dies cannot leave a listener encoding or a floor taken.
 */
export const LEASE_RENEW_MS = 2000;
export const LEASE_TTL_MS = 7000;
/** A request that no node answers within this time is about a call no node holds (or a node that died). */
export const REQUEST_TIMEOUT_MS = 1000;

export const channel = {
  requests: 'monitor:ctl',
  replies: (node: string) => `monitor:reply:${node}`,
  listen: (callId: string, stream: ListenStream) => `monitor:listen:${callId}:${stream}`,
  ended: (callId: string) => `monitor:ended:${callId}`,
  inject: (injection: string) => `monitor:inject:${injection}`,
};

const target = z.enum(['agent', 'customer', 'both']);
const streams = z.array(z.enum(['mixed', 'agent', 'customer'])).max(3);
const who = z.object({ userId: z.string(), username: z.string() });

/** What a node asks the node holding a call. `listen` both starts and renews a listen lease (with its streams). */
export const clusterRequest = z.discriminatedUnion('op', [
  z.object({ op: z.literal('describe'), callId: z.string() }),
  z.object({ op: z.literal('listen'), callId: z.string(), lease: z.string(), streams }),
  z.object({ op: z.literal('unlisten'), callId: z.string(), lease: z.string() }),
  z.object({ op: z.literal('inject'), callId: z.string(), injection: z.string(), target, who, notifyTone: z.boolean() }),
  z.object({ op: z.literal('renew-injection'), callId: z.string(), injection: z.string() }),
  z.object({ op: z.literal('retarget'), callId: z.string(), injection: z.string(), target }),
  z.object({ op: z.literal('uninject'), callId: z.string(), injection: z.string() }),
]);
export type ClusterRequest = z.infer<typeof clusterRequest>;

/** A request on the wire: the asker's node id and request id, so the answer finds its way back. */
export const requestEnvelope = z.object({ from: z.string(), id: z.number().int(), request: clusterRequest });

/** The holder's answer: `ok` with what the request returns, or a reason a person can read. */
export type ClusterAnswer = { ok: true; info?: CallAudioInfo } | { ok: false; reason: string };
export type ClusterReply = ClusterAnswer & { id: number };

export const replyEnvelope = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), info: z.any().optional() }),
  z.object({ id: z.number().int(), ok: z.literal(false), reason: z.string() }),
]);

export const endedNotice = z.object({ reason: z.enum(['call-ended', 'call-interrupted', 'gone']) });

const STAMP_BYTES = 8;

/** Prefixes `data` with the wall-clock ms (float64) of `at`, a performance.now() reading of this process. */
export function stamp(at: number, data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(STAMP_BYTES + data.length);
  out.writeDoubleBE(performance.timeOrigin + at, 0);
  out.set(data, STAMP_BYTES);
  return out;
}

/** The stamp as a performance.now() reading of this process, and the data; undefined when too short. */
export function unstamp(payload: Buffer): { at: number; data: Buffer } | undefined {
  if (payload.length <= STAMP_BYTES) return undefined;
  return { at: payload.readDoubleBE(0) - performance.timeOrigin, data: payload.subarray(STAMP_BYTES) };
}

export function parseJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
}

export const toPayload = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
