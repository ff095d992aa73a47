import { CHANNELS, createBoundedQueue, type AudioFrame, type Channel, type FrameSink } from '../../calls/index.js';
import type { AsrResult } from '../asr/index.js';
import { createMetricsTracker } from '../metrics/index.js';
import { summarizeCallSentiment, type ScoredSegment } from '../sentiment/index.js';
import type { TranscriptSegment } from '../types.js';
import { createChannelLane, type ChannelLane } from './channel-lane.js';
import type { CallSpeechInput, SpeechEvent, SpeechServices } from './types.js';

/** Frames are processed in batches of this much audio (fewer worker round trips; 100 ms of added latency at most). */
const BATCH_MS = 100;

export interface CallPipeline extends FrameSink {
  /** Settles when the call's audio is fully processed and the last events are emitted. Never rejects. */
  readonly done: Promise<void>;
  /** `onFrames` for a feeder that can wait: with overflow `wait` it settles once the backlog has room. */
  write(agent: AudioFrame, customer: AudioFrame): Promise<void>;
}

/**
 * A call's speech pipeline (DESIGN.md): aligned frames in; per channel voice activity, prosody and speech-only
 * recognition; sentiment per final segment; conversation metrics every few seconds and at the end. Frames wait in
 * a bounded queue so the tap never waits; when the pipeline falls that far behind the oldest audio is dropped and
 * reported as a lost range — visible, never silent. A failing engine stops transcription (reported), not the call.
 */
export function createCallPipeline(services: SpeechServices, call: CallSpeechInput, emit: (e: SpeechEvent) => void): CallPipeline {
  const log = services.log.child({ callId: call.callId, stage: 'speech' });
  const frameMs = 20;
  const queue = createBoundedQueue<[AudioFrame, AudioFrame]>({
    capacity: Math.ceil((services.maxBacklogMs ?? 120_000) / frameMs),
    overflow: call.overflow ?? 'drop-oldest',
    onDrop: ([a]) => lost('both', a.startMs, a.startMs + (a.pcm.length * 1000) / a.rate, 'speech pipeline backlog full'),
  });
  const tracker = createMetricsTracker(services.metricsOptions);
  const scored: ScoredSegment[] = [];
  const sentimentEngine = services.sentiment.engineFor(call.language);
  const intervalMs = services.metricsIntervalMs ?? 5000;
  let nextMetricsMs = intervalMs;
  let endMs = 0;
  let failed = false;

  function lost(speaker: Channel | 'both', fromMs: number, toMs: number, reason: string): void {
    for (const ch of speaker === 'both' ? CHANNELS : [speaker]) emit({ type: 'transcription.lost', speaker: ch, fromMs, toMs, reason });
  }

  async function handle(results: AsrResult[]): Promise<void> {
    for (const r of results) {
      if (r.type === 'lost') lost(r.speaker, r.lostFromMs, r.lostToMs, r.reason);
      else if (r.type === 'partial') emit({ type: 'transcript.partial', segment: r.segment });
      else await final(r.segment);
    }
  }

  async function final(segment: TranscriptSegment): Promise<void> {
    tracker.addSegment(segment);
    let sentiment = null;
    if (sentimentEngine && segment.text.trim()) {
      try {
        sentiment = await sentimentEngine.score(segment.text, segment.language);
        const { utteranceId, speaker, startMs, endMs: end, text } = segment;
        scored.push({ utteranceId, speaker, startMs, endMs: end, text, sentiment });
      } catch (err) {
        log.warn({ err }, 'sentiment scoring failed for a segment');
      }
    }
    emit({ type: 'transcript.final', segment, sentiment });
  }

  async function open(): Promise<{ lanes: Record<Channel, ChannelLane>; engine?: string }> {
    const found = await services.engineFor(call.language, call.rate);
    const engine = 'engine' in found ? found : null;
    if (!engine) {
      log.info({ reason: 'reason' in found ? found.reason : '' }, 'call not transcribed');
      emit({ type: 'transcription.status', status: 'not-transcribed', note: 'reason' in found ? found.reason : undefined });
    }
    const lanes = {} as Record<Channel, ChannelLane>;
    for (const speaker of CHANNELS) {
      lanes[speaker] = createChannelLane({
        speaker, rate: call.rate, tracker, skipSilence: services.skipSilence ?? true,
        vad: services.vad?.createChannel({ callId: call.callId, speaker, rate: call.rate }) ?? null,
        recognizer: engine ? engine.engine.createRecognizer({ language: call.language, sampleRate: call.rate, callId: call.callId, speaker }) : null,
      });
    }
    if (engine) emit({ type: 'transcription.status', status: 'running', engine: engine.name });
    return { lanes, engine: engine?.name };
  }

  async function step(lanes: Record<Channel, ChannelLane>, engine: string | undefined, work: (l: ChannelLane) => ReturnType<ChannelLane['process']>) {
    const outs = await Promise.allSettled(CHANNELS.map((ch) => work(lanes[ch])));
    for (const [i, out] of outs.entries()) {
      if (out.status === 'fulfilled') {
        for (const e of out.value.vad) if (e.type === 'speech.ended') emit({ type: 'speech.detected', span: e.span });
        await handle(out.value.results);
        continue;
      }
      if (failed) continue;
      failed = true;
      log.error({ err: out.reason, speaker: CHANNELS[i] }, 'speech processing failed; transcription stops for this call');
      emit({ type: 'transcription.status', status: 'failed', engine, note: `speech processing failed: ${(out.reason as Error).message}` });
      for (const ch of CHANNELS) await lanes[ch].dropRecognizer();
    }
  }

  async function run(): Promise<void> {
    const { lanes, engine } = await open();
    const batch: [AudioFrame, AudioFrame][] = [];
    const flushBatch = async () => {
      if (!batch.length) return;
      const start = batch[0][0].startMs;
      const pcm = (ch: 0 | 1) => concat(batch.map((b) => b[ch].pcm));
      const chunks = { agent: { startMs: start, pcm: pcm(0) }, customer: { startMs: start, pcm: pcm(1) } };
      batch.length = 0;
      await step(lanes, engine, (l) => l.process(l === lanes.agent ? chunks.agent : chunks.customer));
    };
    try {
      for await (const pair of queue) {
        batch.push(pair);
        endMs = pair[0].startMs + (pair[0].pcm.length * 1000) / pair[0].rate;
        if (endMs - batch[0][0].startMs >= BATCH_MS) await flushBatch();
        if (endMs >= nextMetricsMs) {
          emit({ type: 'metrics.updated', metrics: tracker.snapshot(endMs), final: false });
          nextMetricsMs = endMs + intervalMs;
        }
      }
      await flushBatch();
      await step(lanes, engine, (l) => l.finish());
    } catch (err) {
      failed = true;
      log.error({ err }, 'speech pipeline failed');
      emit({ type: 'transcription.status', status: 'failed', engine, note: `speech pipeline failed: ${(err as Error).message}` });
    } finally {
      await Promise.allSettled(CHANNELS.map((ch) => lanes[ch].close()));
    }
    emit({ type: 'metrics.updated', metrics: tracker.snapshot(endMs), final: true });
    emit({ type: 'sentiment.summarized', sentiment: summarizeCallSentiment(scored) });
    if (engine && !failed) emit({ type: 'transcription.status', status: 'done', engine });
  }

  const done = run().catch((err: unknown) => {
    log.error({ err }, 'speech pipeline could not start');
    emit({ type: 'transcription.status', status: 'failed', note: `speech pipeline could not start: ${(err as Error).message}` });
  }).finally(() => queue.close()); // nothing reads the backlog any more: a waiting writer must not wait forever

  return {
    done,
    onFrames(agent, customer) {
      void queue.push([agent, customer]);
    },
    write(agent, customer) {
      return queue.push([agent, customer]);
    },
    onEnd() {
      queue.close();
    },
  };
}

function concat(parts: Int16Array[]): Int16Array {
  if (parts.length === 1) return parts[0];
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
