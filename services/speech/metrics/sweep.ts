import { CHANNELS, type Channel } from '../../calls/index.js';
import { ValidationError } from '../../core/index.js';
import type { Activity, ActivityPiece } from './activity.js';
import type { Interruption, LongPause, MetricsOptions, TimeStretch } from './types.js';

export type SweepOptions = Pick<MetricsOptions, 'minNonTalkMs' | 'minInterruptionOverlapMs' | 'longPauseMs'>;

/**
 * The left-to-right state of the conversation sweep at time `t`. The batch computation sweeps the whole
 * timeline from a fresh state; the incremental tracker keeps a committed state and sweeps only what follows.
 */
export interface SweepState {
  t: number;
  /** Activity in the piece that ended at `t`. */
  prev: Activity;
  firstSpeechMs: number | null;
  talkMs: Record<Channel, number>;
  overtalkMs: number;
  /** An open both-silent stretch (only after the first speech), with who spoke just before it. */
  silence: { startMs: number; before: Channel[] } | null;
  nonTalk: { totalMs: number; count: number; longest: TimeStretch | null };
  /** A cut-in whose overlap is still running. */
  pending: Interruption | null;
  interruptions: Interruption[];
  longPauses: LongPause[];
}

export function createSweepState(): SweepState {
  return {
    t: 0,
    prev: { agent: false, customer: false },
    firstSpeechMs: null,
    talkMs: { agent: 0, customer: 0 },
    overtalkMs: 0,
    silence: null,
    nonTalk: { totalMs: 0, count: 0, longest: null },
    pending: null,
    interruptions: [],
    longPauses: [],
  };
}

export function cloneSweepState(s: SweepState): SweepState {
  return {
    ...s,
    prev: { ...s.prev },
    talkMs: { ...s.talkMs },
    silence: s.silence && { startMs: s.silence.startMs, before: [...s.silence.before] },
    nonTalk: { ...s.nonTalk, longest: s.nonTalk.longest && { ...s.nonTalk.longest } },
    pending: s.pending && { ...s.pending },
    interruptions: s.interruptions.map((i) => ({ ...i })),
    longPauses: s.longPauses.map((p) => ({ ...p })),
  };
}

const other = (ch: Channel): Channel => (ch === 'agent' ? 'customer' : 'agent');

/** Closes the open silence at `atMs`. `starters` are who broke it; null at the horizon (no one did). */
function closeSilence(s: SweepState, atMs: number, starters: Channel[] | null, o: SweepOptions): void {
  const open = s.silence;
  if (!open) return;
  s.silence = null;
  const durationMs = atMs - open.startMs;
  const stretch: TimeStretch = { startMs: open.startMs, endMs: atMs, durationMs };
  if (durationMs >= o.minNonTalkMs && durationMs > 0) {
    s.nonTalk.count++;
    s.nonTalk.totalMs += durationMs;
    if (!s.nonTalk.longest || durationMs > s.nonTalk.longest.durationMs) s.nonTalk.longest = stretch;
  }
  if (!starters || durationMs < o.longPauseMs || durationMs <= 0) return;
  const { before } = open;
  if (before.length === 1 && starters.length === 1 && before[0] === starters[0]) {
    s.longPauses.push({ ...stretch, kind: 'within-turn', speaker: starters[0] });
  } else {
    const responder = starters.find((ch) => !before.includes(ch)) ?? starters[0];
    s.longPauses.push({ ...stretch, kind: 'between-turns', speaker: responder });
  }
}

function settlePending(s: SweepState, o: SweepOptions): void {
  if (s.pending && s.pending.overlapMs >= o.minInterruptionOverlapMs) s.interruptions.push(s.pending);
  s.pending = null;
}

/** Advances the state over one piece of constant activity, which must start at `s.t`. */
export function sweepPiece(s: SweepState, piece: ActivityPiece, o: SweepOptions): void {
  if (piece.startMs !== s.t) throw new ValidationError(`sweep out of order: piece at ${piece.startMs} ms, state at ${s.t} ms`, 'span');
  const { prev } = s;
  const cur = piece.active;
  const starters = CHANNELS.filter((ch) => cur[ch] && !prev[ch]);
  const anyone = cur.agent || cur.customer;
  const both = cur.agent && cur.customer;

  if (anyone) closeSilence(s, piece.startMs, starters, o);
  if (!both) settlePending(s, o);
  for (const ch of starters) {
    const held = other(ch);
    // A cut-in: the other channel was already speaking before this instant and still is.
    if (prev[held] && cur[held]) s.pending = { by: ch, of: held, atMs: piece.startMs, overlapMs: 0 };
  }
  if (!anyone && s.firstSpeechMs !== null && !s.silence) {
    s.silence = { startMs: piece.startMs, before: CHANNELS.filter((ch) => prev[ch]) };
  }

  const dur = piece.endMs - piece.startMs;
  for (const ch of CHANNELS) if (cur[ch]) s.talkMs[ch] += dur;
  if (both) {
    s.overtalkMs += dur;
    if (s.pending) s.pending.overlapMs += dur;
  }
  if (anyone && s.firstSpeechMs === null) s.firstSpeechMs = piece.startMs;
  s.prev = { ...cur };
  s.t = piece.endMs;
}

export function sweepPieces(s: SweepState, pieces: readonly ActivityPiece[], o: SweepOptions): void {
  for (const p of pieces) sweepPiece(s, p, o);
}

/**
 * Ends the sweep at the horizon (which must be `s.t`): a trailing silence counts as non-talk (never as a
 * pause: no one spoke after it) and a running cut-in counts if its overlap already reaches the minimum.
 * Mutates `s`; the tracker calls it on a clone.
 */
export function finishSweep(s: SweepState, o: SweepOptions): void {
  closeSilence(s, s.t, null, o);
  settlePending(s, o);
}
