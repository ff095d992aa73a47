import type { Channel, SampleRate } from '../../calls/index.js';
import type { AsrResult, Recognizer } from '../asr/index.js';
import { createProsodyTracker, type MetricsTracker } from '../metrics/index.js';
import type { VadChannel, VadEvent } from '../vad/types.js';
import { createSpeechGate, type Chunk } from './speech-gate.js';

/** One channel of a call: prosody, voice activity, and the recogniser fed through the speech gate. */
export interface ChannelLane {
  /** Processes the next stretch of audio; returns what the recogniser produced and the speech spans that ended. */
  process(chunk: Chunk): Promise<{ results: AsrResult[]; vad: VadEvent[] }>;
  /** End of the call: everything pending is finished. */
  finish(): Promise<{ results: AsrResult[]; vad: VadEvent[] }>;
  close(): Promise<void>;
  /** Stops recognition (the engine failed); activity and prosody carry on. */
  dropRecognizer(): Promise<void>;
}

export function createChannelLane(opts: {
  speaker: Channel;
  rate: SampleRate;
  tracker: MetricsTracker;
  vad: VadChannel | null;
  recognizer: Recognizer | null;
  skipSilence: boolean;
}): ChannelLane {
  const { speaker, tracker, vad } = opts;
  let recognizer = opts.recognizer;
  let prosody: ReturnType<typeof createProsodyTracker> | undefined;
  const gate = vad && opts.skipSilence ? createSpeechGate({ rate: opts.rate, preRollMs: 1500 }) : null;

  async function recognise(chunks: Chunk[], out: AsrResult[]): Promise<void> {
    if (!recognizer) return;
    for (const c of chunks) if (c.pcm.length) out.push(...await recognizer.accept(c.pcm, c.startMs));
  }

  async function endUtterance(out: AsrResult[]): Promise<void> {
    if (recognizer) out.push(...await recognizer.flush());
  }

  /** Applies VAD events in order: a start releases the held audio, an end finishes the recogniser's utterance. */
  async function applyVad(events: VadEvent[], pending: Chunk[], out: AsrResult[]): Promise<void> {
    for (const e of events) {
      if (e.type === 'speech.ended') tracker.addSpan(e.span);
      if (!gate) continue;
      if (e.type === 'speech.started') {
        pending.push(...gate.open(e.startMs));
      } else if (gate.close()) {
        await recognise(pending.splice(0), out);
        await endUtterance(out);
      }
    }
  }

  return {
    async process(chunk) {
      prosody ??= createProsodyTracker(opts.rate, { startMs: chunk.startMs });
      tracker.addProsody(speaker, prosody.push(chunk.pcm));
      const results: AsrResult[] = [];
      const pending = gate ? gate.push(chunk) : [chunk];
      const events = vad ? await vad.push(chunk.pcm, chunk.startMs) : [];
      await applyVad(events, pending, results);
      await recognise(pending, results);
      return { results, vad: events };
    },
    async finish() {
      const results: AsrResult[] = [];
      const events = vad ? await vad.flush() : [];
      await applyVad(events, [], results);
      await endUtterance(results);
      return { results, vad: events };
    },
    async close() {
      vad?.close();
      await recognizer?.close();
      recognizer = null;
    },
    async dropRecognizer() {
      const r = recognizer;
      recognizer = null;
      await r?.close();
    },
  };
}
