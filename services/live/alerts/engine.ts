import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger, Metrics } from '../../core/index.js';
import { createAlertRepo, type Alert, type Queryable } from '../../store/index.js';
import type { EventBus } from '../bus.js';
import type { AlertPayload, BusEvent } from '../events.js';
import { createRuleAlertSource } from './rule-source.js';
import { createScorecardAlertSource } from './scorecard-source.js';
import type { AlertCallContext, AlertCandidate, AlertSource, AlertWatcher, CallEvent, LiveCallMeta } from './types.js';

export interface AlertEngineOptions {
  bus: EventBus;
  db: Queryable;
  log: Logger;
  /**
   * The call if it is live on this node. Only the node holding a call evaluates it (through a Redis bus every node
   * sees every event, and an alert must be raised once); imported recordings are not live and raise nothing.
   */
  liveCall(callId: string): { startedAt: Date; meta?: LiveCallMeta } | undefined;
  /** Default: the configurable rules and the live scorecard checks. */
  sources?: AlertSource[];
  metrics?: Metrics;
  /** Alerts one call may raise; later ones are dropped and logged (default 50). */
  maxAlertsPerCall?: number;
  /** How long after its end a call still takes events (transcripts flushed at the end; default 120 s). */
  endGraceMs?: number;
  /** Events held per call while its sources start (drop-oldest beyond; default 1000). */
  maxHeldEvents?: number;
}

export interface AlertEngine {
  /** Settles when every alert raised so far is stored and published. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface CallState {
  ctx: AlertCallContext;
  watchers: AlertWatcher[] | undefined;
  held: CallEvent[];
  timers: Set<NodeJS.Timeout>;
  /** Dedup key → performance.now() of its last alert. */
  fired: Map<string, number>;
  raised: number;
  ended: boolean;
  disposeTimer?: NodeJS.Timeout;
}

const isCallEvent = (e: BusEvent): e is CallEvent => e.type !== 'alert.raised' && e.type !== 'alert.acknowledged';

export function toAlertPayload(a: Alert): AlertPayload {
  return {
    id: a.id, ruleId: a.ruleId, kind: a.kind, severity: a.severity, message: a.message, evidence: a.evidence,
    raisedAt: a.raisedAt.toISOString(),
  };
}

/** PostgreSQL's foreign_key_violation: the call row is not stored yet (it is written as the call starts). */
const isMissingCall = (err: unknown) => (err as { code?: unknown } | null)?.code === '23503';

/**
 * Evaluates alert sources on the live calls of this node from bus events, as the calls happen. Every handler is
 * synchronous and cheap; storing an alert is asynchronous (retried briefly while the call row is not written yet),
 * and `alert.raised` is published once the alert is stored, so the REST API already lists it.
 */
export function createAlertEngine(opts: AlertEngineOptions): AlertEngine {
  const { bus, log } = opts;
  const repo = createAlertRepo(opts.db);
  const sources = opts.sources ?? [createRuleAlertSource({ db: opts.db, log }), createScorecardAlertSource({ db: opts.db, log })];
  const maxAlerts = opts.maxAlertsPerCall ?? 50;
  const endGraceMs = opts.endGraceMs ?? 120_000;
  const maxHeld = opts.maxHeldEvents ?? 1000;
  const raisedTotal = opts.metrics?.counter('callsight_alerts_raised_total', 'Alerts raised, by kind and severity');
  const droppedTotal = opts.metrics?.counter('callsight_alerts_dropped_total', 'Alerts not raised, by reason');
  const calls = new Map<string, CallState>();
  const inFlight = new Set<Promise<void>>();
  const stop = new AbortController();
  let closed = false;

  const track = (p: Promise<void>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  async function store(callId: string, c: AlertCandidate, evidence: NonNullable<AlertCandidate['evidence']>): Promise<Alert> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await repo.insert({ callId, ruleId: c.ruleId ?? null, kind: c.kind, severity: c.severity, message: c.message, evidence });
      } catch (err) {
        if (!isMissingCall(err) || attempt >= 5) throw err;
        await sleep(200 * attempt, undefined, { signal: stop.signal });
      }
    }
  }

  function raise(state: CallState, source: string, c: AlertCandidate): void {
    if (closed) return;
    const key = `${source}:${c.key}`;
    const now = performance.now();
    const last = state.fired.get(key);
    if (last !== undefined && (c.cooldownMs == null || now - last < c.cooldownMs)) return;
    if (state.raised >= maxAlerts) {
      droppedTotal?.inc(1, { reason: 'per-call-limit' });
      if (state.raised === maxAlerts) log.warn({ callId: state.ctx.callId, maxAlerts }, 'alert limit reached for this call; further alerts dropped');
      state.raised++;
      return;
    }
    state.fired.set(key, now);
    state.raised++;
    const { callId } = state.ctx;
    const evidence = { atMs: Math.round(state.ctx.callTimeMs()), ...c.evidence };
    track(store(callId, c, evidence).then((alert) => {
      raisedTotal?.inc(1, { kind: alert.kind, severity: alert.severity });
      log.info({ callId, alertId: alert.id, kind: alert.kind, severity: alert.severity }, 'alert raised');
      bus.publish({ type: 'alert.raised', callId, alert: toAlertPayload(alert) });
    }).catch((err: unknown) => {
      if (stop.signal.aborted) return;
      droppedTotal?.inc(1, { reason: 'store-failed' });
      log.error({ err, callId, kind: c.kind }, 'could not store an alert');
    }));
  }

  function deliver(state: CallState, event: CallEvent): void {
    if (!state.watchers) {
      if (state.held.length >= maxHeld) state.held.shift();
      state.held.push(event);
      return;
    }
    for (const w of state.watchers) {
      try {
        w.onEvent(event);
      } catch (err) {
        log.error({ err, callId: state.ctx.callId, type: event.type }, 'alert source failed on an event');
      }
    }
  }

  function dispose(callId: string): void {
    const state = calls.get(callId);
    if (!state) return;
    for (const t of state.timers) clearTimeout(t);
    state.timers.clear();
    clearTimeout(state.disposeTimer);
    calls.delete(callId);
  }

  function end(state: CallState): void {
    state.ended = true;
    for (const t of state.timers) clearTimeout(t);
    state.timers.clear();
    for (const w of state.watchers ?? []) {
      try { w.onEnd?.(); } catch (err) { log.error({ err, callId: state.ctx.callId }, 'alert source failed at call end'); }
    }
    state.disposeTimer = setTimeout(() => dispose(state.ctx.callId), endGraceMs);
    state.disposeTimer.unref();
  }

  function start(callId: string, startedAt: Date, meta: LiveCallMeta | undefined): CallState {
    const sourceCtx = (source: string): AlertCallContext => ({
      callId, startedAt, meta,
      callTimeMs: () => Date.now() - startedAt.getTime(),
      at(callMs, fn) {
        if (state.ended || closed) return;
        // Timers may fire a millisecond early against the wall clock: wait again until the call time is reached.
        const schedule = (): void => {
          const timer = setTimeout(() => {
            state.timers.delete(timer);
            if (state.ended || closed) return;
            if (Date.now() - startedAt.getTime() < callMs) return schedule();
            try { fn(); } catch (err) { log.error({ err, callId, source }, 'alert source timer failed'); }
          }, Math.max(0, callMs - (Date.now() - startedAt.getTime())));
          timer.unref();
          state.timers.add(timer);
        };
        schedule();
      },
      raise: (c) => raise(state, source, c),
    });
    const state: CallState = {
      ctx: sourceCtx('engine'), watchers: undefined, held: [], timers: new Set(), fired: new Map(), raised: 0, ended: false,
    };
    calls.set(callId, state);
    const watching = sources.map(async (s) => {
      try {
        return await s.watch(sourceCtx(s.name));
      } catch (err) {
        log.error({ err, callId, source: s.name }, 'alert source could not watch a call');
        return undefined;
      }
    });
    track(Promise.all(watching).then((ws) => {
      if (calls.get(callId) !== state) return;
      state.watchers = ws.filter((w): w is AlertWatcher => w !== undefined);
      const held = state.held;
      state.held = [];
      for (const e of held) deliver(state, e);
      if (state.ended) for (const w of state.watchers) w.onEnd?.();
    }));
    return state;
  }

  const unsubscribe = bus.subscribe((event) => {
    if (closed || !isCallEvent(event)) return;
    let state = calls.get(event.callId);
    if (!state) {
      if (event.type === 'call.ended' || event.type === 'call.interrupted') return;
      const live = opts.liveCall(event.callId);
      if (!live) return;
      state = start(event.callId, live.startedAt, live.meta);
    }
    deliver(state, event);
    if ((event.type === 'call.ended' || event.type === 'call.interrupted') && !state.ended) end(state);
    else if (state.ended && event.type === 'metrics.updated' && event.final) dispose(event.callId);
  });

  async function idle(): Promise<void> {
    while (inFlight.size) await Promise.allSettled([...inFlight]);
  }

  return {
    idle,
    async close() {
      if (closed) return;
      unsubscribe();
      for (const id of [...calls.keys()]) dispose(id);
      stop.abort(); // alerts still waiting for their call row are given up
      await idle();
      closed = true;
    },
  };
}
