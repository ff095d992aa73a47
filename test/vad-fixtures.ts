// Helpers for the VAD tests: the synthetic fixture calls (test/fixtures/calls) and boundary comparison.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { decodeMuLaw, deinterleaveStereo, readWavSamples } from '../services/audio/index.js';
import type { AudioFrame, Channel, SampleRate } from '../services/calls/index.js';
import type { SpeechSpan, VadChannel, VadEvent } from '../services/speech/index.js';

export const CALLS_DIR = new URL('./fixtures/calls/', import.meta.url).pathname;

export interface ScriptLine { speaker: Channel; text: string; startMs: number; endMs: number }
export interface FixtureCall {
  name: string;
  durationMs: number;
  lines: ScriptLine[];
  annotations?: { overlaps: { startMs: number; endMs: number; interrupter: Channel }[]; silences: { startMs: number; endMs: number; hold: boolean }[] };
}
export interface Stereo { rate: SampleRate; agent: Int16Array; customer: Int16Array }

export function fixtureNames(): string[] {
  if (!existsSync(CALLS_DIR)) return [];
  return readdirSync(CALLS_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

export function loadScript(name: string): FixtureCall {
  return JSON.parse(readFileSync(`${CALLS_DIR}${name}.json`, 'utf8')) as FixtureCall;
}

/** The 16 kHz PCM version (agent left, customer right). */
export function load16k(name: string): Stereo {
  const w = readWavSamples(`${CALLS_DIR}${name}.wav`);
  return { rate: w.rate as SampleRate, agent: w.left, customer: w.right };
}

/** The 8 kHz G.711 μ-law version (WAVE_FORMAT_MULAW, which readWavSamples does not take): decoded here. */
export function load8kUlaw(name: string): Stereo {
  const b = readFileSync(`${CALLS_DIR}${name}.ulaw.wav`);
  const rate = b.readUInt32LE(24);
  for (let o = 12; o + 8 <= b.length;) {
    const size = b.readUInt32LE(o + 4);
    if (b.toString('latin1', o, o + 4) === 'data') {
      const { left, right } = deinterleaveStereo(decodeMuLaw(new Uint8Array(b.buffer, b.byteOffset + o + 8, size)));
      return { rate: rate as SampleRate, agent: left, customer: right };
    }
    o += 8 + size + (size & 1);
  }
  throw new Error(`${name}.ulaw.wav has no data chunk`);
}

/**
 * One speaker's script lines as the VAD should see them: lines of the same speaker closer than `minSilenceMs`
 * merge (the VAD keeps a shorter pause inside a segment).
 */
export function scriptSegments(lines: readonly ScriptLine[], speaker: Channel, minSilenceMs: number): SpeechSpan[] {
  const out: SpeechSpan[] = [];
  for (const l of [...lines].filter((x) => x.speaker === speaker).sort((a, b) => a.startMs - b.startMs)) {
    const last = out[out.length - 1];
    if (last && l.startMs - last.endMs < minSilenceMs) last.endMs = Math.max(last.endMs, l.endMs);
    else out.push({ speaker, startMs: l.startMs, endMs: l.endMs });
  }
  return out;
}

export interface BoundaryMatch {
  expected: SpeechSpan;
  /** VAD start minus script start, VAD end minus script end (ms); null when nothing overlaps the line. */
  startErrorMs: number | null;
  endErrorMs: number | null;
  /** VAD segments overlapping the line (more than one: the VAD split it at an inner pause). */
  pieces: SpeechSpan[];
}

/** Matches VAD spans to script segments: a segment's start against the first overlapping span, its end against the last. */
export function matchBoundaries(expected: readonly SpeechSpan[], got: readonly SpeechSpan[]): { matches: BoundaryMatch[]; extra: SpeechSpan[] } {
  const overlaps = (a: SpeechSpan, b: SpeechSpan) => a.startMs < b.endMs && a.endMs > b.startMs;
  const matches = expected.map((e): BoundaryMatch => {
    const pieces = got.filter((g) => overlaps(g, e));
    if (!pieces.length) return { expected: e, startErrorMs: null, endErrorMs: null, pieces };
    return { expected: e, startErrorMs: pieces[0].startMs - e.startMs, endErrorMs: pieces[pieces.length - 1].endMs - e.endMs, pieces };
  });
  return { matches, extra: got.filter((g) => !expected.some((e) => overlaps(g, e))) };
}

export function summarize(errors: readonly number[]): { n: number; meanAbsMs: number; maxAbsMs: number; meanMs: number } {
  const abs = errors.map(Math.abs);
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    n: errors.length,
    meanAbsMs: errors.length ? sum(abs) / errors.length : 0,
    maxAbsMs: errors.length ? Math.max(...abs) : 0,
    meanMs: errors.length ? sum(errors) / errors.length : 0,
  };
}

/** Feeds a whole channel in `frameMs` frames (as the call timeline does), awaiting each push; returns its spans. */
export async function runChannel(ch: VadChannel, pcm: Int16Array, frameMs = 20): Promise<{ events: VadEvent[]; spans: SpeechSpan[] }> {
  const n = (ch.rate * frameMs) / 1000;
  const events: VadEvent[] = [];
  for (let i = 0; i < pcm.length; i += n) events.push(...(await ch.push(pcm.subarray(i, i + n), (i * 1000) / ch.rate)));
  events.push(...(await ch.flush()));
  return { events, spans: events.flatMap((e) => (e.type === 'speech.ended' ? [e.span] : [])) };
}

/** Both channels of a call as interleaved frames (agent, customer, agent, …), as CallSession delivers them. */
export async function* callFrames(callId: string, audio: Stereo, frameMs = 20): AsyncIterable<AudioFrame> {
  const n = (audio.rate * frameMs) / 1000;
  for (let i = 0, seq = 0; i < audio.agent.length; i += n, seq++) {
    const startMs = (i * 1000) / audio.rate;
    yield { callId, channel: 'agent', seq, startMs, pcm: audio.agent.subarray(i, i + n), rate: audio.rate };
    yield { callId, channel: 'customer', seq, startMs, pcm: audio.customer.subarray(i, i + n), rate: audio.rate };
  }
}
