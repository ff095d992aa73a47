import { describe, expect, it } from 'vitest';
import { sine } from '../../audio/index.js';
import { concat, createEndpointer, type EndpointStep } from './endpointer.js';

const RATE = 16_000;
const ms = (n: number) => (RATE * n) / 1000;
const quiet = (n: number) => {
  const out = new Int16Array(ms(n));
  for (let i = 0; i < out.length; i++) out[i] = ((i * 7919) % 21) - 10; // ~-70 dBFS hiss
  return out;
};
const loud = (n: number) => sine(RATE, [220, 660], ms(n), 4000);

function run(pcm: Int16Array, chunkMs = 20, opts = {}) {
  const ep = createEndpointer(RATE, opts);
  const steps: EndpointStep[] = [];
  for (let i = 0; i < pcm.length; i += ms(chunkMs)) steps.push(...ep.push(pcm.subarray(i, i + ms(chunkMs))));
  steps.push(...ep.flush());
  return steps;
}

const kinds = (steps: EndpointStep[]) => steps.filter((s) => s.kind !== 'audio').map((s) => s.kind);
const audioOf = (steps: EndpointStep[]) => steps.filter((s): s is Extract<EndpointStep, { kind: 'audio' }> => s.kind === 'audio');

describe('energy endpointer', () => {
  it('opens at speech (with pre-roll) and closes after 600 ms of silence', () => {
    const steps = run(concat([quiet(1500), loud(1000), quiet(1500)]));
    expect(kinds(steps)).toEqual(['start', 'end']);
    const start = steps[0] as Extract<EndpointStep, { kind: 'start' }>;
    const end = steps.find((s) => s.kind === 'end') as Extract<EndpointStep, { kind: 'end' }>;
    expect(start.atSample).toBeGreaterThanOrEqual(ms(1500 - 300 - 20));
    expect(start.atSample).toBeLessThanOrEqual(ms(1500 - 200));
    expect(end.reason).toBe('silence');
    expect(end.atSample).toBeGreaterThanOrEqual(ms(2500 + 600));
    expect(end.atSample).toBeLessThanOrEqual(ms(2500 + 700));
    // What is fed is contiguous and covers the whole speech.
    const audio = audioOf(steps);
    let at = start.atSample;
    for (const a of audio) {
      expect(a.atSample).toBe(at);
      at += a.pcm.length;
    }
    expect(at).toBe(end.atSample);
  });

  it('gives the same steps whatever the chunking', () => {
    const signal = concat([quiet(800), loud(700), quiet(900), loud(400), quiet(1000)]);
    const a = run(signal, 20).filter((s) => s.kind !== 'audio');
    const b = run(signal, 130).filter((s) => s.kind !== 'audio');
    expect(b).toEqual(a);
    expect(kinds(a)).toEqual(['start', 'end', 'start', 'end']);
  });

  it('cuts long speech into utterances without losing audio', () => {
    const steps = run(concat([quiet(500), loud(2500), quiet(1000)]), 20, { maxUtteranceMs: 1000 });
    expect(kinds(steps).filter((k) => k === 'start').length).toBeGreaterThanOrEqual(3);
    expect(steps.some((s) => s.kind === 'end' && s.reason === 'max-length')).toBe(true);
    const audio = audioOf(steps);
    for (let i = 1; i < audio.length; i++) expect(audio[i].atSample).toBe(audio[i - 1].atSample + audio[i - 1].pcm.length);
  });

  it('closes an open utterance on flush and ignores pure silence', () => {
    const open = run(concat([quiet(300), loud(800)]));
    expect(open[open.length - 1]).toMatchObject({ kind: 'end', reason: 'flush' });
    expect(run(quiet(3000))).toEqual([]);
  });
});
