import { describe, expect, it } from 'vitest';
import { createSpeechGate } from './speech-gate.js';

const chunk = (startMs: number, ms = 20, rate = 8000) => ({ startMs, pcm: new Int16Array((ms * rate) / 1000).fill(startMs) });

describe('speech gate', () => {
  it('holds audio while closed and releases it from the speech start when opened', () => {
    const gate = createSpeechGate({ rate: 8000, preRollMs: 100 });
    for (let t = 0; t < 200; t += 20) expect(gate.push(chunk(t))).toEqual([]);
    const released = gate.open(130);
    expect(released.map((c) => c.startMs)).toEqual([130, 140, 160, 180]);
    expect(released[0].pcm.length).toBe(80);
    expect(gate.push(chunk(200))).toHaveLength(1);
    expect(gate.close()).toBe(true);
    expect(gate.close()).toBe(false);
    expect(gate.push(chunk(220))).toEqual([]);
  });

  it('keeps only the pre-roll', () => {
    const gate = createSpeechGate({ rate: 8000, preRollMs: 60 });
    for (let t = 0; t < 1000; t += 20) gate.push(chunk(t));
    expect(gate.open(0).map((c) => c.startMs)).toEqual([940, 960, 980]);
  });
});
