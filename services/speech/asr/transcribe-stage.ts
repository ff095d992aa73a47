import type { AudioFrame, Channel } from '../../calls/index.js';
import type { AsrEngine, AsrResult, Recognizer } from './types.js';

export interface TranscribeStageOptions {
  language: string;
}

/**
 * The pipeline stage (DESIGN.md): a call's frames in, recognition results out. One recognizer per channel,
 * created on the channel's first frame; at the end of the frames every channel is flushed, then closed.
 * Awaiting `accept` is the backpressure: a busy pool slows the consumer of `frames`, never drops audio.
 */
export function createTranscribeStage(engine: AsrEngine, opts: TranscribeStageOptions) {
  return async function* transcribe(frames: AsyncIterable<AudioFrame>, signal: AbortSignal): AsyncIterable<AsrResult> {
    const recognizers = new Map<Channel, Recognizer>();
    try {
      for await (const f of frames) {
        signal.throwIfAborted();
        let r = recognizers.get(f.channel);
        if (!r) {
          r = engine.createRecognizer({ language: opts.language, sampleRate: f.rate, callId: f.callId, speaker: f.channel });
          recognizers.set(f.channel, r);
        }
        yield* await r.accept(f.pcm, f.startMs);
      }
      for (const r of recognizers.values()) yield* await r.flush();
    } finally {
      await Promise.allSettled([...recognizers.values()].map(async (r) => r.close()));
    }
  };
}
