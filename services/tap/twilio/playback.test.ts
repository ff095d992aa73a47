import { describe, expect, it } from 'vitest';
import { decodeMuLaw } from '../../audio/index.js';
import { createLogger } from '../../core/index.js';
import type { Clock, TapSocket } from '../shared/types.js';
import { createTwilioPlayback } from './playback.js';

function ports() {
  const sent: Record<string, unknown>[] = [];
  const socket: TapSocket = {
    open: true, sendJson: (m) => { sent.push(m as Record<string, unknown>); return true; }, sendBinary: () => true,
    close() {}, pause() {}, resume() {},
  };
  const timers: (() => void)[] = [];
  const clock: Clock = { now: () => 0, setTimer: (_ms, fn) => { timers.push(fn); return () => { timers.splice(timers.indexOf(fn), 1); }; } };
  return { sent, socket, clock, fire: () => timers.splice(0).forEach((f) => f()) };
}

describe('Twilio playback', () => {
  it('sends 20 ms μ-law media, marks each burst, follows echoed marks and clears', () => {
    const p = ports();
    const pb = createTwilioPlayback({ streamSid: 'MZ1', canPlay: true, socket: p.socket, clock: p.clock, log: createLogger('silent'), onDropped() {} });
    pb.inject('customer', new Int16Array(320).fill(1000));
    expect(p.sent.map((m) => m.event)).toEqual(['media', 'media']);
    const payload = (p.sent[0].media as { payload: string }).payload;
    expect(Array.from(decodeMuLaw(Buffer.from(payload, 'base64'))).every((s) => Math.abs(s - 1000) < 40)).toBe(true);
    p.fire();
    expect(p.sent.at(-1)).toEqual({ event: 'mark', streamSid: 'MZ1', mark: { name: 'callsight-1' } });
    expect(pb.pendingMarks).toEqual(['callsight-1']);
    pb.marked('callsight-1');
    expect(pb.pendingMarks).toEqual([]);
    pb.clear();
    expect(p.sent.at(-1)).toEqual({ event: 'clear', streamSid: 'MZ1' });
  });

  it('refuses every target on a unidirectional stream and all but the customer on a bidirectional one', () => {
    const p = ports();
    const uni = createTwilioPlayback({ streamSid: 'MZ2', canPlay: false, socket: p.socket, clock: p.clock, log: createLogger('silent'), onDropped() {} });
    expect(uni.capabilities.playToCustomer).toBe(false);
    expect(() => uni.inject('customer', new Int16Array(160))).toThrow();
    const bi = createTwilioPlayback({ streamSid: 'MZ3', canPlay: true, socket: p.socket, clock: p.clock, log: createLogger('silent'), onDropped() {} });
    expect(() => bi.inject('agent', new Int16Array(160))).toThrow(/agent only/);
    expect(() => bi.inject('both', new Int16Array(160))).toThrow(/agent and customer/);
  });
});
