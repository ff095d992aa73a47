import { CHANNELS, type Channel } from '../../calls/index.js';
import type { SentimentLabel, SentimentScore } from '../types.js';

/** A final segment with its score: one point of a speaker's sentiment timeline. */
export interface ScoredSegment {
  utteranceId: string;
  speaker: Channel;
  startMs: number;
  endMs: number;
  text: string;
  sentiment: SentimentScore;
}

export interface SentimentPoint {
  utteranceId: string;
  startMs: number;
  endMs: number;
  score: number;
  label: SentimentLabel;
}

export type SentimentTrend = 'improving' | 'stable' | 'worsening' | 'unknown';

export interface SpeakerSentiment {
  /** The speaker's segments in time order. */
  timeline: SentimentPoint[];
  /** Mean score of all segments; null without segments. */
  mean: number | null;
  /** Mean score of the first third of the segments (⌈n/3⌉ of them). */
  start: number | null;
  /** Mean score of the last third. */
  end: number | null;
  /** end − start. */
  delta: number | null;
  /** Least-squares slope of score against segment midpoint, per minute; null below two distinct times. */
  slopePerMinute: number | null;
  /** From delta: ≥ +threshold improving, ≤ −threshold worsening, else stable; unknown below minSegments. */
  trend: SentimentTrend;
}

export interface CallSentiment {
  speakers: Record<Channel, SpeakerSentiment>;
  /** The headline: the customer's arc (same object as speakers.customer). */
  customer: SpeakerSentiment;
}

export interface CallSentimentOptions {
  /** |delta| needed for improving/worsening (default 0.2). */
  trendThreshold: number;
  /** Segments needed before a trend is reported (default 3). */
  minSegmentsForTrend: number;
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

function slope(points: readonly SentimentPoint[]): number | null {
  const xs = points.map((p) => (p.startMs + p.endMs) / 2 / 60_000);
  const ys = points.map((p) => p.score);
  const mx = mean(xs);
  const my = mean(ys);
  if (mx === null || my === null) return null;
  let sxx = 0;
  let sxy = 0;
  xs.forEach((x, i) => { sxx += (x - mx) ** 2; sxy += (x - mx) * (ys[i] - my); });
  return sxx > 0 ? sxy / sxx : null;
}

function arc(timeline: SentimentPoint[], o: CallSentimentOptions): SpeakerSentiment {
  const n = timeline.length;
  const k = Math.ceil(n / 3);
  const scores = timeline.map((p) => p.score);
  const start = mean(scores.slice(0, k));
  const end = mean(scores.slice(n - k));
  const delta = start === null || end === null ? null : end - start;
  let trend: SentimentTrend = 'unknown';
  if (delta !== null && n >= o.minSegmentsForTrend) {
    trend = delta >= o.trendThreshold ? 'improving' : delta <= -o.trendThreshold ? 'worsening' : 'stable';
  }
  return { timeline, mean: mean(scores), start, end, delta, slopePerMinute: slope(timeline), trend };
}

/**
 * Per-speaker timelines and the call-level arc (docs/sentiment.md, "Call level"). A re-scored utterance
 * replaces its earlier score. Pure; cheap enough to recompute on every new segment of a live call.
 */
export function summarizeCallSentiment(segments: Iterable<ScoredSegment>, options: Partial<CallSentimentOptions> = {}): CallSentiment {
  const o: CallSentimentOptions = { trendThreshold: 0.2, minSegmentsForTrend: 3, ...options };
  const latest = new Map<string, ScoredSegment>();
  for (const s of segments) latest.set(s.utteranceId, s);
  const ordered = [...latest.values()].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const speakers = {} as Record<Channel, SpeakerSentiment>;
  for (const ch of CHANNELS) {
    const timeline = ordered.filter((s) => s.speaker === ch).map((s) => ({
      utteranceId: s.utteranceId, startMs: s.startMs, endMs: s.endMs, score: s.sentiment.score, label: s.sentiment.label,
    }));
    speakers[ch] = arc(timeline, o);
  }
  return { speakers, customer: speakers.customer };
}
