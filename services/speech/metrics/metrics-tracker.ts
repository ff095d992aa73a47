import { CHANNELS, type Channel } from '../../calls/index.js';
import { ValidationError } from '../../core/index.js';
import type { SpeechSpan, TranscriptSegment } from '../types.js';
import { activityPieces, assertValidSpan, mergeIntervals, type Interval } from './activity.js';
import { createAgitationTracker, type AgitationTracker } from './agitation.js';
import { assembleMetrics, assertHorizon, collectFinalWords, wordsBySpeaker } from './conversation-metrics.js';
import { resolveMetricsOptions } from './options.js';
import { cloneSweepState, createSweepState, finishSweep, sweepPieces } from './sweep.js';
import type { AgitationReading, ConversationMetrics, MetricsOptionsInput, ProsodyFrame } from './types.js';

export interface MetricsTracker {
  /**
   * Adds one channel's voice activity. Spans may arrive in any order within the uncommitted part of the
   * timeline; a span that would add speech before `committedMs` is rejected (ValidationError).
   */
  addSpan(span: SpeechSpan): void;
  /** Counts a final segment's words for the speaking rate (a re-sent final replaces the earlier one). */
  addSegment(segment: TranscriptSegment): void;
  /** Feeds one channel's prosody frames in time order; returns the agitation readings they completed. */
  addProsody(speaker: Channel, frames: readonly ProsodyFrame[]): AgitationReading[];
  /**
   * Promises that no span will add speech before `ms`, and folds the timeline up to there into the
   * committed state, so later snapshots only sweep what follows.
   */
  advance(ms: number): void;
  /** Metrics up to `endMs` (default: the later of the last span end and `committedMs`). Pure: no state changes. */
  snapshot(endMs?: number): ConversationMetrics;
  readonly committedMs: number;
}

/**
 * Live conversation metrics (docs/metrics.md, "Incremental computation"). For the same spans, segments,
 * frames and horizon, `snapshot(endMs)` equals `computeConversationMetrics({ …, endMs })` whatever the
 * order of arrival across channels and however often `advance` was called.
 */
export function createMetricsTracker(options?: MetricsOptionsInput): MetricsTracker {
  const o = resolveMetricsOptions(options);
  const lanes: Record<Channel, Interval[]> = { agent: [], customer: [] };
  const committed = createSweepState();
  let maxEndMs = 0;
  const finals = new Map<string, { speaker: Channel; words: number }>();
  const agitation: Record<Channel, AgitationTracker> = {
    agent: createAgitationTracker(o.agitation),
    customer: createAgitationTracker(o.agitation),
  };

  return {
    addSpan(span) {
      assertValidSpan(span);
      if (span.endMs === span.startMs) return;
      const lane = lanes[span.speaker];
      const w = committed.t;
      if (span.startMs < w) {
        const covered = lane.some((i) => i.startMs <= span.startMs && i.endMs >= Math.min(span.endMs, w));
        if (!covered) {
          throw new ValidationError(`${span.speaker} span at ${span.startMs} ms adds speech before the committed ${w} ms`, 'span');
        }
      }
      lanes[span.speaker] = mergeIntervals([...lane, span]);
      maxEndMs = Math.max(maxEndMs, span.endMs);
    },
    addSegment(segment) {
      collectFinalWords([segment], finals);
    },
    addProsody(speaker, frames) {
      return agitation[speaker].push(frames);
    },
    advance(ms) {
      assertHorizon(ms);
      if (ms <= committed.t) return;
      sweepPieces(committed, activityPieces(lanes, committed.t, ms), o);
      for (const ch of CHANNELS) lanes[ch] = lanes[ch].filter((i) => i.endMs >= ms);
    },
    snapshot(endMs) {
      const horizonMs = endMs ?? Math.max(maxEndMs, committed.t);
      assertHorizon(horizonMs);
      if (horizonMs < committed.t) {
        throw new ValidationError(`snapshot at ${horizonMs} ms is before the committed ${committed.t} ms`, 'endMs');
      }
      const s = cloneSweepState(committed);
      sweepPieces(s, activityPieces(lanes, s.t, horizonMs), o);
      finishSweep(s, o);
      return assembleMetrics(s, horizonMs, wordsBySpeaker(finals), {
        agent: agitation.agent.summary(),
        customer: agitation.customer.summary(),
      }, o);
    },
    get committedMs() {
      return committed.t;
    },
  };
}
