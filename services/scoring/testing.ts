import type { Channel } from '../calls/index.js';
import type { CallSentiment, ConversationMetrics, SentimentLabel, Word } from '../speech/index.js';
import type { EvaluationInput, SegmentInput } from './evaluation-types.js';
import { scorecardSchema } from './scorecard-schema.js';
import type { Rule, Scorecard } from './types.js';

/** Test helpers: hand-built cards and calls. */

/** A one-section card with one yes-no question per rule (ids q0, q1…), validated like a YAML card. */
export function cardWith(rules: readonly Rule[], extra: Record<string, unknown> = {}): Scorecard {
  return scorecardSchema.parse({
    id: 'test', name: 'Test', passThreshold: 80,
    sections: [{ id: 's', title: 'S', weight: 100, questions: rules.map((auto, i) => ({ id: `q${i}`, text: `Q${i}`, type: 'yes-no', na: true, auto })) }],
    ...extra,
  });
}

export type Line = [speaker: Channel, startS: number, endS: number, text: string];

/** Segments from [speaker, start s, end s, text] lines (ids s0…, utterances u0…). */
export function segmentsOf(lines: readonly Line[]): SegmentInput[] {
  return lines.map(([speaker, a, b, text], i) => ({ id: `s${i}`, utteranceId: `u${i}`, speaker, startMs: a * 1000, endMs: b * 1000, text }));
}

/** Evenly timed words for a segment, each with the given confidence. */
export function wordsOf(text: string, startMs: number, endMs: number, confidence = 1): Word[] {
  const parts = text.split(/\s+/u).filter(Boolean);
  const step = (endMs - startMs) / parts.length;
  return parts.map((t, i) => ({ text: t, startMs: Math.round(startMs + i * step), endMs: Math.round(startMs + (i + 1) * step), confidence }));
}

export function callOf(lines: readonly Line[], over: Partial<EvaluationInput> = {}): EvaluationInput {
  return {
    call: { id: 'c1', direction: 'inbound', queue: 'support', language: 'en-US', durationMs: Math.max(0, ...lines.map((l) => l[2] * 1000)) + 1000 },
    segments: segmentsOf(lines),
    metrics: null,
    sentiment: null,
    ...over,
  };
}

const speaker = (over: Partial<ConversationMetrics['speakers']['agent']> = {}): ConversationMetrics['speakers']['agent'] => ({
  talkMs: 30_000, talkShare: 0.5, words: 80, wordsPerMinute: 160, interruptionsMade: 0, interruptionsReceived: 0,
  longPauses: { withinTurn: 0, betweenTurns: 0 },
  agitation: { baseline: null, current: null, peak: null, agitatedMs: 0, episodes: [] },
  ...over,
});

/** A quiet, balanced 60 s conversation; override what a test needs. */
export function metricsOf(over: Partial<ConversationMetrics> = {}, speakers: Partial<Record<Channel, Partial<ConversationMetrics['speakers']['agent']>>> = {}): ConversationMetrics {
  return {
    horizonMs: 60_000, firstSpeechMs: 500, talkToListenRatio: 1, overtalkMs: 0,
    nonTalk: { totalMs: 0, count: 0, longest: null }, interruptions: [], longPauses: [],
    speakers: { agent: speaker(speakers.agent), customer: speaker(speakers.customer) },
    ...over,
  };
}

const label = (s: number): SentimentLabel => (s >= 0.2 ? 'positive' : s <= -0.2 ? 'negative' : 'neutral');

/** A sentiment arc from per-segment scores of each speaker (thirds as in summarizeCallSentiment). */
export function sentimentOf(scores: Partial<Record<Channel, number[]>>): CallSentiment {
  const arc = (ch: Channel) => {
    const xs = scores[ch] ?? [];
    const n = xs.length;
    const k = Math.ceil(n / 3);
    const mean = (a: number[]) => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : null);
    const start = mean(xs.slice(0, k));
    const end = mean(xs.slice(n - k));
    return {
      timeline: xs.map((score, i) => ({ utteranceId: `${ch}-u${i}`, startMs: i * 5000, endMs: i * 5000 + 4000, score, label: label(score) })),
      mean: mean(xs), start, end, delta: start === null || end === null ? null : end - start, slopePerMinute: null, trend: 'unknown' as const,
    };
  };
  const speakers = { agent: arc('agent'), customer: arc('customer') };
  return { speakers, customer: speakers.customer };
}
