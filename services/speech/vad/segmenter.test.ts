import { describe, expect, it } from 'vitest';
import { resolveVadOptions } from './options.js';
import { CHUNK_MS, createVadSegmenter, FRAMES_PER_CHUNK } from './segmenter.js';
import type { VadEvent, VadSegmenterOptions } from './types.js';

/** A stretch of chunks: the model's probability and the energy (dBFS) of each of its 4 ms frames. */
interface Stretch { chunks: number; p: number; db: number | ((frame: number) => number) }

const SILENT: Omit<Stretch, 'chunks'> = { p: 0.02, db: -200 };
const SPEECH: Omit<Stretch, 'chunks'> = { p: 0.95, db: -20 };

function build(stretches: Stretch[]): { probs: Float32Array; energies: Float32Array } {
  const n = stretches.reduce((a, s) => a + s.chunks, 0);
  const probs = new Float32Array(n);
  const energies = new Float32Array(n * FRAMES_PER_CHUNK);
  let c = 0;
  for (const s of stretches) {
    for (let k = 0; k < s.chunks; k++, c++) {
      probs[c] = s.p;
      for (let f = 0; f < FRAMES_PER_CHUNK; f++) {
        const frame = c * FRAMES_PER_CHUNK + f;
        const db = typeof s.db === 'number' ? s.db : s.db(frame);
        energies[frame] = db <= -200 ? 0 : 10 ** (db / 10);
      }
    }
  }
  return { probs, energies };
}

function run(stretches: Stretch[], o: Partial<VadSegmenterOptions> = {}, originMs = 0, piece = Infinity): VadEvent[] {
  const seg = createVadSegmenter({ callId: 'c1', speaker: 'agent', options: resolveVadOptions({ speechPadMs: 0, ...o }) });
  const { probs, energies } = build(stretches);
  const out: VadEvent[] = [];
  const step = Math.min(piece, probs.length) || 1;
  for (let c = 0; c < probs.length; c += step) {
    out.push(...seg.push(originMs, probs.subarray(c, c + step), energies.subarray(c * FRAMES_PER_CHUNK, (c + step) * FRAMES_PER_CHUNK)));
  }
  out.push(...seg.finish());
  return out;
}

const spans = (events: VadEvent[]) => events.flatMap((e) => (e.type === 'speech.ended' ? [[e.span.startMs, e.span.endMs]] : []));

describe('VAD segmenter (hysteresis and boundary refinement)', () => {
  it('reports nothing for silence and keeps isSpeech false', () => {
    const seg = createVadSegmenter({ callId: 'c1', speaker: 'agent', options: resolveVadOptions() });
    const { probs, energies } = build([{ chunks: 100, ...SILENT }]);
    expect(seg.push(1000, probs, energies)).toEqual([]);
    expect(seg.isSpeech).toBe(false);
    expect(seg.processedMs).toBe(1000 + 100 * CHUNK_MS);
    expect(seg.finish()).toEqual([]);
  });

  it('reports a segment on the signal boundaries, with start and end events on the call timeline', () => {
    const events = run([{ chunks: 20, ...SILENT }, { chunks: 30, ...SPEECH }, { chunks: 20, ...SILENT }], {}, 5000);
    expect(events.map((e) => e.type)).toEqual(['speech.started', 'speech.ended']);
    const [started, ended] = events;
    expect(started).toMatchObject({ callId: 'c1', speaker: 'agent', startMs: 5000 + 640 });
    // reported once the segment is minSpeechMs long
    expect(started.detectedMs).toBeGreaterThanOrEqual(5000 + 640 + 250);
    expect(started.detectedMs).toBeLessThan(5000 + 640 + 250 + CHUNK_MS);
    expect(ended).toMatchObject({ span: { speaker: 'agent', startMs: 5640, endMs: 5000 + 1600 } });
    // ended once minSilenceMs of silence was seen
    expect(ended.detectedMs).toBeGreaterThanOrEqual(5000 + 1600 + 300);
  });

  it('places a late trigger and a lagging offset on the energy (sub-chunk precision)', () => {
    // speech energy starts at frame 3 of chunk 20 and ends at frame 5 of chunk 49; the model is sure only from
    // chunk 23 and keeps hearing speech for 5 chunks after the end
    const db = (f: number) => (f >= 20 * 8 + 3 && f < 49 * 8 + 5 ? -25 : -200);
    const events = run([
      { chunks: 20, p: 0.02, db }, { chunks: 3, p: 0.4, db }, { chunks: 32, p: 0.9, db }, { chunks: 30, p: 0.02, db },
    ]);
    expect(spans(events)).toEqual([[20 * 32 + 12, 49 * 32 + 20]]);
  });

  it('bridges a short closure before the onset and keeps a trailing plosive burst, but not long gaps', () => {
    // a 60 ms closure inside the onset, then a 70 ms closure and a 12 ms release burst after the last voiced chunk
    const db = (f: number) => {
      const ms = f * 4;
      if (ms >= 600 && ms < 640) return -30; // onset
      if (ms >= 700 && ms < 1600) return -22; // (60 ms closure at 640–700)
      if (ms >= 1672 && ms < 1684) return -40; // release burst after a 72 ms closure
      return -200;
    };
    const events = run([{ chunks: 22, p: 0.02, db }, { chunks: 28, p: 0.9, db }, { chunks: 20, p: 0.02, db }]);
    expect(spans(events)).toEqual([[600, 1684]]);
    // with a 40 ms bridge neither the onset nor the burst is reached
    expect(spans(run([{ chunks: 22, p: 0.02, db }, { chunks: 28, p: 0.9, db }, { chunks: 20, p: 0.02, db }], { refineBridgeMs: 40 })))
      .toEqual([[700, 1600]]);
  });

  it('drops segments shorter than minSpeechMs', () => {
    expect(run([{ chunks: 20, ...SILENT }, { chunks: 7, ...SPEECH }, { chunks: 20, ...SILENT }])).toEqual([]);
    expect(spans(run([{ chunks: 20, ...SILENT }, { chunks: 8, ...SPEECH }, { chunks: 20, ...SILENT }]))).toEqual([[640, 896]]);
  });

  it('keeps pauses shorter than minSilenceMs inside a segment and splits at longer ones', () => {
    const talk = (pause: number) => run([
      { chunks: 10, ...SILENT }, { chunks: 20, ...SPEECH }, { chunks: pause, ...SILENT }, { chunks: 20, ...SPEECH }, { chunks: 20, ...SILENT },
    ]);
    expect(spans(talk(8))).toEqual([[320, 320 + (48 * 32)]]);
    expect(spans(talk(10))).toEqual([[320, 960], [1280, 1920]]);
  });

  it('applies hysteresis: probabilities between the thresholds neither start nor end speech', () => {
    const events = run([
      { chunks: 10, ...SILENT }, { chunks: 10, p: 0.45, db: -20 }, { chunks: 10, ...SPEECH }, { chunks: 30, p: 0.4, db: -20 }, { chunks: 20, ...SILENT },
    ], { refine: false });
    expect(spans(events)).toEqual([[640, 60 * 32]]);
  });

  it('without refinement uses the 32 ms grid: trigger chunk start, first silent chunk', () => {
    const db = (f: number) => (f >= 20 * 8 + 3 && f < 49 * 8 + 5 ? -25 : -200);
    const events = run([{ chunks: 20, p: 0.02, db }, { chunks: 3, p: 0.4, db }, { chunks: 32, p: 0.9, db }, { chunks: 30, p: 0.02, db }], { refine: false });
    expect(spans(events)).toEqual([[23 * 32, 55 * 32]]);
  });

  it('pads segments without overlapping the neighbour, the origin or the end of the audio', () => {
    const events = run([{ chunks: 1, ...SPEECH }, { chunks: 20, ...SPEECH }, { chunks: 10, ...SILENT }, { chunks: 20, ...SPEECH }], { speechPadMs: 200 }, 100);
    const s = spans(events);
    expect(s).toEqual([[100, 100 + 672 + 200], [100 + 672 + 200, 100 + 51 * 32]]);
  });

  it('confirms speech once and reports isSpeech while inside a segment', () => {
    const seg = createVadSegmenter({ callId: 'c1', speaker: 'customer', options: resolveVadOptions() });
    const a = build([{ chunks: 10, ...SILENT }, { chunks: 5, ...SPEECH }]);
    expect(seg.push(0, a.probs, a.energies)).toEqual([]);
    expect(seg.isSpeech).toBe(false);
    const b = build([{ chunks: 10, ...SPEECH }]);
    const started = seg.push(0, b.probs, b.energies);
    expect(started.map((e) => e.type)).toEqual(['speech.started']);
    expect(seg.isSpeech).toBe(true);
    const c = build([{ chunks: 30, ...SILENT }]);
    expect(seg.push(0, c.probs, c.energies).map((e) => e.type)).toEqual(['speech.ended']);
    expect(seg.isSpeech).toBe(false);
  });

  it('closes an open segment at the end of the audio on finish (partial last chunk), then starts afresh', () => {
    const seg = createVadSegmenter({ callId: 'c1', speaker: 'agent', options: resolveVadOptions() });
    const { probs, energies } = build([{ chunks: 10, ...SILENT }, { chunks: 20, ...SPEECH }]);
    seg.push(0, probs, energies, 29 * 32 + 10);
    const out = seg.finish();
    expect(out.map((e) => e.type)).toEqual(['speech.ended']);
    expect(out[0]).toMatchObject({ span: { startMs: 320 - 30, endMs: 29 * 32 + 10 } });
    expect(seg.processedMs).toBe(29 * 32 + 10);
    const again = build([{ chunks: 10, ...SPEECH }]);
    expect(seg.push(60_000, again.probs, again.energies)[0]).toMatchObject({ type: 'speech.started', startMs: 60_000 });
    expect(seg.finish()[0]).toMatchObject({ type: 'speech.ended', span: { startMs: 60_000, endMs: 60_320 } });
  });

  it('does not depend on how the chunks are split across pushes', () => {
    const db = (f: number) => (f % 97 < 60 ? -25 : -200);
    const stretches: Stretch[] = [
      { chunks: 13, ...SILENT }, { chunks: 9, p: 0.7, db }, { chunks: 4, p: 0.3, db }, { chunks: 40, p: 0.95, db },
      { chunks: 9, p: 0.1, db }, { chunks: 17, p: 0.6, db }, { chunks: 25, ...SILENT },
    ];
    const whole = run(stretches, { speechPadMs: 30 });
    expect(whole.length).toBeGreaterThan(0);
    for (const piece of [1, 3, 7]) expect(run(stretches, { speechPadMs: 30 }, 0, piece)).toEqual(whole);
  });

  it('tracks the noise floor: in steady noise the boundaries sit where speech rises above it', () => {
    // noise at −45 ± 1 dBFS everywhere, speech at −20 from 640 to 1600 ms, the model triggering late and lagging
    const db = (f: number) => (f * 4 >= 640 && f * 4 < 1600 ? -20 : f % 2 ? -44 : -46);
    const events = run([{ chunks: 20, p: 0.05, db }, { chunks: 2, p: 0.4, db }, { chunks: 38, p: 0.9, db }, { chunks: 20, p: 0.05, db }]);
    expect(spans(events)).toEqual([[640, 1600]]);
    // with no margin over the floor, the louder noise frames count as speech and the start creeps back into the noise
    const flat = run([{ chunks: 20, p: 0.05, db }, { chunks: 2, p: 0.4, db }, { chunks: 38, p: 0.9, db }, { chunks: 20, p: 0.05, db }], { noiseMarginDb: 0, energyFloorDb: -80 });
    expect(spans(flat)[0][0]).toBeLessThan(640);
  });

  it('ends a segment on minSilenceMs without energy even while the model still hears speech (hangover)', () => {
    // two bursts 400 ms apart; the model stays at 0.6 across the gap (as Silero does in steady noise)
    const db = (f: number) => ((f * 4 >= 320 && f * 4 < 960) || (f * 4 >= 1360 && f * 4 < 1920) ? -20 : -200);
    const stretches: Stretch[] = [{ chunks: 10, p: 0.02, db }, { chunks: 20, p: 0.9, db }, { chunks: 12, p: 0.6, db }, { chunks: 18, p: 0.9, db }, { chunks: 20, p: 0.02, db }];
    expect(spans(run(stretches))).toEqual([[320, 960], [1360, 1920]]);
    // without refinement the model alone decides: one segment
    expect(spans(run(stretches, { refine: false }))).toEqual([[320, 60 * 32]]);
  });

  it('does not start a segment where the model fires on a chunk without energy', () => {
    expect(run([{ chunks: 10, ...SILENT }, { chunks: 20, p: 0.9, db: -200 }, { chunks: 20, ...SILENT }])).toEqual([]);
    expect(spans(run([{ chunks: 10, ...SILENT }, { chunks: 20, p: 0.9, db: -200 }, { chunks: 20, ...SILENT }], { refine: false }))).toEqual([[320, 960]]);
  });

  it('rejects energies that do not match the chunks', () => {
    const seg = createVadSegmenter({ callId: 'c1', speaker: 'agent', options: resolveVadOptions() });
    expect(() => seg.push(0, new Float32Array(2), new Float32Array(8))).toThrow(RangeError);
  });
});

describe('VAD options', () => {
  it('applies documented defaults and validates', () => {
    expect(resolveVadOptions()).toMatchObject({ threshold: 0.5, negThreshold: 0.35, minSpeechMs: 250, minSilenceMs: 300, speechPadMs: 30, refine: true });
    expect(resolveVadOptions({ threshold: 0.6 }).threshold).toBe(0.6);
    expect(() => resolveVadOptions({ threshold: 1.2 })).toThrow(/vad.threshold/);
    expect(() => resolveVadOptions({ negThreshold: 0.7 })).toThrow(/vad.negThreshold/);
    expect(() => resolveVadOptions({ minSilenceMs: -1 })).toThrow(/vad.minSilenceMs/);
    expect(() => resolveVadOptions({ energyFloorDb: 3 })).toThrow(/vad.energyFloorDb/);
    expect(() => resolveVadOptions({ speechPadMs: Number.NaN })).toThrow(/vad.speechPadMs/);
  });
});
