import type { Channel } from './types.js';

interface Lane {
  /** Timeline position (samples) up to which this channel is written, gap-filled. */
  pos: number;
  chunks: Int16Array[];
}

export interface AlignedBlock {
  startSample: number;
  agent: Int16Array;
  customer: Int16Array;
}

export interface TimelineCounters {
  gapSamples: number;
  lateSamples: number;
}

/**
 * Keeps the agent and customer channels time-aligned on one sample timeline.
 * Audio written ahead of a channel's position leaves a gap that becomes silence; audio for a stretch
 * already written is dropped as late. A channel lagging the other by more than `maxSkew` samples is
 * filled with silence so the aligned output (and the recording) never stalls on a missing channel.
 */
export function createTimeline(maxSkew: number) {
  const lanes: Record<Channel, Lane> = { agent: { pos: 0, chunks: [] }, customer: { pos: 0, chunks: [] } };
  const counters: TimelineCounters = { gapSamples: 0, lateSamples: 0 };
  let emitted = 0;

  function fill(lane: Lane, upTo: number): void {
    if (upTo <= lane.pos) return;
    lane.chunks.push(new Int16Array(upTo - lane.pos));
    counters.gapSamples += upTo - lane.pos;
    lane.pos = upTo;
  }

  function take(lane: Lane, n: number): Int16Array {
    const out = new Int16Array(n);
    let off = 0;
    while (off < n) {
      const head = lane.chunks[0];
      const need = n - off;
      if (head.length <= need) {
        out.set(head, off);
        off += head.length;
        lane.chunks.shift();
      } else {
        out.set(head.subarray(0, need), off);
        lane.chunks[0] = head.subarray(need);
        off += need;
      }
    }
    return out;
  }

  function drain(): AlignedBlock | undefined {
    const ready = Math.min(lanes.agent.pos, lanes.customer.pos) - emitted;
    if (ready <= 0) return undefined;
    const block = { startSample: emitted, agent: take(lanes.agent, ready), customer: take(lanes.customer, ready) };
    emitted += ready;
    return block;
  }

  return {
    counters,
    /** Position up to which aligned audio has been emitted. */
    get emitted() { return emitted; },
    position(channel: Channel): number { return lanes[channel].pos; },

    /** Writes `pcm` at `atSample` (default: right after what this channel already has). Returns the aligned block now complete, if any. */
    write(channel: Channel, pcm: Int16Array, atSample?: number): AlignedBlock | undefined {
      const lane = lanes[channel];
      let at = atSample ?? lane.pos;
      let data = pcm;
      if (at < lane.pos) {
        const overlap = Math.min(lane.pos - at, data.length);
        counters.lateSamples += overlap;
        data = data.subarray(overlap);
        at += overlap;
      }
      if (data.length > 0) {
        fill(lane, at);
        lane.chunks.push(data);
        lane.pos += data.length;
      }
      const other = lanes[channel === 'agent' ? 'customer' : 'agent'];
      fill(other, lane.pos - maxSkew);
      return drain();
    },

    /** Advances both channels to `atSample` with silence (pause, discard). */
    skipTo(atSample: number): AlignedBlock | undefined {
      fill(lanes.agent, atSample);
      fill(lanes.customer, atSample);
      return drain();
    },

    /** Pads the shorter channel and returns everything left. */
    flush(): AlignedBlock | undefined {
      const end = Math.max(lanes.agent.pos, lanes.customer.pos);
      fill(lanes.agent, end);
      fill(lanes.customer, end);
      return drain();
    },
  };
}

export type Timeline = ReturnType<typeof createTimeline>;
