import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../services/calls/index.js';
import { createVad, createVadStage, type SpeechSpan, type Vad, type VadEvent } from '../services/speech/index.js';
import {
  callFrames, fixtureNames, load16k, load8kUlaw, loadScript, matchBoundaries, runChannel, scriptSegments, summarize, type Stereo,
} from './vad-fixtures.js';

// The synthetic calls (test/fixtures/calls, see scripts/make-fixtures.ts): each script line's startMs/endMs are
// the real edges of its trimmed clip on a digitally silent channel. The VAD must find them within 100 ms.
const NAMES = fixtureNames();
const SPEAKERS: Channel[] = ['agent', 'customer'];
const TOLERANCE_MS = 100;

interface Measured { starts: number[]; ends: number[]; missing: string[]; extra: string[]; splits: number; audioMs: number; wallMs: number }

/** Runs every fixture call (both channels at once, 20 ms frames) and compares the spans with the scripts. */
async function measure(vad: Vad, version: '16k' | '8k', noiseDbfs?: number): Promise<Measured> {
  const m: Measured = { starts: [], ends: [], missing: [], extra: [], splits: 0, audioMs: 0, wallMs: 0 };
  for (const name of NAMES) {
    const call = loadScript(name);
    const audio = version === '16k' ? load16k(name) : load8kUlaw(name);
    const t0 = performance.now();
    await Promise.all(SPEAKERS.map(async (speaker) => {
      const ch = vad.createChannel({ callId: name, speaker, rate: audio.rate });
      const pcm = noiseDbfs === undefined ? audio[speaker] : withNoise(audio[speaker], noiseDbfs, speaker === 'agent' ? 1 : 2);
      const { spans } = await runChannel(ch, pcm);
      ch.close();
      m.audioMs += (pcm.length * 1000) / audio.rate;
      const { matches, extra } = matchBoundaries(scriptSegments(call.lines, speaker, vad.options.minSilenceMs), spans);
      for (const x of matches) {
        if (x.startErrorMs === null || x.endErrorMs === null) {
          m.missing.push(`${name} ${speaker} ${x.expected.startMs}-${x.expected.endMs}`);
          continue;
        }
        m.starts.push(x.startErrorMs);
        m.ends.push(x.endErrorMs);
        if (x.pieces.length > 1) m.splits++;
      }
      m.extra.push(...extra.map((s) => `${name} ${speaker} ${s.startMs}-${s.endMs}`));
    }));
    m.wallMs += performance.now() - t0;
  }
  return m;
}

/** Adds white noise (uniform, deterministic) at `dbfs` RMS. */
function withNoise(pcm: Int16Array, dbfs: number, seed: number): Int16Array {
  let s = seed;
  const amp = 32768 * 10 ** (dbfs / 20) * Math.sqrt(3);
  return Int16Array.from(pcm, (v) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return Math.max(-32768, Math.min(32767, Math.round(v + ((s / 2 ** 32) * 2 - 1) * amp)));
  });
}

const fmt = (x: ReturnType<typeof summarize>) => `mean |err| ${x.meanAbsMs.toFixed(1)} ms, max ${x.maxAbsMs.toFixed(0)} ms, bias ${x.meanMs.toFixed(1)} ms`;

function report(label: string, m: Measured): void {
  console.log(`[vad] ${label}: ${m.starts.length} segments (${m.splits} split at inner pauses), start ${fmt(summarize(m.starts))}; `
    + `end ${fmt(summarize(m.ends))}; missing ${m.missing.length}, extra ${m.extra.length}; `
    + `wall RTF ${(m.wallMs / m.audioMs).toFixed(4)} (${(m.audioMs / 1000).toFixed(0)} s of channel audio in ${(m.wallMs / 1000).toFixed(2)} s)`);
}

describe.skipIf(NAMES.length === 0)('VAD on the fixture calls (Silero in a worker, boundaries against the scripts)', () => {
  let vad: Vad;
  beforeAll(async () => {
    vad = await createVad();
  });
  afterAll(() => vad?.close());

  it.each(['16k', '8k'] as const)(`finds every script line within ${TOLERANCE_MS} ms at %s (PCM 16 kHz / μ-law 8 kHz)`, async (version) => {
    const before = vad.stats();
    const m = await measure(vad, version);
    const after = vad.stats();
    report(`${version} clean, default options`, m);
    const busy = after.busyMs - before.busyMs;
    const audio = after.audioMs - before.audioMs;
    console.log(`[vad] ${version}: worker RTF ${(busy / audio).toFixed(4)} (model + resampling + energies, ${(busy / 1000).toFixed(2)} s busy for ${(audio / 1000).toFixed(0)} s), `
      + `mean batch ${((after.chunks - before.chunks) / (after.runs - before.runs)).toFixed(2)} chunks per run`);

    expect(m.missing).toEqual([]);
    expect(m.extra).toEqual([]);
    expect(m.starts.length).toBeGreaterThan(80);
    for (const e of [...m.starts, ...m.ends]) expect(Math.abs(e)).toBeLessThanOrEqual(TOLERANCE_MS);
  }, 120_000);

  it('splits a script line only at a real pause (the audio in every inner gap is silent)', async () => {
    const name = 'support-good';
    const audio = load16k(name);
    for (const speaker of SPEAKERS) {
      const { spans } = await runChannel(vad.createChannel({ callId: name, speaker, rate: 16000 }), audio[speaker]);
      const { matches } = matchBoundaries(scriptSegments(loadScript(name).lines, speaker, vad.options.minSilenceMs), spans);
      for (const x of matches.filter((y) => y.pieces.length > 1)) {
        for (let i = 1; i < x.pieces.length; i++) {
          const gap = { from: x.pieces[i - 1].endMs, to: x.pieces[i].startMs };
          expect(gap.to - gap.from).toBeGreaterThan(100);
          expect(peakDbfs(audio[speaker], 16000, gap.from, gap.to), `${speaker} gap ${gap.from}-${gap.to}`).toBeLessThan(-55);
        }
      }
    }
  }, 60_000);

  it('stays close under white noise at −50 dBFS (SNR ≈ 30 dB): no missed or invented lines', async () => {
    for (const version of ['16k', '8k'] as const) {
      const m = await measure(vad, version, -50);
      report(`${version} + white noise −50 dBFS`, m);
      expect(m.missing).toEqual([]);
      expect(m.extra).toEqual([]);
      const all = [...m.starts, ...m.ends].map(Math.abs).sort((a, b) => a - b);
      // noise hides the quietest edges (the script edges are the clean clip's −46 dBFS trim points)
      expect(all[Math.floor(all.length * 0.9)]).toBeLessThanOrEqual(TOLERANCE_MS);
      expect(all[all.length - 1]).toBeLessThanOrEqual(250);
    }
  }, 120_000);

  it('as a pipeline stage: interleaved call frames in, the same events per channel out', async () => {
    const name = 'support-interruptions';
    const audio: Stereo = load16k(name);
    const detect = createVadStage(vad);
    const events: VadEvent[] = [];
    for await (const e of detect(callFrames(name, audio), AbortSignal.timeout(60_000))) events.push(e);
    const bySpeaker = {} as Record<Channel, SpeechSpan[]>;
    for (const speaker of SPEAKERS) {
      const mine = events.filter((e) => e.speaker === speaker);
      expect(mine.every((e) => e.callId === name)).toBe(true);
      // started / ended alternate, and each ended repeats its started's start
      mine.forEach((e, i) => expect(e.type).toBe(i % 2 === 0 ? 'speech.started' : 'speech.ended'));
      for (let i = 1; i < mine.length; i += 2) {
        const [s, e] = [mine[i - 1], mine[i]];
        if (s.type === 'speech.started' && e.type === 'speech.ended') expect(e.span.startMs).toBe(s.startMs);
      }
      bySpeaker[speaker] = mine.flatMap((e) => (e.type === 'speech.ended' ? [e.span] : []));
      const alone = await runChannel(vad.createChannel({ callId: name, speaker, rate: 16000 }), audio[speaker]);
      expect(bySpeaker[speaker]).toEqual(alone.spans);
    }
    // the interruptions (overtalk in the script's annotations) are speech on both channels at once
    const overlaps = loadScript(name).annotations?.overlaps ?? [];
    expect(overlaps.length).toBeGreaterThan(0);
    for (const o of overlaps) {
      for (const speaker of SPEAKERS) {
        expect(bySpeaker[speaker].some((x) => x.startMs <= o.startMs + TOLERANCE_MS && x.endMs >= o.endMs - TOLERANCE_MS), `${speaker} ${o.startMs}`).toBe(true);
      }
    }
  }, 60_000);
});

/** Loudest 4 ms frame (RMS, dBFS) in [fromMs, toMs). */
function peakDbfs(pcm: Int16Array, rate: number, fromMs: number, toMs: number): number {
  const n = (rate * 4) / 1000;
  let peak = 0;
  for (let i = Math.ceil((fromMs * rate) / 1000); i + n <= Math.floor((toMs * rate) / 1000); i += n) {
    let s = 0;
    for (let k = i; k < i + n; k++) s += (pcm[k] / 32768) ** 2;
    peak = Math.max(peak, s / n);
  }
  return 10 * Math.log10(peak + 1e-20);
}
