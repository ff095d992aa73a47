import { describe, expect, it } from 'vitest';
import { createTimeline } from './timeline.js';

const seq = (from: number, n: number) => Int16Array.from({ length: n }, (_, i) => from + i);

describe('timeline', () => {
  it('emits aligned blocks only once both channels have audio', () => {
    const t = createTimeline(1000);
    expect(t.write('agent', seq(1, 10))).toBeUndefined();
    const b = t.write('customer', seq(100, 6));
    expect(b?.startSample).toBe(0);
    expect(Array.from(b!.agent)).toEqual(Array.from(seq(1, 6)));
    expect(Array.from(b!.customer)).toEqual(Array.from(seq(100, 6)));
    const rest = t.flush();
    expect(Array.from(rest!.agent)).toEqual(Array.from(seq(7, 4)));
    expect(Array.from(rest!.customer)).toEqual([0, 0, 0, 0]);
    expect(t.counters.gapSamples).toBe(4);
  });

  it('fills gaps with silence and drops late audio', () => {
    const t = createTimeline(1000);
    t.write('agent', seq(1, 4), 0);
    t.write('agent', seq(10, 2), 6); // gap of 2
    t.write('agent', seq(50, 3), 7); // 1 late sample, 2 new
    t.write('customer', seq(1, 9), 0);
    expect(t.emitted).toBe(9);
    const b = t.flush();
    expect(Array.from(b!.agent)).toEqual([52]);
    expect(Array.from(b!.customer)).toEqual([0]);
    expect(t.counters.gapSamples).toBe(3);
    expect(t.counters.lateSamples).toBe(1);
  });

  it('fills a channel that lags beyond the skew limit so output keeps flowing', () => {
    const t = createTimeline(5);
    const b = t.write('customer', seq(1, 20));
    expect(b?.agent.length).toBe(15);
    expect(Array.from(b!.agent).every((s) => s === 0)).toBe(true);
    // audio for the silenced stretch now arrives late and is dropped, the rest is kept
    const late = t.write('agent', seq(1, 20), 0);
    expect(t.counters.lateSamples).toBe(15);
    expect(Array.from(late!.agent)).toEqual(Array.from(seq(16, 5)));
  });
});
