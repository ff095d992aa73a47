import type { CallStatus, Capabilities } from '../calls/index.js';

/** Everything published on the bus: one union, past-tense names (DESIGN.md). Later issues add members. */
export type BusEvent =
  | { type: 'call.started'; callId: string; at: string; protocol: string; direction: string; agentExternalId?: string; queue?: string; capabilities: Capabilities }
  | { type: 'call.ended'; callId: string; at: string; status: Exclude<CallStatus, 'live'>; durationMs: number }
  | { type: 'call.interrupted'; callId: string; at: string; durationMs: number }
  | { type: 'call.resumed'; callId: string; at: string };

export type BusEventType = BusEvent['type'];
