import type { CallDirection } from '../../calls/index.js';
import type { AlertEvidence, AlertSeverity } from '../../store/index.js';
import type { BusEvent } from '../events.js';

/** The events about a call that alert sources watch (alerts themselves excluded). */
export type CallEvent = Exclude<BusEvent, { type: 'alert.raised' | 'alert.acknowledged' }>;

/** An alert a source wants raised; the engine stores it, publishes `alert.raised`, and deduplicates by `key`. */
export interface AlertCandidate {
  /** Unique among this source's alerts on one call (a rule id, a scorecard question id, …). */
  key: string;
  /** The configurable rule behind it, if any. */
  ruleId?: string | null;
  kind: string;
  severity: AlertSeverity;
  message: string;
  /** `atMs` defaults to the call time at raising. */
  evidence?: AlertEvidence;
  /** Null or absent: this key raises at most once per call; otherwise again after this long. */
  cooldownMs?: number | null;
}

/** Call metadata as the tap sent it (what scorecards' `appliesTo` looks at). */
export interface LiveCallMeta {
  direction?: CallDirection;
  queue?: string;
  language?: string;
  agentExternalId?: string;
}

/** What a source gets for one call it watches. */
export interface AlertCallContext {
  readonly callId: string;
  readonly startedAt: Date;
  /** The call's metadata, when the engine's `liveCall` gives it. */
  readonly meta?: LiveCallMeta;
  /** Milliseconds since the call started, now. */
  callTimeMs(): number;
  /** Runs `fn` once the call reaches `callMs` (soon, if it already has); never after the call ended. */
  at(callMs: number, fn: () => void): void;
  /** Raises an alert (asynchronously stored and published; never throws). */
  raise(candidate: AlertCandidate): void;
}

/** One source's view of one call. Handlers must be quick and synchronous: no I/O, nothing that blocks. */
export interface AlertWatcher {
  /** Every bus event about the call, in order, until shortly after it ended (late transcript finals included). */
  onEvent(event: CallEvent): void;
  /** The call ended (its timers are cleared by the engine). */
  onEnd?(): void;
}

/**
 * Something that watches live calls and raises alerts. The configurable rules are one source
 * (`createRuleAlertSource`); live scorecard checks (a scorecard rule with a time window that is already missed, e.g.
 * no greeting in the first 15 s) are meant to be another, built on services/scoring and handed to
 * `createAlertEngine({ sources })`.
 */
export interface AlertSource {
  readonly name: string;
  /**
   * Called once per call this node evaluates, when it starts; may load configuration (events are held meanwhile).
   * Returns the call's watcher, or undefined to ignore the call. A throw or rejection is logged and the source skipped
   * for that call.
   */
  watch(call: AlertCallContext): AlertWatcher | undefined | Promise<AlertWatcher | undefined>;
}
