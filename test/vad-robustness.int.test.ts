import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResampler } from '../services/audio/index.js';
import type { Channel, SampleRate } from '../services/calls/index.js';
import { EngineError, ValidationError } from '../services/core/index.js';
import { createVad, type SpeechSpan, type Vad, type VadChannel, type VadEvent } from '../services/speech/index.js';
import {
  fixtureNames, load16k, load8kUlaw, loadScript, matchBoundaries, runChannel, scriptSegments, type Stereo,
} from './vad-fixtures.js';

const NAMES = fixtureNames();
const SPEAKERS: Channel[] = ['agent', 'customer'];

/** Deterministic uniform white noise at `dbfs` RMS (clipped to 16 bits). */
function noise(samples: number, dbfs: number, seed = 7): Int16Array {
  let s = seed;
  const amp = 32768 * 10 ** (dbfs / 20) * Math.sqrt(3);
  return Int16Array.from({ length: samples }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return Math.max(-32768, Math.min(32767, Math.round(((s / 2 ** 32) * 2 - 1) * amp)));
  });
}

/** Spans are well formed: positive length, in order, not overlapping, inside the audio. */
function expectValid(spans: SpeechSpan[], durationMs: number): void {
  let prev = 0;
  for (const s of spans) {
    expect(s.startMs).toBeGreaterThanOrEqual(prev);
    expect(s.endMs).toBeGreaterThan(s.startMs);
    expect(s.endMs).toBeLessThanOrEqual(durationMs + 1);
    prev = s.endMs;
  }
}

const spanOf = (events: VadEvent[]) => events.flatMap((e) => (e.type === 'speech.ended' ? [e.span] : []));

describe('VAD robustness (Silero in a worker)', () => {
  let vad: Vad;
  beforeAll(async () => {
    vad = await createVad();
  });
  afterAll(() => vad?.close());

  it.each([8000, 16000, 48000] as const)('reports no speech on a minute of digital silence at %i Hz', async (rate) => {
    const ch = vad.createChannel({ callId: 'silent', speaker: 'agent', rate });
    const pcm = new Int16Array(rate * 60);
    const n = rate / 50;
    for (let i = 0; i < pcm.length; i += n) {
      expect(await ch.push(pcm.subarray(i, i + n), (i * 1000) / rate)).toEqual([]);
      expect(ch.isSpeech).toBe(false);
    }
    expect(await ch.flush()).toEqual([]);
    expect(ch.processedMs).toBeCloseTo(60_000, 0);
    ch.close();
  }, 60_000);

  it('reports no speech on low steady noise (−60 and −45 dBFS white noise, 50 Hz hum)', async () => {
    const rate = 16000;
    const hum = Int16Array.from({ length: rate * 20 }, (_, i) => Math.round(3000 * Math.sin((2 * Math.PI * 50 * i) / rate)));
    for (const [label, pcm] of [['−60 dBFS', noise(rate * 20, -60)], ['−45 dBFS', noise(rate * 20, -45)], ['hum', hum]] as const) {
      const { spans } = await runChannel(vad.createChannel({ callId: label, speaker: 'agent', rate }), pcm);
      expect(spans, label).toEqual([]);
    }
  }, 60_000);

  it('survives hostile input (full-scale noise, square wave, DC, clipped speech) with well-formed spans', async () => {
    const rate = 16000;
    const square = Int16Array.from({ length: rate * 10 }, (_, i) => ((i >> 5) & 1 ? 32767 : -32768));
    const dc = new Int16Array(rate * 10).fill(32767);
    for (const [label, pcm] of [['full-scale noise', noise(rate * 10, 0)], ['square', square], ['dc', dc]] as const) {
      const { spans } = await runChannel(vad.createChannel({ callId: label, speaker: 'agent', rate }), pcm);
      expectValid(spans, 10_000);
    }
    if (!NAMES.includes('support-good')) return;
    // speech driven 26 dB into clipping: still found at every script line, a little less exactly
    const clean = load16k('support-good').agent;
    const clipped = Int16Array.from(clean, (v) => Math.max(-32768, Math.min(32767, v * 20)));
    const { spans } = await runChannel(vad.createChannel({ callId: 'clipped', speaker: 'agent', rate }), clipped);
    expectValid(spans, (clipped.length * 1000) / rate);
    const { matches, extra } = matchBoundaries(scriptSegments(loadScript('support-good').lines, 'agent', vad.options.minSilenceMs), spans);
    expect(extra).toEqual([]);
    expect(matches.every((m) => m.startErrorMs !== null)).toBe(true);
    // clipping squares the onsets off and Silero is slower to trust them: measured up to ~120 ms (clean: ~33 ms)
    for (const m of matches) {
      expect(Math.abs(m.startErrorMs as number)).toBeLessThanOrEqual(150);
      expect(Math.abs(m.endErrorMs as number)).toBeLessThanOrEqual(150);
    }
  }, 60_000);

  it.skipIf(!NAMES.includes('support-good'))('takes 48 kHz audio (resampled to 16 kHz in the worker) with the same boundaries', async () => {
    const audio = load16k('support-good');
    for (const speaker of SPEAKERS) {
      const up = createResampler(16000, 48000);
      const a = up.process(audio[speaker]);
      const b = up.flush();
      const pcm48 = new Int16Array(a.length + b.length);
      pcm48.set(a);
      pcm48.set(b, a.length);
      const { spans } = await runChannel(vad.createChannel({ callId: '48k', speaker, rate: 48000 }), pcm48);
      const { matches, extra } = matchBoundaries(scriptSegments(loadScript('support-good').lines, speaker, vad.options.minSilenceMs), spans);
      expect(extra).toEqual([]);
      for (const m of matches) {
        expect(Math.abs(m.startErrorMs ?? Infinity)).toBeLessThanOrEqual(100);
        expect(Math.abs(m.endErrorMs ?? Infinity)).toBeLessThanOrEqual(100);
      }
    }
  }, 60_000);

  it.skipIf(!NAMES.includes('support-long-silence'))('isSpeech follows the talk (to skip recognition on silence)', async () => {
    const name = 'support-long-silence';
    const call = loadScript(name);
    const audio = load16k(name);
    for (const speaker of SPEAKERS) {
      const segs = scriptSegments(call.lines, speaker, vad.options.minSilenceMs);
      const ch = vad.createChannel({ callId: name, speaker, rate: 16000 });
      const n = 320;
      let speechFrames = 0;
      for (let i = 0; i < audio[speaker].length; i += n) {
        await ch.push(audio[speaker].subarray(i, i + n), i / 16);
        if (!ch.isSpeech) continue;
        speechFrames++;
        // flagged only inside a line or shortly after it (the end is confirmed after minSilenceMs)
        const t = ch.processedMs;
        expect(segs.some((s) => t >= s.startMs && t <= s.endMs + vad.options.minSilenceMs + 200), `${speaker} at ${t}`).toBe(true);
      }
      await ch.flush();
      ch.close();
      // and most of the talk time is flagged
      const talkMs = segs.reduce((a, s) => a + s.endMs - s.startMs, 0);
      expect(speechFrames * 20).toBeGreaterThan(0.8 * talkMs);
    }
  }, 60_000);

  it.skipIf(NAMES.length < 3)('serves many channels at once with independent state (one worker and two)', async () => {
    const inputs: { name: string; speaker: Channel; rate: SampleRate; pcm: Int16Array }[] = [];
    for (const name of NAMES.slice(0, 3)) {
      for (const audio of [load16k(name), load8kUlaw(name)] as Stereo[]) {
        for (const speaker of SPEAKERS) inputs.push({ name, speaker, rate: audio.rate, pcm: audio[speaker] });
      }
    }
    // each channel alone, one after the other
    const alone: SpeechSpan[][] = [];
    for (const x of inputs) alone.push((await runChannel(vad.createChannel({ callId: x.name, speaker: x.speaker, rate: x.rate }), x.pcm)).spans);

    const pair = await createVad({ workers: 2 });
    try {
      for (const v of [vad, pair]) {
        const before = v.stats();
        const together = await Promise.all(inputs.map(async (x) => (await runChannel(v.createChannel({ callId: x.name, speaker: x.speaker, rate: x.rate }), x.pcm)).spans));
        const after = v.stats();
        // the worker batched channels into shared model runs
        expect((after.chunks - before.chunks) / (after.runs - before.runs)).toBeGreaterThan(1.5);
        together.forEach((spans, i) => {
          expect(spans.length, `${inputs[i].name} ${inputs[i].speaker} ${inputs[i].rate}`).toBe(alone[i].length);
          spans.forEach((s, k) => {
            expect(Math.abs(s.startMs - alone[i][k].startMs)).toBeLessThanOrEqual(4);
            expect(Math.abs(s.endMs - alone[i][k].endMs)).toBeLessThanOrEqual(4);
          });
        });
      }
      expect(pair.stats().workers).toBe(2);
    } finally {
      await pair.close();
    }
  }, 120_000);

  it.skipIf(!NAMES.includes('support-good'))('keeps the event loop responsive while the worker runs a whole call', async () => {
    const audio = load16k('support-good');
    const big = await createVad({ maxInFlightMs: 200_000 });
    try {
      let last = performance.now();
      let maxGap = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        maxGap = Math.max(maxGap, now - last);
        last = now;
      }, 5);
      const t0 = performance.now();
      // each channel in one push: ~2 × 2800 chunks of model work queued at once
      const spans = await Promise.all(SPEAKERS.map(async (speaker) => {
        const ch = big.createChannel({ callId: 'loop', speaker, rate: 16000 });
        const events = [...await ch.push(audio[speaker], 0), ...await ch.flush()];
        return spanOf(events);
      }));
      const wall = performance.now() - t0;
      clearInterval(timer);
      const { busyMs, audioMs } = big.stats();
      console.log(`[vad] event loop: max timer gap ${maxGap.toFixed(1)} ms while the worker was busy ${busyMs.toFixed(0)} ms `
        + `for ${(audioMs / 1000).toFixed(0)} s of audio (wall ${wall.toFixed(0)} ms, RTF ${(busyMs / audioMs).toFixed(4)})`);
      expect(spans.every((s) => s.length > 0)).toBe(true);
      expect(busyMs).toBeGreaterThan(100);
      // on the event loop the model would have blocked it for about busyMs
      expect(maxGap).toBeLessThan(Math.max(50, busyMs / 3));
    } finally {
      await big.close();
    }
  }, 60_000);

  it.skipIf(!NAMES.includes('support-good'))('backpressure: pushes wait for in-flight room, keep their order and lose nothing', async () => {
    const audio = load16k('support-good').customer;
    const reference = (await runChannel(vad.createChannel({ callId: 'ref', speaker: 'customer', rate: 16000 }), audio)).spans;
    const tight = await createVad({ maxInFlightMs: 100 });
    try {
      const ch = tight.createChannel({ callId: 'bp', speaker: 'customer', rate: 16000 });
      const n = 320;
      let maxInFlight = 0;
      const order: number[] = [];
      // all pushes issued at once (a caller that does not await): they queue, none is dropped
      const pushes: Promise<VadEvent[]>[] = [];
      for (let i = 0, k = 0; i < audio.length; i += n, k++) {
        const idx = k;
        pushes.push(ch.push(audio.subarray(i, i + n), i / 16).then((ev) => {
          order.push(idx);
          maxInFlight = Math.max(maxInFlight, tight.stats().inFlightMs);
          return ev;
        }));
      }
      const events = (await Promise.all(pushes)).flat();
      events.push(...await ch.flush());
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(maxInFlight).toBeLessThanOrEqual(100);
      expect(tight.stats().waits).toBeGreaterThan(100);
      expect(ch.processedMs).toBeCloseTo((audio.length * 1000) / 16000, 0);
      expect(spanOf(events)).toEqual(reference);
    } finally {
      await tight.close();
    }
  }, 60_000);

  it('fills a forward gap with silence and refuses to go back in time', async () => {
    const ch: VadChannel = vad.createChannel({ callId: 'gap', speaker: 'agent', rate: 16000 });
    await ch.push(new Int16Array(16000), 0);
    await ch.push(new Int16Array(1600), 5000);
    await expect(ch.push(new Int16Array(1600), 2000)).rejects.toBeInstanceOf(ValidationError);
    await ch.flush();
    expect(ch.processedMs).toBeCloseTo(5100, 0);
    ch.close();
    await expect(ch.push(new Int16Array(160), 6000)).rejects.toBeInstanceOf(EngineError);
    expect(() => vad.createChannel({ callId: 'x', speaker: 'agent', rate: 44100 as SampleRate })).toThrow(ValidationError);
  });

  it('places speech after a gap at its call time', async () => {
    if (!NAMES.includes('support-good')) return;
    const line = loadScript('support-good').lines[0];
    const pcm = load16k('support-good').agent.subarray(0, Math.round(((line.endMs + 500) * 16000) / 1000));
    const ch = vad.createChannel({ callId: 'late', speaker: 'agent', rate: 16000 });
    const events = [...await ch.push(new Int16Array(1600), 0), ...await ch.push(pcm, 30_000), ...await ch.flush()];
    const [span] = spanOf(events);
    expect(Math.abs(span.startMs - (30_000 + line.startMs))).toBeLessThanOrEqual(50);
    expect(Math.abs(span.endMs - (30_000 + line.endMs))).toBeLessThanOrEqual(50);
  });

  it('fails clearly: missing model, a file that is not a model, use after close', async () => {
    await expect(createVad({ modelPath: '/nonexistent/silero.onnx' })).rejects.toBeInstanceOf(ValidationError);
    const dir = mkdtempSync(join(tmpdir(), 'vad-'));
    try {
      writeFileSync(join(dir, 'bad.onnx'), 'not a model');
      await expect(createVad({ modelPath: join(dir, 'bad.onnx') })).rejects.toBeInstanceOf(EngineError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const v = await createVad();
    const ch = v.createChannel({ callId: 'c', speaker: 'agent', rate: 8000 });
    await ch.push(new Int16Array(8000), 0);
    const pending = expect(ch.flush()).rejects.toBeInstanceOf(EngineError);
    await v.close();
    await pending;
    await expect(ch.push(new Int16Array(80), 1000)).rejects.toBeInstanceOf(EngineError);
    expect(() => v.createChannel({ callId: 'c', speaker: 'agent', rate: 8000 })).toThrow(EngineError);
  });
});
