import { describe, expect, it } from 'vitest';
import type { Channel } from '../../calls/index.js';
import { labelFor } from './scoring.js';
import { summarizeCallSentiment, type ScoredSegment } from './call-sentiment.js';

let n = 0;
const seg = (speaker: Channel, startMs: number, score: number, id = `u${n++}`): ScoredSegment => ({
  utteranceId: id, speaker, startMs, endMs: startMs + 2000, text: '', sentiment: { score, label: labelFor(score), engine: 'test' },
});

describe('summarizeCallSentiment', () => {
  it('computes the customer’s start, end, delta, slope and trend', () => {
    // Six customer segments (given out of order), midpoints at 1, 2, …, 6 minutes.
    const minute = (m: number) => m * 60_000 - 1000;
    const customer = [-0.8, -0.6, -0.2, 0.1, 0.4, 0.6].map((s, i) => seg('customer', minute(i + 1), s));
    const agent = [seg('agent', 0, 0.5), seg('agent', 200_000, 0.5)];
    const call = summarizeCallSentiment([...customer].reverse().concat(agent));
    const c = call.customer;
    expect(c.timeline.map((p) => p.score)).toEqual([-0.8, -0.6, -0.2, 0.1, 0.4, 0.6]);
    expect(c.start).toBeCloseTo(-0.7, 12); // mean of the first ⌈6/3⌉ = 2
    expect(c.end).toBeCloseTo(0.5, 12);
    expect(c.delta).toBeCloseTo(1.2, 12);
    expect(c.mean).toBeCloseTo(-0.5 / 6, 12);
    // Least squares over x = 1…6: Sxy = Σ(x − 3.5)·y = 2 + 0.9 + 0.1 + 0.05 + 0.6 + 1.5 = 5.15, Sxx = 17.5.
    expect(c.slopePerMinute).toBeCloseTo(5.15 / 17.5, 12);
    expect(c.trend).toBe('improving');
    expect(call.speakers.agent).toMatchObject({ start: 0.5, end: 0.5, delta: 0, trend: 'unknown' });
    expect(call.speakers.customer).toBe(c);
  });

  it('handles worsening, stable, sparse and empty timelines', () => {
    const worse = summarizeCallSentiment([0.5, 0.4, 0.1, -0.1, -0.5].map((s, i) => seg('customer', i * 10_000, s))).customer;
    expect(worse.start).toBeCloseTo(0.45, 12); // ⌈5/3⌉ = 2 segments
    expect(worse.end).toBeCloseTo(-0.3, 12);
    expect(worse.trend).toBe('worsening');
    const stable = summarizeCallSentiment([0.1, 0, 0.2].map((s, i) => seg('customer', i * 10_000, s))).customer;
    expect(stable).toMatchObject({ start: 0.1, end: 0.2, trend: 'stable' });
    const one = summarizeCallSentiment([seg('customer', 0, -0.4)]).customer;
    expect(one).toMatchObject({ start: -0.4, end: -0.4, delta: 0, slopePerMinute: null, trend: 'unknown' });
    const none = summarizeCallSentiment([]).customer;
    expect(none).toEqual({ timeline: [], mean: null, start: null, end: null, delta: null, slopePerMinute: null, trend: 'unknown' });
  });

  it('keeps the latest score of a re-scored utterance', () => {
    const call = summarizeCallSentiment([seg('customer', 0, -0.5, 'x'), seg('customer', 0, 0.5, 'x')]);
    expect(call.customer.timeline).toHaveLength(1);
    expect(call.customer.mean).toBe(0.5);
  });
});
