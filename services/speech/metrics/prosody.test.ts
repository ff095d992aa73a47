import { describe, expect, it } from 'vitest';
import { computeConversationMetrics } from './conversation-metrics.js';
import { createProsodyTracker } from './prosody.js';
import type { ProsodyFrame } from './types.js';

/** A voice-like signal: f0 with three harmonics, a slow pitch wobble and a little noise. */
function voice(rate: number, seconds: number, f0: number, peak: number, seed = 1): Int16Array {
  let s = seed;
  const noise = () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 0.04;
  const out = new Int16Array(Math.round(rate * seconds));
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const f = f0 * (1 + 0.02 * Math.sin((2 * Math.PI * i) / rate / 0.7));
    phase += (2 * Math.PI * f) / rate;
    const v = Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.3 * Math.sin(3 * phase) + 0.2 * Math.sin(4 * phase);
    out[i] = Math.round((peak * (v / 1.6 + noise())));
  }
  return out;
}

function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

function framesOf(rate: number, pcm: Int16Array, chunk = 160): ProsodyFrame[] {
  const t = createProsodyTracker(rate);
  const frames: ProsodyFrame[] = [];
  for (let off = 0; off < pcm.length; off += chunk) frames.push(...t.push(pcm.subarray(off, off + chunk)));
  return frames;
}

describe('createProsodyTracker', () => {
  it.each([8000, 16000, 48000])('estimates pitch and loudness at %i Hz', (rate) => {
    const frames = framesOf(rate, voice(rate, 1, 180, 8000));
    expect(frames).toHaveLength(25);
    expect(frames[1]).toMatchObject({ startMs: 40, endMs: 80, active: true });
    const pitches = frames.map((f) => f.pitchHz);
    for (const p of pitches) {
      expect(p).toBeGreaterThan(170);
      expect(p).toBeLessThan(190);
    }
    expect(frames[10].rmsDb).toBeGreaterThan(-20);
    expect(frames[10].rmsDb).toBeLessThan(-10);
  });

  it('marks silence inactive and noise unvoiced', () => {
    const rate = 8000;
    const silence = framesOf(rate, new Int16Array(rate / 2));
    expect(silence.every((f) => !f.active && f.pitchHz === null && f.rmsDb === -100)).toBe(true);
    let s = 7;
    const noise = Int16Array.from({ length: rate }, () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 16000);
    const nf = framesOf(rate, noise);
    expect(nf.every((f) => f.active)).toBe(true);
    expect(nf.filter((f) => f.pitchHz !== null).length).toBeLessThan(3);
  });

  it('gives the same frames for any chunking and keeps a trailing part-frame', () => {
    const pcm = voice(8000, 0.5, 140, 5000);
    expect(framesOf(8000, pcm, 7)).toEqual(framesOf(8000, pcm, 4000));
    const t = createProsodyTracker(8000, { startMs: 1000 });
    expect(t.push(pcm.subarray(0, 500))).toHaveLength(1);
    expect(t.positionMs).toBe(1000 + 500 / 8);
  });

  it('shows agitation when loudness and pitch rise above the speaker’s own baseline', () => {
    const rate = 8000;
    // 25 s of calm speech at 120 Hz, then 10 s at 180 Hz (+7 semitones) and 4× the amplitude (+12 dB).
    const pcm = concat(voice(rate, 25, 120, 3000, 3), voice(rate, 10, 180, 12000, 4));
    const m = computeConversationMetrics({
      spans: [{ speaker: 'customer', startMs: 0, endMs: 35_000 }],
      prosody: { customer: framesOf(rate, pcm) },
    });
    const a = m.speakers.customer.agitation;
    expect(a.baseline?.readyAtMs).toBe(20_000);
    expect(a.baseline?.pitchHz).toBeGreaterThan(115);
    expect(a.baseline?.pitchHz).toBeLessThan(125);
    expect(a.peak?.score).toBeGreaterThan(0.95);
    expect(a.peak?.atMs).toBeGreaterThan(25_000);
    expect(a.current?.loudnessRiseDb).toBeGreaterThan(10);
    expect(a.current?.pitchRiseSemitones).toBeGreaterThan(6);
    // Calm until the change, agitated from shortly after it to the end.
    expect(a.episodes).toHaveLength(1);
    expect(a.episodes[0].startMs).toBeGreaterThanOrEqual(25_000);
    expect(a.episodes[0].startMs).toBeLessThanOrEqual(27_000);
    // The reading at 35 s would need a frame starting at or after 35 s: the last one is at 34 s.
    expect(a.episodes[0].endMs).toBe(34_000);
    expect(a.agitatedMs).toBe(a.episodes[0].durationMs);
    expect(m.speakers.agent.agitation).toEqual({ baseline: null, current: null, peak: null, agitatedMs: 0, episodes: [] });
  });

  it('stays calm on a steady voice', () => {
    const rate = 8000;
    const m = computeConversationMetrics({
      spans: [{ speaker: 'agent', startMs: 0, endMs: 35_000 }],
      prosody: { agent: framesOf(rate, voice(rate, 35, 150, 6000, 5)) },
    });
    const a = m.speakers.agent.agitation;
    expect(a.peak?.score).toBeLessThan(0.1);
    expect(a.episodes).toEqual([]);
  });
});
