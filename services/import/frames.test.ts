import { describe, expect, it } from 'vitest';
import { createFrameCutter } from './frames.js';

function interleaved(frames: number, channels: 1 | 2): Buffer {
  const b = Buffer.alloc(frames * channels * 2);
  for (let i = 0; i < frames; i++) {
    b.writeInt16LE(i, i * channels * 2);
    if (channels === 2) b.writeInt16LE(-i, i * 4 + 2);
  }
  return b;
}

describe('createFrameCutter', () => {
  it('cuts stereo into aligned 20 ms pairs across any chunking, left channel = agent by default', () => {
    const cutter = createFrameCutter({ callId: 'c', rate: 8000, channels: 2 });
    const bytes = interleaved(400, 2); // 50 ms at 8 kHz
    const pairs = [...cutter.push(bytes.subarray(0, 333)), ...cutter.push(bytes.subarray(333)), ...cutter.end()];
    expect(pairs.map(([a]) => a.pcm.length)).toEqual([160, 160, 80]);
    expect(pairs.map(([a, c]) => [a.seq, a.startMs, c.seq, c.startMs])).toEqual([[0, 0, 0, 0], [1, 20, 1, 20], [2, 40, 2, 40]]);
    expect(pairs[1][0]).toMatchObject({ channel: 'agent', rate: 8000, callId: 'c' });
    expect(pairs[1][0].pcm[0]).toBe(160);
    expect(pairs[1][1].pcm[0]).toBe(-160);
    expect(cutter.samples).toBe(400);
  });

  it('swaps the parties when the customer is on the left, and puts mono on the agent with a silent customer', () => {
    const [[agent, customer]] = createFrameCutter({ callId: 'c', rate: 16000, channels: 2, left: 'customer' }).push(interleaved(320, 2));
    expect([agent.pcm[5], customer.pcm[5]]).toEqual([-5, 5]);
    const [[a, c]] = createFrameCutter({ callId: 'c', rate: 16000, channels: 1 }).push(interleaved(320, 1));
    expect([a.pcm[7], c.pcm[7], c.pcm.length]).toEqual([7, 0, 320]);
  });
});
