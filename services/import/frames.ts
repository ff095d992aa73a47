import type { AudioFrame, Channel, SampleRate } from '../calls/index.js';

export const FRAME_MS = 20;

export type FramePair = [agent: AudioFrame, customer: AudioFrame];

export interface FrameCutter {
  /** Takes decoded interleaved s16le bytes (any chunking) and returns the whole 20 ms frame pairs now complete. */
  push(chunk: Buffer): FramePair[];
  /** The last, shorter frame pair (if any samples are left). Call once, at the end. */
  end(): FramePair[];
  /** Samples per channel handed out so far. */
  readonly samples: number;
}

/**
 * Cuts decoded PCM into time-aligned agent and customer frames of 20 ms, as a live call's session delivers them.
 * Stereo: `left` names the party on the left channel, the other is on the right. Mono: the one channel is the
 * agent's and the customer's channel is silent (a mono recording cannot be split by speaker).
 */
export function createFrameCutter(opts: { callId: string; rate: SampleRate; channels: 1 | 2; left?: Channel }): FrameCutter {
  const { callId, rate, channels } = opts;
  const frameSamples = (rate * FRAME_MS) / 1000;
  const frameBytes = frameSamples * channels * 2;
  const leftIsAgent = (opts.left ?? 'agent') === 'agent';
  let carry = Buffer.alloc(0);
  let seq = 0;
  let samples = 0;

  function cut(bytes: Buffer, n: number): FramePair {
    const agent = new Int16Array(n);
    const customer = new Int16Array(n);
    if (channels === 1) {
      for (let i = 0; i < n; i++) agent[i] = bytes.readInt16LE(i * 2);
    } else {
      const [l, r] = leftIsAgent ? [agent, customer] : [customer, agent];
      for (let i = 0; i < n; i++) {
        l[i] = bytes.readInt16LE(i * 4);
        r[i] = bytes.readInt16LE(i * 4 + 2);
      }
    }
    const startMs = (samples * 1000) / rate;
    samples += n;
    const frame = (channel: Channel, pcm: Int16Array): AudioFrame => ({ callId, channel, seq, startMs, pcm, rate });
    const pair: FramePair = [frame('agent', agent), frame('customer', customer)];
    seq++;
    return pair;
  }

  return {
    get samples() { return samples; },
    push(chunk) {
      const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const pairs: FramePair[] = [];
      let at = 0;
      for (; at + frameBytes <= bytes.length; at += frameBytes) pairs.push(cut(bytes.subarray(at, at + frameBytes), frameSamples));
      carry = Buffer.from(bytes.subarray(at));
      return pairs;
    },
    end() {
      const n = Math.floor(carry.length / (channels * 2));
      const pairs = n > 0 ? [cut(carry, n)] : [];
      carry = Buffer.alloc(0);
      return pairs;
    },
  };
}
