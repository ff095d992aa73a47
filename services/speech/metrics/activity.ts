import { CHANNELS, type Channel } from '../../calls/index.js';
import { ValidationError } from '../../core/index.js';
import type { SpeechSpan } from '../types.js';

export interface Interval {
  startMs: number;
  endMs: number;
}

export type Activity = Record<Channel, boolean>;

/** A stretch of the timeline over which neither channel starts or stops speaking. */
export interface ActivityPiece extends Interval {
  active: Activity;
}

export function assertValidSpan(span: SpeechSpan): void {
  const { startMs, endMs } = span;
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || startMs < 0 || endMs < startMs) {
    throw new ValidationError(`invalid speech span ${startMs}–${endMs} ms`, 'span');
  }
  if (!CHANNELS.includes(span.speaker)) throw new ValidationError(`unknown speaker ${String(span.speaker)}`, 'span.speaker');
}

/** The union of intervals, sorted; overlapping and touching intervals are merged, empty ones dropped. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.endMs > i.startMs).sort((a, b) => a.startMs - b.startMs);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.startMs <= last.endMs) last.endMs = Math.max(last.endMs, i.endMs);
    else out.push({ startMs: i.startMs, endMs: i.endMs });
  }
  return out;
}

/** Validates spans and returns each channel's voice activity as merged intervals. */
export function activityLanes(spans: readonly SpeechSpan[]): Record<Channel, Interval[]> {
  for (const s of spans) assertValidSpan(s);
  return {
    agent: mergeIntervals(spans.filter((s) => s.speaker === 'agent')),
    customer: mergeIntervals(spans.filter((s) => s.speaker === 'customer')),
  };
}

/**
 * Cuts [fromMs, toMs) into pieces of constant activity. Lanes must be merged (see `mergeIntervals`).
 * Every span start and end inside the range is a piece boundary.
 */
export function activityPieces(lanes: Record<Channel, readonly Interval[]>, fromMs: number, toMs: number): ActivityPiece[] {
  if (toMs <= fromMs) return [];
  const cuts = new Set<number>([fromMs, toMs]);
  for (const ch of CHANNELS) {
    for (const i of lanes[ch]) {
      if (i.startMs > fromMs && i.startMs < toMs) cuts.add(i.startMs);
      if (i.endMs > fromMs && i.endMs < toMs) cuts.add(i.endMs);
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const cursor: Record<Channel, number> = { agent: 0, customer: 0 };
  const pieces: ActivityPiece[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const startMs = points[k];
    const active = { agent: false, customer: false };
    for (const ch of CHANNELS) {
      const lane = lanes[ch];
      while (cursor[ch] < lane.length && lane[cursor[ch]].endMs <= startMs) cursor[ch]++;
      const i = lane[cursor[ch]];
      active[ch] = i !== undefined && i.startMs <= startMs;
    }
    pieces.push({ startMs, endMs: points[k + 1], active });
  }
  return pieces;
}
