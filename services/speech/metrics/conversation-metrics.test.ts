import { describe, expect, it } from 'vitest';
import type { Channel } from '../../calls/index.js';
import type { SpeechSpan, TranscriptSegment } from '../types.js';
import { computeConversationMetrics } from './conversation-metrics.js';

const span = (speaker: Channel, startMs: number, endMs: number): SpeechSpan => ({ speaker, startMs, endMs });
const A = (s: number, e: number) => span('agent', s, e);
const C = (s: number, e: number) => span('customer', s, e);

function segment(speaker: Channel, utteranceId: string, text: string, opts: { words?: number; final?: boolean } = {}): TranscriptSegment {
  const tokens = text.split(' ');
  return {
    callId: 'c1', speaker, utteranceId, text, startMs: 0, endMs: 0, final: opts.final ?? true, engine: 'test', language: 'en',
    words: opts.words === 0 ? [] : tokens.map((t, i) => ({ text: t, startMs: i, endMs: i + 1, confidence: 1 })),
  };
}
const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

/**
 * Hand-laid timeline (ms):
 *   agent     [0,5000)+[5000,8000)  [12000,15000) [17500,20000)  [23000,30000)              [39000,45000)
 *   customer          [7000,10000)               [19800,21000)     [25000,26500)  [36000,40000)
 * horizon 50000.
 */
const SPANS = [
  A(0, 5000), A(5000, 8000), A(12000, 15000), A(17500, 20000), A(23000, 30000), A(39000, 45000),
  C(7000, 10000), C(19800, 21000), C(25000, 26500), C(36000, 40000),
];

describe('computeConversationMetrics', () => {
  const m = computeConversationMetrics({
    spans: SPANS,
    endMs: 50_000,
    segments: [
      segment('agent', 'a1', words(30)),
      segment('agent', 'a2', words(99)),
      segment('agent', 'a2', words(23)), // a re-sent final replaces the earlier one
      segment('agent', 'a3', words(40), { final: false }), // partials never count
      segment('customer', 'c1', words(12)),
      segment('customer', 'c2', 'eight words and no word timings at all', { words: 0 }),
    ],
  });

  it('measures talk, share, ratio and overtalk', () => {
    expect(m.horizonMs).toBe(50_000);
    expect(m.firstSpeechMs).toBe(0);
    expect(m.speakers.agent.talkMs).toBe(8000 + 3000 + 2500 + 7000 + 6000);
    expect(m.speakers.customer.talkMs).toBe(3000 + 1200 + 1500 + 4000);
    expect(m.talkToListenRatio).toBeCloseTo(26_500 / 9_700, 12);
    expect(m.speakers.agent.talkShare).toBeCloseTo(26_500 / 36_200, 12);
    expect(m.speakers.customer.talkShare).toBeCloseTo(9_700 / 36_200, 12);
    expect(m.overtalkMs).toBe(1000 + 200 + 1500 + 1000);
  });

  it('records interruptions with at least 500 ms of overlap, who cut in on whom and when', () => {
    expect(m.interruptions).toEqual([
      { by: 'customer', of: 'agent', atMs: 7000, overlapMs: 1000 },
      { by: 'customer', of: 'agent', atMs: 25_000, overlapMs: 1500 },
      { by: 'agent', of: 'customer', atMs: 39_000, overlapMs: 1000 },
    ]);
    expect(m.speakers.agent).toMatchObject({ interruptionsMade: 1, interruptionsReceived: 2 });
    expect(m.speakers.customer).toMatchObject({ interruptionsMade: 2, interruptionsReceived: 1 });
  });

  it('counts non-talk stretches of 3 s or more, the trailing one included', () => {
    expect(m.nonTalk).toEqual({
      totalMs: 6000 + 5000,
      count: 2,
      longest: { startMs: 30_000, endMs: 36_000, durationMs: 6000 },
    });
  });

  it('classifies long pauses of 2 s or more', () => {
    expect(m.longPauses).toEqual([
      { kind: 'between-turns', speaker: 'agent', startMs: 10_000, endMs: 12_000, durationMs: 2000 },
      { kind: 'within-turn', speaker: 'agent', startMs: 15_000, endMs: 17_500, durationMs: 2500 },
      { kind: 'between-turns', speaker: 'agent', startMs: 21_000, endMs: 23_000, durationMs: 2000 },
      { kind: 'between-turns', speaker: 'customer', startMs: 30_000, endMs: 36_000, durationMs: 6000 },
    ]);
    expect(m.speakers.agent.longPauses).toEqual({ withinTurn: 1, betweenTurns: 2 });
    expect(m.speakers.customer.longPauses).toEqual({ withinTurn: 0, betweenTurns: 1 });
  });

  it('computes words per minute of each speaker’s own talk time', () => {
    expect(m.speakers.agent.words).toBe(53);
    expect(m.speakers.agent.wordsPerMinute).toBeCloseTo(120, 12); // 53 / (26.5 s / 60)
    expect(m.speakers.customer.words).toBe(20);
    expect(m.speakers.customer.wordsPerMinute).toBeCloseTo((20 * 60_000) / 9_700, 12);
  });

  it('defaults the horizon to the last span end (no trailing silence)', () => {
    const d = computeConversationMetrics({ spans: SPANS });
    expect(d.horizonMs).toBe(45_000);
    expect(d.nonTalk).toMatchObject({ count: 1, totalMs: 6000 });
  });

  it('handles zero talk time, one-sided calls and leading silence', () => {
    const empty = computeConversationMetrics({ spans: [], endMs: 10_000 });
    expect(empty).toMatchObject({ firstSpeechMs: null, talkToListenRatio: null, overtalkMs: 0, nonTalk: { count: 0, totalMs: 0, longest: null } });
    expect(empty.speakers.agent).toMatchObject({ talkMs: 0, talkShare: null, wordsPerMinute: null });

    const agentOnly = computeConversationMetrics({ spans: [A(4000, 6000)], endMs: 10_000 });
    expect(agentOnly.talkToListenRatio).toBeNull(); // customer never talked
    expect(agentOnly.speakers.agent.talkShare).toBe(1);
    expect(agentOnly.firstSpeechMs).toBe(4000);
    expect(agentOnly.nonTalk).toEqual({ count: 1, totalMs: 4000, longest: { startMs: 6000, endMs: 10_000, durationMs: 4000 } });

    const customerOnly = computeConversationMetrics({ spans: [C(0, 1000)] });
    expect(customerOnly.talkToListenRatio).toBe(0);
  });

  it('does not report a speaking rate below the minimum talk time', () => {
    const short = computeConversationMetrics({ spans: [A(0, 4000)], segments: [segment('agent', 'x', words(10))] });
    expect(short.speakers.agent.wordsPerMinute).toBeNull();
    const custom = computeConversationMetrics({ spans: [A(0, 4000)], segments: [segment('agent', 'x', words(10))] }, { minTalkMsForRate: 0 });
    expect(custom.speakers.agent.wordsPerMinute).toBeCloseTo(150, 12);
  });

  it('treats simultaneous starts and cut-ins that end the other turn at once as no interruption', () => {
    const same = computeConversationMetrics({ spans: [A(0, 2000), C(0, 2000)] });
    expect(same.interruptions).toEqual([]);
    expect(same.overtalkMs).toBe(2000);
    const handover = computeConversationMetrics({ spans: [A(0, 2000), C(2000, 4000)] });
    expect(handover.interruptions).toEqual([]);
    expect(handover.overtalkMs).toBe(0);
  });

  it('uses configured thresholds', () => {
    const m2 = computeConversationMetrics({ spans: SPANS, endMs: 50_000 }, { minInterruptionOverlapMs: 100, minNonTalkMs: 2000, longPauseMs: 5000 });
    expect(m2.interruptions.map((i) => i.atMs)).toEqual([7000, 19_800, 25_000, 39_000]);
    expect(m2.nonTalk.count).toBe(5); // 2000, 2500, 2000, 6000, 5000
    expect(m2.longPauses.map((p) => p.startMs)).toEqual([30_000]);
  });

  it('rejects invalid spans and thresholds', () => {
    expect(() => computeConversationMetrics({ spans: [A(10, 5)] })).toThrow(/invalid speech span/);
    expect(() => computeConversationMetrics({ spans: [] }, { minNonTalkMs: -1 })).toThrow(/minNonTalkMs/);
  });
});
