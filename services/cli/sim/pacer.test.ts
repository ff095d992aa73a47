import { afterEach, describe, expect, it } from 'vitest';
import { createPacer, lagStats } from './pacer.js';
import { decodeNativeFrame } from './native-frame.js';
import { simulateCall } from './simulate-call.js';
import { startTestPeer, tone, type PeerConnection, type TestPeer } from './test-peer.js';

let peer: TestPeer | undefined;
afterEach(async () => { await peer?.close(); peer = undefined; });

/** Native server half that records frames (the peer stores arrival times) and can stop reading for a while. */
function recordingServer(opts: { stallMs?: number } = {}) {
  return (conn: PeerConnection, onMessage: (h: (m: { binary: boolean; text: string }) => void) => void) => {
    onMessage((m) => {
      if (m.binary) return;
      const msg = JSON.parse(m.text) as { type: string };
      if (msg.type === 'start') {
        conn.ws.send(JSON.stringify({ type: 'started', callId: 'c', resumed: false }));
        if (opts.stallMs) { conn.ws.pause(); setTimeout(() => conn.ws.resume(), opts.stallMs); }
      }
      if (msg.type === 'stop') { conn.ws.send(JSON.stringify({ type: 'stopped' })); conn.ws.close(1000); }
    });
  };
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
/** How far the schedule moved between the first and last 25 frames (robust to single late frames on a busy machine). */
const accumulatedDrift = (drift: number[]) => median(drift.slice(-25)) - median(drift.slice(0, 25));

/** Arrival of each agent frame relative to the first, minus its schedule (k · 20 ms / speed). */
function arrivalDrift(conn: PeerConnection, speed: number): number[] {
  const agent = conn.messages.filter((m) => m.binary && decodeNativeFrame(m.data).channel === 0);
  return agent.map((m, k) => m.at - agent[0].at - (k * 20) / speed);
}

describe('pacer', () => {
  it('schedules frame k at t0 + k·frame/speed from the start, not from the previous frame', async () => {
    let now = 1000;
    const p = createPacer({ frameMs: 20, speed: 2, now: () => now });
    p.start();
    expect(p.dueAt(0)).toBe(1000);
    expect(p.dueAt(50)).toBe(1500);
    now = 1512; // a late timer does not shift later frames
    expect(p.markSent(50)).toBe(12);
    expect(p.dueAt(51)).toBe(1510);
    expect(p.firstDueFrame()).toBe(52);
    await p.waitFor(51); // already due: returns at once
    expect(p.stats()).toMatchObject({ count: 1, maxMs: 12 });
  });

  it('has no schedule at speed 0', async () => {
    const p = createPacer({ frameMs: 20, speed: 0 });
    await p.waitFor(1_000_000);
    expect(p.markSent(5)).toBe(0);
    expect(p.stats().count).toBe(0);
  });

  it('computes nearest-rank percentiles', () => {
    const s = lagStats([...Array(100).keys()].map((i) => i + 1));
    expect(s).toMatchObject({ count: 100, p50Ms: 50, p95Ms: 95, p99Ms: 99, maxMs: 100, meanMs: 50.5 });
    expect(lagStats([])).toMatchObject({ count: 0, p95Ms: 0 });
  });
});

describe('real-time streaming accuracy (local WebSocket server)', () => {
  it('sends 20 ms frames on schedule at speed 1 without drift', async () => {
    peer = await startTestPeer({ onConnection: recordingServer() });
    const seconds = 3;
    const s = await simulateCall({ protocol: 'native', url: peer.url, pcm: { rate: 8000, agent: tone(300, seconds, 8000), customer: tone(600, seconds, 8000) }, speed: 1 });
    const drift = arrivalDrift(peer.connections[0], 1);
    expect(drift).toHaveLength(150);
    const abs = drift.map(Math.abs).sort((a, b) => a - b);
    const p95 = abs[Math.ceil(0.95 * abs.length) - 1];
    console.info(`speed 1: send lag p50 ${s.sendLag.p50Ms} p95 ${s.sendLag.p95Ms} max ${s.sendLag.maxMs} ms; arrival jitter p95 ${p95.toFixed(2)} ms, accumulated drift ${accumulatedDrift(drift).toFixed(2)} ms; wall ${s.wallMs} ms`);
    // Bounds leave room for a loaded CI machine; a setTimeout chain would drift by ~1-2 ms per frame (150+ ms here).
    expect(Math.abs(accumulatedDrift(drift))).toBeLessThan(5);
    expect(s.sendLag.count).toBe(150);
    expect(s.sendLag.p50Ms).toBeLessThan(20);
    expect(s.sendLag.p95Ms).toBeLessThan(100);
    expect(s.wallMs).toBeGreaterThanOrEqual(seconds * 1000 - 25);
  });

  it('keeps the schedule at speed 4', async () => {
    peer = await startTestPeer({ onConnection: recordingServer() });
    const s = await simulateCall({ protocol: 'native', url: peer.url, pcm: { rate: 8000, agent: tone(300, 4, 8000) }, speed: 4 });
    const drift = arrivalDrift(peer.connections[0], 4);
    console.info(`speed 4: send lag p50 ${s.sendLag.p50Ms} p95 ${s.sendLag.p95Ms} ms, accumulated drift ${accumulatedDrift(drift).toFixed(2)} ms, wall ${s.wallMs} ms for 4 s of audio`);
    expect(Math.abs(accumulatedDrift(drift))).toBeLessThan(5);
    expect(s.sendLag.p50Ms).toBeLessThan(20);
    expect(s.sendLag.p95Ms).toBeLessThan(100);
    expect(s.wallMs).toBeGreaterThanOrEqual(975);
    expect(s.wallMs).toBeLessThan(1500);
  });

  it('at speed 0 waits for the socket to drain instead of queueing without bound', async () => {
    const stallMs = 2000; // long enough for even a busy machine to fill the socket buffers and block
    peer = await startTestPeer({ onConnection: recordingServer({ stallMs }) });
    const highWaterMark = 64 * 1024;
    const seconds = 120; // L16/16 kHz stereo: about 7.8 MB, more than the loopback socket buffers hold
    const s = await simulateCall({
      protocol: 'native', url: peer.url, codec: 'L16', rate: 16000, speed: 0, highWaterMark,
      pcm: { rate: 16000, agent: tone(300, seconds, 16000), customer: tone(600, seconds, 16000) },
    });
    const frames = peer.connections[0].messages.filter((m) => m.binary).length;
    console.info(`speed 0: ${seconds} s of audio in ${s.wallMs} ms (server stalled ${stallMs} ms), peak queued ${s.peakBufferedBytes} bytes`);
    expect(frames).toBe(2 * seconds * 50);
    expect(s.outcome).toBe('completed');
    expect(s.peakBufferedBytes).toBeGreaterThan(0); // the stall did push back
    expect(s.peakBufferedBytes).toBeLessThanOrEqual(highWaterMark + 2 * (640 + 12));
    expect(s.wallMs).toBeGreaterThanOrEqual(stallMs);
  });
});
