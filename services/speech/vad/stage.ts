import type { AudioFrame, Channel } from '../../calls/index.js';
import { ValidationError } from '../../core/index.js';
import type { Vad, VadChannel, VadEvent } from './types.js';

/**
 * The pipeline stage (DESIGN.md): a call's frames in, speech events out. One VAD channel per call channel,
 * opened on its first frame; at the end of the frames every channel is flushed, then closed. Awaiting each
 * push is the backpressure: a busy worker slows the consumer of `frames`, never drops audio.
 */
export function createVadStage(vad: Vad) {
  return async function* detectSpeech(frames: AsyncIterable<AudioFrame>, signal: AbortSignal): AsyncIterable<VadEvent> {
    const channels = new Map<Channel, VadChannel>();
    try {
      for await (const f of frames) {
        signal.throwIfAborted();
        let ch = channels.get(f.channel);
        if (!ch) channels.set(f.channel, (ch = vad.createChannel({ callId: f.callId, speaker: f.channel, rate: f.rate })));
        if (f.rate !== ch.rate) throw new ValidationError(`${f.callId}/${f.channel}: rate changed from ${ch.rate} to ${f.rate}`, 'rate');
        yield* await ch.push(f.pcm, f.startMs);
      }
      for (const ch of channels.values()) {
        signal.throwIfAborted();
        yield* await ch.flush();
      }
    } finally {
      for (const ch of channels.values()) ch.close();
    }
  };
}
