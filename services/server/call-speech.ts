import type { OverflowPolicy, SampleRate } from '../calls/index.js';
import type { Logger } from '../core/index.js';
import type { EventBus } from '../live/index.js';
import { createCallPipeline, type CallPipeline, type SpeechEvent } from '../speech/pipeline/index.js';
import { createTranscriptRepo, type Db } from '../store/index.js';
import type { SpeechRuntime } from './speech-runtime.js';

/**
 * Attaches the speech pipeline to a call and carries what it reports to the store (in order, after the call row
 * exists) and onto the bus. `addSink` receives the pipeline: a live call adds it to its session, an import feeds it
 * (with `overflow: 'wait'`, through `write`). Returns a promise that settles when everything is stored.
 */
export function attachCallSpeech(opts: {
  callId: string; rate: SampleRate; addSink: (pipeline: CallPipeline) => void; overflow?: OverflowPolicy;
  runtime: SpeechRuntime; db: Db; bus: EventBus; log: Logger; language: string; stored: Promise<unknown>;
}): Promise<void> {
  const { callId, bus, log } = opts;
  const repo = createTranscriptRepo(opts.db);
  let chain: Promise<unknown> = opts.stored;
  const store = (what: string, write: () => Promise<unknown>) => {
    chain = chain.then(write).catch((err: unknown) => log.error({ err, callId, what }, 'could not store speech results'));
  };

  const emit = (e: SpeechEvent): void => {
    switch (e.type) {
      case 'transcript.partial':
        bus.publish({ type: 'transcript.partial', callId, segment: e.segment });
        return;
      case 'transcript.final':
        store('segment', () => repo.saveSegment({ ...e.segment, sentiment: e.sentiment }));
        bus.publish({ type: 'transcript.final', callId, segment: e.segment });
        if (e.sentiment) {
          const { utteranceId, speaker, startMs, endMs } = e.segment;
          bus.publish({ type: 'sentiment.scored', callId, utteranceId, speaker, startMs, endMs, sentiment: e.sentiment });
        }
        return;
      case 'speech.detected':
        return;
      case 'metrics.updated':
        if (e.final) store('metrics', () => repo.saveMetrics(callId, { metrics: e.metrics }));
        bus.publish({ type: 'metrics.updated', callId, metrics: e.metrics, final: e.final });
        return;
      case 'sentiment.summarized':
        store('sentiment', () => repo.saveMetrics(callId, { sentiment: e.sentiment }));
        bus.publish({ type: 'sentiment.summarized', callId, sentiment: e.sentiment });
        return;
      case 'transcription.status':
        store('status', () => repo.setTranscriptionStatus(callId, e.status, { note: e.note, engine: e.engine }));
        bus.publish({ type: 'transcription.changed', callId, status: e.status, engine: e.engine, note: e.note });
        return;
      case 'transcription.lost': {
        const { speaker, fromMs, toMs, reason } = e;
        store('lost', () => repo.addLostRange(callId, { speaker, fromMs, toMs, reason }));
        bus.publish({ type: 'transcription.lost', callId, speaker, fromMs, toMs, reason });
        return;
      }
    }
  };

  const pipeline = createCallPipeline(opts.runtime.services, { callId, rate: opts.rate, language: opts.language, overflow: opts.overflow }, emit);
  opts.addSink(pipeline);
  return pipeline.done.then(async () => { await chain; });
}
