import type { CallMeta, CallStatus, Capabilities, SampleRate } from '../calls/index.js';
import { createAgentRepo } from './agents-repo.js';
import { createCallRepo, type CallRecording } from './calls-repo.js';
import { createQueueRepo } from './queues-repo.js';
import type { Queryable } from './rows.js';

/** The part of a CallSession needed to record its start. */
export interface StartedCall {
  id: string;
  meta: CallMeta;
  rate: SampleRate;
  startedAt: Date;
  capabilities: Capabilities;
}

/** The part of a CallSession needed to record its end. */
export interface FinishedCall {
  id: string;
  durationMs: number;
  stats: object;
}

/**
 * Stores a call that just started: finds or creates its agent (by the platform's agent id) and queue (by name),
 * then inserts the row. False when the call was already stored (resume).
 */
export async function recordCallStarted(db: Queryable, call: StartedCall, nodeId?: string): Promise<boolean> {
  const { meta } = call;
  const agent = meta.agentExternalId ? await createAgentRepo(db).findOrCreate(meta.agentExternalId) : undefined;
  const queue = meta.queue ? await createQueueRepo(db).findOrCreate(meta.queue) : undefined;
  return createCallRepo(db).insert({
    id: call.id, protocol: meta.protocol, externalId: meta.externalId, direction: meta.direction,
    startedAt: call.startedAt, sampleRate: call.rate, agentId: agent?.id ?? null, queueId: queue?.id ?? null,
    customerNumber: meta.customerNumber ?? null, language: meta.language ?? null, capabilities: call.capabilities,
    metadata: meta.extra ?? {}, tapKeyId: meta.tapKeyId ?? null, nodeId: nodeId ?? null,
  });
}

/** Stores a call's end: status, end time, duration, stats and (optionally) its recording. False when the call is unknown. */
export function recordCallFinished(
  db: Queryable, call: FinishedCall, status: Exclude<CallStatus, 'live'>, opts: { endedAt?: Date; recording?: CallRecording } = {},
): Promise<boolean> {
  return createCallRepo(db).finish(call.id, {
    status, endedAt: opts.endedAt ?? new Date(), durationMs: call.durationMs, stats: call.stats, recording: opts.recording,
  });
}
