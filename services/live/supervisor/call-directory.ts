import type { CallRegistry, Capabilities } from '../../calls/index.js';
import type { Logger } from '../../core/index.js';
import type { CallSentiment, ConversationMetrics, SentimentScore, TranscriptSegment } from '../../speech/index.js';
import { createCallRepo, type Queryable } from '../../store/index.js';
import type { BusEvent } from '../events.js';

/** A live call as the supervisor hub knows it: from bus events, completed from the stored call row. */
export interface LiveCall {
  callId: string;
  startedAt: Date;
  protocol: string;
  direction: string;
  capabilities: Capabilities;
  agentExternalId: string | null;
  agent: { displayName: string; teamId: string | null; teamName: string | null } | null;
  queue: string | null;
  customerSentiment: SentimentScore | null;
  openAlerts: number;
  /** The stored row was read (agent, team): only then can team scope be decided. */
  resolved: boolean;
  /** Final segments (by utterance id) seen on the bus while the call was live: a late subscriber's history, with the stored ones. */
  finals: Map<string, { segment: TranscriptSegment; sentiment: SentimentScore | null }>;
  metrics: ConversationMetrics | null;
  sentiment: CallSentiment | null;
}

export type DirectoryChange =
  | { kind: 'added' | 'updated'; call: LiveCall }
  | { kind: 'removed'; call: LiveCall; status: 'ended' | 'interrupted' };

export interface CallDirectory {
  handle(event: BusEvent): void;
  get(callId: string): LiveCall | undefined;
  list(): LiveCall[];
  /** The live call once its stored row has been read; undefined when it is not live (or the row never appears). */
  resolved(callId: string): Promise<LiveCall | undefined>;
  onChange(listener: (change: DirectoryChange) => void): () => void;
  close(): void;
}

/** Segments kept in memory per live call; the store has them all. */
const MAX_FINALS = 2000;
/** Waits between attempts to read a just-started call's row (it is inserted while the first frames flow). */
const RESOLVE_DELAYS_MS = [0, 20, 50, 100, 200, 400, 800, 1500, 2500];

/**
 * The live call list: built from call.started / ended / interrupted events (so calls on other nodes appear too
 * once the bus spans nodes), with each call's agent, team and queue read once from its stored row, and the
 * customer's latest sentiment, metrics and final segments kept current from speech events.
 */
export function createCallDirectory(o: { db: Queryable; log: Logger; registry?: Pick<CallRegistry, 'live'> }): CallDirectory {
  const calls = createCallRepo(o.db);
  const byId = new Map<string, LiveCall>();
  const waiting = new Map<string, Promise<LiveCall | undefined>>();
  const listeners = new Set<(c: DirectoryChange) => void>();
  let closed = false;

  function emit(change: DirectoryChange): void {
    for (const l of listeners) {
      try {
        l(change);
      } catch (err) {
        o.log.error({ err, callId: change.call.callId }, 'live call list listener failed');
      }
    }
  }

  async function resolve(call: LiveCall): Promise<LiveCall | undefined> {
    for (const ms of RESOLVE_DELAYS_MS) {
      if (ms) await new Promise((r) => setTimeout(r, ms).unref());
      if (closed || byId.get(call.callId) !== call) return undefined;
      let row;
      try {
        row = await calls.get(call.callId, { kind: 'all' });
      } catch (err) {
        o.log.warn({ err, callId: call.callId }, 'could not read a live call\'s row');
        continue;
      }
      if (!row) continue;
      if (byId.get(call.callId) !== call) return undefined;
      call.agent = row.agent && { displayName: row.agent.displayName, teamId: row.agent.teamId, teamName: row.agent.teamName };
      call.queue = row.queue?.name ?? call.queue;
      call.resolved = true;
      emit({ kind: 'updated', call });
      return call;
    }
    o.log.warn({ callId: call.callId }, 'a live call\'s row did not appear; supervisors of its team will not see it');
    return undefined;
  }

  function add(call: LiveCall): void {
    byId.set(call.callId, call);
    emit({ kind: 'added', call });
    const p = resolve(call);
    waiting.set(call.callId, p);
    void p.finally(() => { if (waiting.get(call.callId) === p) waiting.delete(call.callId); });
  }

  const fresh = (c: Omit<LiveCall, 'agent' | 'customerSentiment' | 'openAlerts' | 'resolved' | 'finals' | 'metrics' | 'sentiment'>): LiveCall => ({
    ...c, agent: null, customerSentiment: null, openAlerts: 0, resolved: false, finals: new Map(), metrics: null, sentiment: null,
  });

  for (const s of o.registry?.live() ?? []) {
    add(fresh({
      callId: s.id, startedAt: s.startedAt, protocol: s.meta.protocol, direction: s.meta.direction, capabilities: s.capabilities,
      agentExternalId: s.meta.agentExternalId ?? null, queue: s.meta.queue ?? null,
    }));
  }

  return {
    handle(e) {
      if (closed) return;
      if (e.type === 'call.started') {
        if (byId.has(e.callId)) return;
        add(fresh({
          callId: e.callId, startedAt: new Date(e.at), protocol: e.protocol, direction: e.direction, capabilities: e.capabilities,
          agentExternalId: e.agentExternalId ?? null, queue: e.queue ?? null,
        }));
        return;
      }
      const call = byId.get(e.callId);
      if (!call) return;
      if (e.type === 'call.ended' || e.type === 'call.interrupted') {
        byId.delete(e.callId);
        emit({ kind: 'removed', call, status: e.type === 'call.ended' ? 'ended' : 'interrupted' });
      } else if (e.type === 'sentiment.scored') {
        const final = call.finals.get(e.utteranceId);
        if (final) final.sentiment = e.sentiment;
        if (e.speaker !== 'customer') return;
        call.customerSentiment = e.sentiment;
        emit({ kind: 'updated', call });
      } else if (e.type === 'transcript.final') {
        call.finals.set(e.segment.utteranceId, { segment: e.segment, sentiment: call.finals.get(e.segment.utteranceId)?.sentiment ?? null });
        if (call.finals.size > MAX_FINALS) call.finals.delete(call.finals.keys().next().value!);
      } else if (e.type === 'metrics.updated') {
        call.metrics = e.metrics;
      } else if (e.type === 'sentiment.summarized') {
        call.sentiment = e.sentiment;
      } else {
        // Alerts (services/live/alerts): raised ones are open until acknowledged. Matched by name so this file does
        // not depend on the alert payload's shape.
        const type: string = e.type;
        const before = call.openAlerts;
        if (type === 'alert.raised') call.openAlerts += 1;
        else if (type === 'alert.acknowledged') call.openAlerts = Math.max(0, call.openAlerts - 1);
        if (call.openAlerts !== before) emit({ kind: 'updated', call });
      }
    },
    get: (callId) => byId.get(callId),
    list: () => [...byId.values()],
    async resolved(callId) {
      const call = byId.get(callId);
      if (!call) return undefined;
      if (call.resolved) return call;
      return waiting.get(callId) ?? resolve(call);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      listeners.clear();
      byId.clear();
    },
  };
}
