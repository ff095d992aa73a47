import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { readWavSamples } from '../services/audio/index.js';
import { EngineError } from '../services/core/index.js';
import {
  createAsrWorkerPool, createFallbackEngine, createSphinxEngine, loadSphinxCorpus, sphinxInstalled, streamSignal,
  type AsrResult, type AsrWorkerPool, type Recognizer,
} from '../services/speech/asr/index.js';

const RATE = 16000;
const corpus = loadSphinxCorpus();
const speech = (i: number) => readWavSamples(corpus[i].path).left;
const silence = (ms: number) => new Int16Array((RATE * ms) / 1000);
function join(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
const msOf = (samples: number) => (samples * 1000) / RATE;
const opts = (callId: string, sampleRate = RATE) => ({ language: 'en', sampleRate, callId, speaker: 'customer' as const });
const finals = (rs: AsrResult[]) => rs.flatMap((r) => (r.type === 'final' ? [r.segment] : []));

const pools: AsrWorkerPool[] = [];
const pool = (o: Parameters<typeof createAsrWorkerPool>[0]) => {
  const p = createAsrWorkerPool(o);
  pools.push(p);
  return p;
};
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

/** Loop delay (ms) while `work` runs: p99 and max. */
async function loopDelayDuring(work: () => Promise<void>) {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  await work();
  h.disable();
  return { p99: h.percentile(99) / 1e6, max: h.max / 1e6 };
}

describe.skipIf(!sphinxInstalled() || corpus.length < 5)('ASR worker pool (PocketSphinx in worker threads)', () => {
  it('recognises off the main thread: the event loop stays responsive', async () => {
    const signal = join([speech(0), silence(500), speech(3)]);
    const chunk = RATE / 2; // 500 ms chunks: recognising one on the main thread blocks it visibly
    const inThread = createSphinxEngine().createRecognizer(opts('in-thread'));
    const blocked = await loopDelayDuring(async () => {
      for (let i = 0; i < signal.length; i += chunk) {
        inThread.accept(signal.subarray(i, i + chunk), msOf(i));
        await new Promise((r) => setImmediate(r));
      }
      inThread.flush();
    });
    inThread.close();

    const p = pool({ size: 1, maxInFlightMs: 2000 });
    const r = p.engine({ kind: 'sphinx' }).createRecognizer(opts('pooled'));
    let text = '';
    const free = await loopDelayDuring(async () => {
      const out = await streamSignal(r, signal, RATE, { chunkMs: 500 });
      text = out.text;
    });
    await r.close();
    console.log(`event loop delay while recognising: in-thread p99 ${blocked.p99.toFixed(1)} ms (max ${blocked.max.toFixed(1)}), pool p99 ${free.p99.toFixed(1)} ms (max ${free.max.toFixed(1)})`);
    expect(text.split(' ').length).toBeGreaterThan(15);
    expect(free.p99).toBeLessThan(100);
    expect(free.p99).toBeLessThan(blocked.p99 / 2);
  }, 180_000);

  it('bounds in-flight audio per recognizer and makes the caller wait instead of dropping', async () => {
    const p = pool({ size: 1, maxInFlightMs: 300 });
    const engine = p.engine({ kind: 'sphinx' });
    const signal = join([speech(1), silence(800), speech(4)]);
    const chunk = RATE / 50;

    // Awaiting each accept: in-flight audio never exceeds the bound, some calls had to wait.
    const r = engine.createRecognizer(opts('awaited'));
    let maxInFlight = 0;
    let waited = 0;
    const results: AsrResult[] = [];
    for (let i = 0; i < signal.length; i += chunk) {
      const out = r.accept(signal.subarray(i, i + chunk), msOf(i));
      if (out instanceof Promise) waited++;
      results.push(...(await out));
      maxInFlight = Math.max(maxInFlight, p.stats().inFlightMs);
    }
    results.push(...(await r.flush()));
    await r.close();
    expect(waited).toBeGreaterThan(0);
    expect(maxInFlight).toBeLessThanOrEqual(300 + 20);
    expect(p.stats().audioMs).toBeCloseTo(msOf(signal.length), 0);
    expect(results.some((x) => x.type === 'lost')).toBe(false);
    const awaitedText = finals(results).map((s) => s.text).join(' ');
    expect(finals(results).length).toBe(2);

    // A caller that does not await: requests queue up (visible in stats), keep their order, nothing is lost.
    const eager = engine.createRecognizer(opts('eager'));
    const pending: (AsrResult[] | Promise<AsrResult[]>)[] = [];
    let maxQueue = 0;
    for (let i = 0; i < signal.length; i += chunk) {
      pending.push(eager.accept(signal.subarray(i, i + chunk), msOf(i)));
      maxQueue = Math.max(maxQueue, p.stats().queueDepth);
    }
    const all = (await Promise.all(pending)).flat();
    all.push(...(await eager.flush()));
    await eager.close();
    expect(maxQueue).toBeGreaterThan(100);
    expect(finals(all).map((s) => s.text).join(' ')).toBe(awaitedText);
    const s = p.stats();
    expect(s.queueDepth).toBe(0);
    expect(s.waits).toBeGreaterThan(100);
    expect(s.waitMsMax).toBeGreaterThan(0);
    console.log(`backpressure: max in-flight ${maxInFlight.toFixed(0)} ms (bound 300), max queue ${maxQueue}, waits ${s.waits}, wait max ${s.waitMsMax.toFixed(0)} ms, worker RTF ${(s.busyMs / s.audioMs).toFixed(2)}`);
  }, 180_000);

  it('restarts a worker that dies, reports the lost call time and keeps the call going', async () => {
    const p = pool({ size: 1, maxInFlightMs: 200, testHooks: true });
    const r = p.engine({ kind: 'sphinx' }).createRecognizer(opts('crash'));
    const a = speech(1);
    const b = speech(0);
    const c = speech(4);
    const signal = join([a, silence(1000), b, silence(1000), c, silence(500)]);
    const bStart = a.length + RATE;
    const crashAt = bStart + Math.floor(b.length / 2);
    const chunk = RATE / 50;
    const results: AsrResult[] = [];
    let crashedAtMs: number | null = null;
    for (let i = 0; i < signal.length; i += chunk) {
      if (crashedAtMs === null && i >= crashAt) {
        crashedAtMs = msOf(i);
        p.crashWorkerForTest(0, 'throw');
      }
      results.push(...(await r.accept(signal.subarray(i, i + chunk), 10_000 + msOf(i))));
    }
    results.push(...(await r.flush()));
    await r.close();

    const lost = results.filter((x): x is Extract<AsrResult, { type: 'lost' }> => x.type === 'lost');
    expect(lost).toHaveLength(1);
    const [l] = lost;
    const crashMs = 10_000 + (crashedAtMs ?? 0);
    expect(l).toMatchObject({ callId: 'crash', speaker: 'customer' });
    expect(l.reason).toMatch(/worker stopped/);
    expect(l.lostFromMs).toBeGreaterThanOrEqual(10_000 + msOf(a.length));
    expect(l.lostFromMs).toBeLessThanOrEqual(crashMs);
    expect(l.lostToMs).toBeGreaterThanOrEqual(crashMs);
    expect(l.lostToMs).toBeLessThan(crashMs + 2000);
    expect(p.stats()).toMatchObject({ restarts: 1, liveWorkers: 1 });

    // Before the crash: the first utterance; after the restart: the last one, with new utterance ids.
    const segs = finals(results);
    expect(segs[0].endMs).toBeLessThan(l.lostFromMs);
    const after = segs.filter((s) => s.startMs >= l.lostToMs);
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(after.map((s) => s.text).join(' ')).toMatch(/might even have been made/);
    expect(new Set(segs.map((s) => s.utteranceId)).size).toBe(segs.length);
    console.log(`crash: lost ${l.lostFromMs}–${l.lostToMs} ms (crash at ${crashMs} ms), after restart: "${after.map((s) => s.text).join(' ')}"`);
  }, 180_000);

  it('refuses 8 kHz at createRecognizer, before any worker is involved', () => {
    const p = pool({ size: 1 });
    expect(() => p.engine({ kind: 'sphinx' }).createRecognizer(opts('nb', 8000))).toThrow(EngineError);
  });

  it('fallback wrapper: a channel whose pool goes away continues on the next engine', async () => {
    const p = pool({ size: 1, maxInFlightMs: 500 });
    const engine = createFallbackEngine([p.engine({ kind: 'sphinx' }), createSphinxEngine()]);
    expect(engine.name).toBe('sphinx>sphinx');
    const r: Recognizer = engine.createRecognizer(opts('fallback'));
    const a = speech(1);
    const c = speech(4);
    const signal = join([a, silence(1000), c, silence(500)]);
    const chunk = RATE / 50;
    const closeAt = Math.floor(a.length / 2 / chunk) * chunk;
    const results: AsrResult[] = [];
    for (let i = 0; i < signal.length; i += chunk) {
      if (i === closeAt) await p.close(); // the pooled engine fails from here on, mid-utterance
      results.push(...(await r.accept(signal.subarray(i, i + chunk), msOf(i))));
    }
    results.push(...(await r.flush()));
    await r.close();
    const segs = finals(results);
    expect(segs.map((s) => s.text).join(' ')).toMatch(/might even have been made/);
    const lost = results.filter((x) => x.type === 'lost');
    expect(lost).toEqual([{
      type: 'lost', callId: 'fallback', speaker: 'customer', lostFromMs: 0, lostToMs: msOf(closeAt),
      reason: expect.stringMatching(/^sphinx failed \(.*closed\); continued with sphinx$/) as unknown,
    }]);
    // A closed pool refuses new channels: the wrapper opens them on the next engine.
    const again = engine.createRecognizer(opts('fallback-2'));
    expect(again.engine).toBe('sphinx');
    await again.close();
  }, 180_000);
});
