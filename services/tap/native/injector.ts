import type { Capabilities, InjectTarget, TapPort } from '../../calls/index.js';
import { AppError, type Logger } from '../../core/index.js';
import type { Clock, TapSocket } from '../shared/types.js';
import type { FrameEncoder, NativeCodec } from './codec.js';
import { encodeFrame } from './frame.js';

/** Target byte of injected frames: 0 agent only (whisper), 1 customer only, 2 both (barge). */
export const TARGET_BYTE: Record<InjectTarget, number> = { agent: 0, customer: 1, both: 2 };
/** An injection stream is stopped after this long without audio for its target. */
export const INJECT_IDLE_MS = 200;

interface Stream { seq: number; samples: number; pending: Int16Array; encoder: FrameEncoder; cancelIdle?: () => void }

export interface NativeInjector extends TapPort {
  close(): void;
}

/**
 * Sends supervisor audio to the adapter: PCM at the call's rate is cut into 20 ms frames, encoded in the call's
 * codec and framed with the target byte. The first audio for a target announces `inject started`; after
 * INJECT_IDLE_MS without more the remainder is flushed (Opus: padded to a whole frame) and `inject stopped` follows.
 */
export function createNativeInjector(o: {
  codec: NativeCodec; capabilities: Capabilities; socket: TapSocket; clock: Clock; log: Logger; onDropped(count: number): void;
}): NativeInjector {
  const streams = new Map<InjectTarget, Stream>();
  const { codec } = o;
  let closed = false;

  const allowed: Record<InjectTarget, boolean> = {
    agent: o.capabilities.whisper, customer: o.capabilities.playToCustomer, both: o.capabilities.barge,
  };

  function sendFrame(target: InjectTarget, st: Stream, pcm: Int16Array): void {
    const frame = encodeFrame(TARGET_BYTE[target], st.seq++, (st.samples * 1000) / codec.rate, st.encoder.encode(pcm));
    st.samples += pcm.length;
    if (!o.socket.sendBinary(frame)) o.onDropped(1);
  }

  function finish(target: InjectTarget): void {
    const st = streams.get(target);
    if (!st) return;
    streams.delete(target);
    if (st.pending.length > 0) {
      const rest = codec.wholeFrames ? new Int16Array(codec.frameSamples) : st.pending;
      if (codec.wholeFrames) rest.set(st.pending);
      sendFrame(target, st, rest);
    }
    o.socket.sendJson({ type: 'inject', state: 'stopped', target });
    o.log.debug({ target, frames: st.seq }, 'injection stream stopped');
  }

  return {
    capabilities: o.capabilities,
    inject(target, pcm) {
      if (!allowed[target]) throw new AppError(`the adapter did not offer injection to ${target}`, { status: 409 });
      if (closed) return;
      let st = streams.get(target);
      if (!st) {
        st = { seq: 0, samples: 0, pending: new Int16Array(0), encoder: codec.encoder() };
        streams.set(target, st);
        o.socket.sendJson({ type: 'inject', state: 'started', target });
      }
      let buf = pcm;
      if (st.pending.length > 0) {
        buf = new Int16Array(st.pending.length + pcm.length);
        buf.set(st.pending);
        buf.set(pcm, st.pending.length);
      }
      let off = 0;
      for (; buf.length - off >= codec.frameSamples; off += codec.frameSamples) sendFrame(target, st, buf.subarray(off, off + codec.frameSamples));
      st.pending = buf.slice(off);
      st.cancelIdle?.();
      st.cancelIdle = o.clock.setTimer(INJECT_IDLE_MS, () => {
        try {
          finish(target);
        } catch (err) {
          o.log.error({ err, target }, 'could not finish an injection stream');
        }
      });
    },
    close() {
      closed = true;
      for (const st of streams.values()) st.cancelIdle?.();
      streams.clear();
    },
  };
}
