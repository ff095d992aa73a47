import { describe, expect, it } from 'vitest';
import { CHANNELS, type Channel } from '../../calls/index.js';
import type { SpeechSpan, TranscriptSegment } from '../types.js';
import { computeConversationMetrics } from './conversation-metrics.js';
import { createMetricsTracker } from './metrics-tracker.js';
import type { ProsodyFrame } from './types.js';

/** Deterministic PRNG so failures reproduce. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

/** A random two-party call: alternating talk and silence per channel, integer ms. */
function randomCall(seed: number, lengthMs: number) {
  const r = rng(seed);
  const spans: SpeechSpan[] = [];
  for (const speaker of CHANNELS) {
    let t = int(r, 0, 3000);
    while (t < lengthMs) {
      const end = Math.min(lengthMs, t + int(r, 200, 8000));
      spans.push({ speaker, startMs: t, endMs: end });
      t = end + int(r, 0, 7000);
    }
  }
  const segments: TranscriptSegment[] = spans.map((s, i) => ({
    callId: 'c', speaker: s.speaker, utteranceId: `u${i}`, text: 'x '.repeat(int(r, 1, 20)).trim(),
    startMs: s.startMs, endMs: s.endMs, words: [], final: true, engine: 't', language: 'en',
  }));
  const prosody: Record<Channel, ProsodyFrame[]> = { agent: [], customer: [] };
  for (const ch of CHANNELS) {
    for (let t = 0; t + 40 <= lengthMs; t += 40) {
      const active = r() < 0.6;
      prosody[ch].push({ startMs: t, endMs: t + 40, rmsDb: active ? -30 + 12 * r() : -70, active, pitchHz: active && r() < 0.7 ? 100 + 150 * r() : null });
    }
  }
  return { spans, segments, prosody };
}

describe('createMetricsTracker', () => {
  for (const seed of [1, 2, 3, 42, 1234]) {
    it(`equals the batch result at every step of a live call (seed ${seed})`, () => {
      const lengthMs = 120_000;
      const { spans, segments, prosody } = randomCall(seed, lengthMs);
      const tracker = createMetricsTracker();
      const known: SpeechSpan[] = [];
      const frameCursor: Record<Channel, number> = { agent: 0, customer: 0 };
      const r = rng(seed + 7);
      // Spans arrive when they end (plus VAD latency); the watermark may not pass a span still in progress.
      for (let now = 0; now <= lengthMs + 3000; now += int(r, 100, 2500)) {
        const latency = (s: SpeechSpan) => s.endMs + (s.speaker === 'agent' ? 150 : 400);
        for (const s of spans) {
          if (!known.includes(s) && latency(s) <= now) {
            known.push(s);
            tracker.addSpan(s);
            const seg = segments[spans.indexOf(s)];
            tracker.addSegment(seg);
          }
        }
        const unknownStarts = spans.filter((s) => !known.includes(s)).map((s) => s.startMs);
        const watermark = Math.min(now, ...unknownStarts);
        if (r() < 0.7) tracker.advance(watermark);
        for (const ch of CHANNELS) {
          const upTo = prosody[ch].findIndex((f) => f.endMs > now);
          const end = upTo === -1 ? prosody[ch].length : upTo;
          tracker.addProsody(ch, prosody[ch].slice(frameCursor[ch], end));
          frameCursor[ch] = end;
        }
        const horizon = Math.max(now, tracker.committedMs);
        const batch = computeConversationMetrics({
          spans: known,
          segments: segments.filter((_, i) => known.includes(spans[i])),
          prosody: { agent: prosody.agent.slice(0, frameCursor.agent), customer: prosody.customer.slice(0, frameCursor.customer) },
          endMs: horizon,
        });
        expect(tracker.snapshot(horizon)).toEqual(batch);
      }
      expect(tracker.committedMs).toBeGreaterThan(lengthMs / 2);
      const final = computeConversationMetrics({ spans, segments, prosody, endMs: lengthMs + 3000 });
      expect(tracker.snapshot(lengthMs + 3000)).toEqual(final);
      expect(final.interruptions.length).toBeGreaterThan(0);
      expect(final.nonTalk.count).toBeGreaterThan(0);
      expect(final.speakers.customer.agitation.current).not.toBeNull();
    });
  }

  it('gives the same result whatever the arrival order within the uncommitted timeline', () => {
    const { spans } = randomCall(99, 60_000);
    const a = createMetricsTracker();
    const b = createMetricsTracker();
    for (const s of spans) a.addSpan(s);
    for (const s of [...spans].reverse()) b.addSpan(s);
    expect(b.snapshot(60_000)).toEqual(a.snapshot(60_000));
    expect(a.snapshot(60_000)).toEqual(computeConversationMetrics({ spans, endMs: 60_000 }));
  });

  it('snapshots do not change the tracker', () => {
    const t = createMetricsTracker();
    t.addSpan({ speaker: 'agent', startMs: 0, endMs: 1000 });
    const first = t.snapshot(10_000);
    t.snapshot(20_000);
    expect(t.snapshot(10_000)).toEqual(first);
  });

  it('rejects speech added before the committed point, but accepts the extension of a running span', () => {
    const t = createMetricsTracker();
    t.addSpan({ speaker: 'agent', startMs: 1000, endMs: 3000 });
    t.advance(2000);
    expect(t.committedMs).toBe(2000);
    t.addSpan({ speaker: 'agent', startMs: 1500, endMs: 5000 }); // only extends the committed span
    expect(() => t.addSpan({ speaker: 'customer', startMs: 500, endMs: 2500 })).toThrow(/before the committed/);
    expect(() => t.snapshot(1000)).toThrow(/before the committed/);
    expect(t.snapshot().speakers.agent.talkMs).toBe(4000);
  });
});
