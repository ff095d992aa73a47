import { describe, expect, it } from 'vitest';
import { evaluateCall } from './evaluate.js';
import type { EvaluationInput } from './evaluation-types.js';
import { callOf, cardWith, metricsOf, sentimentOf, type Line } from './testing.js';
import type { HoldRule, MetricName, Rule } from './types.js';

const answer = (rule: Rule, input: EvaluationInput) => evaluateCall(cardWith([rule]), input).answers[0];
const withMetrics = (m: ReturnType<typeof metricsOf>) => callOf([['agent', 0, 1, 'hello']], { metrics: m });

describe('metric rule', () => {
  const m = metricsOf({
    horizonMs: 100_000, overtalkMs: 5_400, talkToListenRatio: 2.5,
    nonTalk: { totalMs: 21_000, count: 2, longest: { startMs: 23_000, endMs: 36_000, durationMs: 13_000 } },
    interruptions: [
      { by: 'agent', of: 'customer', atMs: 11_000, overlapMs: 2_000 },
      { by: 'agent', of: 'customer', atMs: 24_000, overlapMs: 1_800 },
      { by: 'customer', of: 'agent', atMs: 40_000, overlapMs: 1_600 },
    ],
  }, { agent: { talkShare: 0.7, wordsPerMinute: 230 }, customer: { talkShare: 0.3, wordsPerMinute: null } });

  it.each([
    ['longestNonTalk', 13], ['nonTalkTotal', 21], ['overtalk', 5.4], ['overtalkShare', 0.054], ['talkToListenRatio', 2.5],
    ['agentTalkShare', 0.7], ['agentInterruptions', 2], ['customerInterruptions', 1], ['agentWordsPerMinute', 230],
  ] as Array<[MetricName, number]>)('reads %s as %d (inclusive bounds)', (metric, value) => {
    expect(answer({ type: 'metric', metric, max: value }, withMetrics(m)).outcome).toBe('pass');
    expect(answer({ type: 'metric', metric, min: value }, withMetrics(m)).outcome).toBe('pass');
    expect(answer({ type: 'metric', metric, max: value * 0.99 }, withMetrics(m)).outcome).toBe('fail');
    expect(answer({ type: 'metric', metric, min: value * 1.01 + 0.001 }, withMetrics(m)).outcome).toBe('fail');
  });

  it('checks a range and names the value in the detail', () => {
    const a = answer({ type: 'metric', metric: 'agentWordsPerMinute', min: 100, max: 220 }, withMetrics(m));
    expect(a).toMatchObject({ outcome: 'fail', value: 'no', confidence: 1, detail: 'agentWordsPerMinute 230 wpm (expected ≥ 100 and ≤ 220)' });
  });

  it('gives the stretches behind a metric as evidence', () => {
    expect(answer({ type: 'metric', metric: 'agentInterruptions', max: 1 }, withMetrics(m)).evidence).toEqual([
      { speaker: 'agent', startMs: 11_000, endMs: 13_000, note: 'agent cut in on the customer (2.0 s overlap)' },
      { speaker: 'agent', startMs: 24_000, endMs: 25_800, note: 'agent cut in on the customer (1.8 s overlap)' },
    ]);
    expect(answer({ type: 'metric', metric: 'longestNonTalk', max: 10 }, withMetrics(m)).evidence).toEqual([
      { startMs: 23_000, endMs: 36_000, note: 'longest non-talk 13.0 s' },
    ]);
  });

  it('is not evaluable without metrics or when the metric is undefined', () => {
    expect(answer({ type: 'metric', metric: 'overtalk', max: 3 }, callOf([]))).toMatchObject({ outcome: 'unknown', needsReview: true, reviewReason: 'not-evaluable' });
    const a = answer({ type: 'metric', metric: 'customerWordsPerMinute', min: 100 }, withMetrics(m));
    expect(a).toMatchObject({ outcome: 'unknown', value: null });
    expect(a.detail).toMatch(/too little customer talk/);
  });

  it('counts no silence as a longest non-talk of 0', () => {
    expect(answer({ type: 'metric', metric: 'longestNonTalk', max: 0 }, withMetrics(metricsOf())).outcome).toBe('pass');
  });
});

describe('sentiment rule', () => {
  const input = (customer: number[]) => callOf([], { sentiment: sentimentOf({ customer, agent: [0.1] }) });

  it('"end at or above start" is delta ≥ 0', () => {
    const rule: Rule = { type: 'sentiment', speaker: 'customer', measure: 'delta', min: 0 };
    expect(answer(rule, input([-0.6, -0.2, 0, 0.4, 0.5, 0.6])).outcome).toBe('pass');
    expect(answer(rule, input([0.5, 0.4, 0, -0.2, -0.4, -0.6])).outcome).toBe('fail');
    expect(answer(rule, input([0.2, 0, 0, 0, 0, 0.2])).outcome).toBe('pass'); // equal counts as at or above
  });

  it('checks the end (or mean, or start) against a value, with the thirds as evidence', () => {
    const a = answer({ type: 'sentiment', speaker: 'customer', measure: 'end', min: 0.3 }, input([-0.6, -0.2, 0, 0.2, 0.5, 0.6]));
    expect(a).toMatchObject({ outcome: 'pass', confidence: 1 });
    expect(a.evidence.map((e) => [e.utteranceId, e.note])).toEqual([['customer-u4', 'sentiment 0.50 (positive)'], ['customer-u5', 'sentiment 0.60 (positive)']]);
    expect(answer({ type: 'sentiment', speaker: 'customer', measure: 'mean', max: -0.5 }, input([-0.6, -0.2, 0])).outcome).toBe('fail');
    expect(answer({ type: 'sentiment', speaker: 'agent', measure: 'start', min: 0 }, input([0])).outcome).toBe('pass');
  });

  it('has low confidence below three segments and is not evaluable without sentiment', () => {
    expect(answer({ type: 'sentiment', speaker: 'customer', measure: 'end', min: 0 }, input([0.5, 0.5]))).toMatchObject({ outcome: 'pass', confidence: 0.5, needsReview: true });
    expect(answer({ type: 'sentiment', speaker: 'customer', measure: 'end', min: 0 }, input([]))).toMatchObject({ outcome: 'unknown', needsReview: true });
    expect(answer({ type: 'sentiment', speaker: 'customer', measure: 'end', min: 0 }, callOf([]))).toMatchObject({ outcome: 'unknown', reviewReason: 'not-evaluable' });
  });
});

describe('hold rule', () => {
  const hold: HoldRule = {
    type: 'hold', minSilence: 5, askWithin: 20, thankWithin: 10,
    ask: ['may i place you on hold', 'اجازه می‌دهید'], thank: ['thank you for waiting', 'ممنون از صبر شما'],
  };
  const script = (ask: string, thank: string): Line[] => [
    ['agent', 0, 9, 'How can I help?'],
    ['agent', 10, 14, ask],
    ['customer', 15, 16, 'Sure.'],
    ['agent', 26, 30, thank],
    ['customer', 31, 33, 'Great.'],
  ];
  const pause = { kind: 'between-turns' as const, speaker: 'agent' as const, startMs: 16_000, endMs: 26_000, durationMs: 10_000 };
  const run = (lines: Line[], metrics = metricsOf({ longPauses: [pause] })) => answer(hold, callOf(lines, { metrics }));

  it('passes when every long silence is announced and followed by thanks', () => {
    const a = run(script('Let me check. May I place you on hold for a moment?', 'Thank you for waiting. I found it.'));
    expect(a).toMatchObject({ outcome: 'pass', value: 'yes', confidence: 1 });
    expect(a.evidence.map((e) => e.note)).toEqual(['silence 10.0 s', 'hold request: "may i place you on hold" (1.00)', 'thanks for waiting: "thank you for waiting" (1.00)']);
    expect(a.evidence[1].segmentId).toBe('s1');
  });

  it('fails a silence without a request before it or thanks after it', () => {
    const noAsk = run(script('Let me check.', 'Thank you for waiting.'));
    expect(noAsk).toMatchObject({ outcome: 'fail', value: 'no' });
    expect(noAsk.detail).toBe('silence at 16.0 s (10.0 s): no hold request before it');
    expect(noAsk.evidence[0]).toEqual({ startMs: 16_000, endMs: 26_000, note: 'silence 10.0 s: no hold request before it' });
    expect(run(script('May I place you on hold?', 'Okay, found it.')).detail).toBe('silence at 16.0 s (10.0 s): no thanks for waiting after it');
  });

  it('ignores requests too long before and thanks too long after', () => {
    const far = metricsOf({ longPauses: [{ ...pause, startMs: 40_000, endMs: 50_000 }] });
    expect(run(script('May I place you on hold?', 'Thank you for waiting.'), far).outcome).toBe('fail');
  });

  it('is not applicable without a silence of the minimum length', () => {
    expect(run(script('x', 'y'), metricsOf({ longPauses: [{ ...pause, endMs: 20_000, durationMs: 4_000 }] }))).toMatchObject({ outcome: 'na', value: 'na' });
  });

  it('falls back to gaps between transcript segments without metrics', () => {
    expect(run(script('May I place you on hold?', 'Thank you for waiting.'), null as never).outcome).toBe('pass');
    expect(run(script('One moment.', 'Thank you for waiting.'), null as never).outcome).toBe('fail');
  });

  it('understands Persian hold etiquette in any spelling', () => {
    expect(run(script('اجازه مي‌دهيد چند لحظه منتظر بمانيد؟', 'ممنون از صبر شما، مشکل حل شد.')).outcome).toBe('pass');
  });
});

describe('metadata rule', () => {
  const input = callOf([], { call: { id: 'm', direction: 'inbound', queue: 'billing', language: 'fa-IR', durationMs: 90_000 } });
  it.each([
    [{ type: 'metadata', field: 'queue', in: ['support', 'billing'] }, 'pass'],
    [{ type: 'metadata', field: 'queue', in: ['sales'] }, 'fail'],
    [{ type: 'metadata', field: 'direction', in: ['outbound'] }, 'fail'],
    [{ type: 'metadata', field: 'language', in: ['fa'] }, 'pass'],
    [{ type: 'metadata', field: 'language', in: ['en'] }, 'fail'],
    [{ type: 'metadata', field: 'department', in: ['x'] }, 'unknown'],
    [{ type: 'metadata', field: 'duration', min: 60, max: 90 }, 'pass'],
    [{ type: 'metadata', field: 'duration', max: 60 }, 'fail'],
  ] as Array<[Rule, string]>)('%j → %s', (rule, outcome) => {
    expect(answer(rule, input).outcome).toBe(outcome);
  });
});
