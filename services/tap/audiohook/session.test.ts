import { describe, expect, it } from 'vitest';
import { createCallRegistry, type CallSession } from '../../calls/index.js';
import { createLogger, createMetrics } from '../../core/index.js';
import { createCallBinding } from '../shared/call-binding.js';
import { createTapMetrics } from '../shared/metrics.js';
import type { Clock, TapSocket } from '../shared/types.js';
import { createAudiohookSession } from './session.js';

const ID = '30b0e395-84d3-4570-ac13-9a62d8f514c0';
const ORG = 'd7934305-0972-4844-938e-9060eef73d05';

/** In-memory ports: what the session sent, how it closed, and a clock the test moves by hand. */
function harness() {
  const log = createLogger('silent');
  const registry = createCallRegistry({ log, lifecycle: { started() {}, finished() {} }, maxSkewMs: 500, interruptGraceMs: 1000 });
  const sent: Record<string, unknown>[] = [];
  const closes: number[] = [];
  const socket: TapSocket = {
    open: true, sendJson: (m) => { sent.push(m as Record<string, unknown>); return true; }, sendBinary: () => true,
    close: (code) => { closes.push(code); }, pause() {}, resume() {},
  };
  let now = 0;
  const timers: { at: number; fn: () => void }[] = [];
  const clock: Clock = {
    now: () => now,
    setTimer(ms, fn) {
      const t = { at: now + ms, fn };
      timers.push(t);
      return () => { timers.splice(timers.indexOf(t), 1); };
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((x) => x.at <= now)) { timers.splice(timers.indexOf(t), 1); t.fn(); }
  };
  const calls = createCallBinding({ protocol: 'audiohook', registry, metrics: createTapMetrics(createMetrics()), log });
  const session = createAudiohookSession({ sessionId: ID, organizationId: ORG, socket, clock, log, calls });
  let seq = 0;
  const send = (type: string, parameters: Record<string, unknown> = {}, position = 'PT0S') =>
    session.onText(JSON.stringify({ version: '2', id: ID, type, seq: ++seq, serverseq: 0, position, parameters }), 0);
  const open = () => send('open', {
    organizationId: ORG, conversationId: 'e160e428-53e2-487c-977d-96989bf5c99d', participant: { id: 'p' },
    media: [{ type: 'audio', format: 'PCMU', rate: 8000, channels: ['external', 'internal'] }],
  });
  return { session, sent, closes, advance, send, open, calls, registry };
}

describe('AudioHook session state machine', () => {
  it('closes the socket itself when the client ignores a disconnect', async () => {
    const h = harness();
    await h.open();
    h.session.disconnect('completed', 'done');
    expect(h.sent.at(-1)).toMatchObject({ type: 'disconnect', seq: 2, clientseq: 1, parameters: { reason: 'completed', info: 'done' } });
    h.advance(4999);
    expect(h.closes).toEqual([]);
    h.advance(1);
    expect(h.closes).toEqual([1000]);
  });

  it('answers ping while paused and after a disconnect, and sends nothing after closed', async () => {
    const h = harness();
    await h.open();
    await h.send('paused');
    await h.send('ping');
    expect(h.sent.at(-1)).toMatchObject({ type: 'pong', clientseq: 3 });
    h.session.pause();
    expect(h.sent.at(-1)).toMatchObject({ type: 'pause' });
    h.session.disconnect('error', 'test');
    await h.send('ping');
    expect(h.sent.at(-1)).toMatchObject({ type: 'pong', clientseq: 4 });
    await h.send('close', { reason: 'disconnect' });
    expect(h.sent.at(-1)).toMatchObject({ type: 'closed', clientseq: 5 });
    const n = h.sent.length;
    await h.send('ping');
    h.session.resume();
    expect(h.sent.length).toBe(n);
    expect(h.session.state).toBe('closed');
  });

  it('puts a long hold on the timeline in bounded steps', async () => {
    const h = harness();
    await h.open();
    const session = h.calls.session as CallSession;
    let largest = 0;
    session.addSink({ onFrames(a) { largest = Math.max(largest, a.pcm.length); } });
    await h.send('paused');
    await h.send('resumed', { start: 'PT0S', discarded: 'PT3600S' });
    expect(session.durationMs).toBe(3_600_000);
    expect(largest).toBeLessThanOrEqual(80_000);
    // An absurd skip is a client error, not an allocation.
    await h.send('discarded', { start: 'PT3600S', discarded: 'PT99999999S' }, 'PT3600S');
    expect(h.sent.at(-1)).toMatchObject({ type: 'disconnect', parameters: { reason: 'error' } });
    expect(session.durationMs).toBe(3_600_000);
  });

  it('on idle asks the client to disconnect and closes with 4408', async () => {
    const h = harness();
    await h.open();
    h.session.onIdle();
    expect(h.sent.at(-1)).toMatchObject({ type: 'disconnect', parameters: { reason: 'error' } });
    expect(h.closes).toEqual([4408]);
  });
});
