/**
 * AudioWorklet processors for live monitoring (built by Vite as its own file: `?worker&url`).
 *
 * `jitter-buffer`: plays decoded 20 ms frames in `seq` order. Playout starts once TARGET frames are buffered, a
 * missing frame is concealed (the last frame faded out, then silence), late frames (behind the playhead) are dropped,
 * and when the buffer runs too far ahead (a burst after a stall) it skips to recent audio instead of lagging.
 *
 * `mic-capture`: cuts the microphone input into blocks of `blockSize` samples for the Opus encoder.
 */

interface WorkletPort { postMessage(m: unknown): void; onmessage: ((e: MessageEvent) => void) | null }
declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: WorkletPort;
}
declare function registerProcessor(name: string, ctor: new (options: { processorOptions?: Record<string, number> }) => AudioWorkletProcessor): void;

const TARGET_FRAMES = 3;
const MAX_AHEAD_FRAMES = 12;
const REBUFFER_AFTER_MISSING = 10;

class JitterBuffer extends AudioWorkletProcessor {
  private frames = new Map<number, Float32Array>();
  private playSeq: number | undefined;
  private newest = -1;
  private offset = 0;
  private missingRun = 0;
  private last: Float32Array | undefined;
  private stats = { played: 0, concealed: 0, late: 0, skipped: 0 };
  private sinceReport = 0;

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent<{ type: 'frame'; seq: number; pcm: Float32Array } | { type: 'reset' }>) => {
      const m = e.data;
      if (m.type === 'reset') {
        this.frames.clear();
        this.playSeq = undefined;
        this.newest = -1;
        this.offset = 0;
        return;
      }
      if (this.playSeq !== undefined && m.seq < this.playSeq) {
        this.stats.late++;
        return;
      }
      this.frames.set(m.seq, m.pcm);
      if (m.seq > this.newest) this.newest = m.seq;
    };
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]?.[0];
    if (!out) return true;
    if (this.playSeq === undefined) {
      out.fill(0);
      if (this.frames.size >= TARGET_FRAMES) this.playSeq = Math.min(...this.frames.keys());
    } else {
      if (this.newest - this.playSeq > MAX_AHEAD_FRAMES) {
        const to = this.newest - TARGET_FRAMES + 1;
        for (const seq of this.frames.keys()) if (seq < to) this.frames.delete(seq);
        this.stats.skipped += to - this.playSeq;
        this.playSeq = to;
        this.offset = 0;
      }
      for (let i = 0; i < out.length; i++) {
        const frame = this.frames.get(this.playSeq);
        if (frame) {
          out[i] = frame[this.offset] ?? 0;
        } else {
          // Conceal: fade the previous frame out over the gap's first frame, then silence.
          const prev = this.last;
          out[i] = prev && this.missingRun === 0 ? (prev[this.offset] ?? 0) * (1 - this.offset / prev.length) : 0;
        }
        this.offset++;
        const len = frame?.length ?? this.last?.length ?? 960;
        if (this.offset >= len) {
          if (frame) {
            this.last = frame;
            this.frames.delete(this.playSeq);
            this.missingRun = 0;
            this.stats.played++;
          } else {
            this.missingRun++;
            this.stats.concealed++;
          }
          this.playSeq++;
          this.offset = 0;
          if (this.missingRun >= REBUFFER_AFTER_MISSING && this.frames.size === 0) {
            this.playSeq = undefined;
            this.missingRun = 0;
            out.fill(0, i + 1);
            break;
          }
        }
      }
    }
    this.sinceReport += out.length;
    if (this.sinceReport >= sampleRate) {
      this.sinceReport = 0;
      this.port.postMessage({ type: 'stats', buffered: this.frames.size, ...this.stats });
    }
    return true;
  }
}

class MicCapture extends AudioWorkletProcessor {
  private block: Float32Array;
  private filled = 0;

  constructor(options: { processorOptions?: Record<string, number> }) {
    super();
    this.block = new Float32Array(options.processorOptions?.blockSize ?? 960);
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0]?.[0];
    if (!input) return true;
    let i = 0;
    while (i < input.length) {
      const n = Math.min(input.length - i, this.block.length - this.filled);
      this.block.set(input.subarray(i, i + n), this.filled);
      this.filled += n;
      i += n;
      if (this.filled === this.block.length) {
        this.port.postMessage(this.block);
        this.block = new Float32Array(this.block.length);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('jitter-buffer', JitterBuffer);
registerProcessor('mic-capture', MicCapture);
