import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMuLaw, encodeMuLaw, parseWav } from '../../audio/index.js';
import { AuthError } from '../../core/index.js';
import { decodeNativeFrame, encodeNativeFrame } from './native-frame.js';
import { simulateCall } from './simulate-call.js';
import { jsonMessages, startTestPeer, tone, type PeerConnection, type TestPeer } from './test-peer.js';

let peer: TestPeer | undefined;
afterEach(async () => { await peer?.close(); peer = undefined; });

/** The server half of the native protocol, just enough for the client: started, stopped, and optional injection. */
function nativeServer(opts: { inject?: boolean; resumed?: () => boolean } = {}) {
  return (conn: PeerConnection, onMessage: (h: (m: { binary: boolean; text: string }) => void) => void) => {
    onMessage((m) => {
      if (m.binary) return;
      const msg = JSON.parse(m.text) as { type: string; callId?: string };
      if (msg.type === 'start') {
        conn.ws.send(JSON.stringify({ type: 'started', callId: 'srv-1', resumed: opts.resumed?.() ?? false, capabilities: {} }));
        if (opts.inject) {
          conn.ws.send(JSON.stringify({ type: 'inject', state: 'started', target: 'agent' }));
          const pcm = encodeMuLaw(tone(440, 0.02, 8000));
          for (let seq = 0; seq < 3; seq++) conn.ws.send(encodeNativeFrame({ channel: 0, seq, timestampMs: seq * 20, payload: pcm }));
          conn.ws.send(encodeNativeFrame({ channel: 2, seq: 0, timestampMs: 0, payload: pcm }));
        }
      }
      if (msg.type === 'stop') { conn.ws.send(JSON.stringify({ type: 'stopped' })); conn.ws.close(1000); }
    });
  };
}

const stereo = () => ({ rate: 8000, agent: tone(300, 1, 8000), customer: tone(700, 1, 8000) });

describe('native client', () => {
  it('sends start, per-channel frames with 12-byte headers, stop; saves injected audio', async () => {
    peer = await startTestPeer({ onConnection: nativeServer({ inject: true }) });
    const dir = await mkdtemp(join(tmpdir(), 'sim-native-'));
    const pcm = stereo();
    const s = await simulateCall({
      protocol: 'native', url: peer.url, pcm, speed: 0, credentials: { apiKey: 'tap_test' }, saveInjectedDir: dir,
      metadata: { externalId: 'pbx-1', agentId: 'agent-1001', queue: 'support', direction: 'inbound', language: 'en-US', extra: { trunk: 't1' } },
    });
    const conn = peer.connections[0];
    expect(conn.req.url).toBe('/tap/native');
    expect(conn.req.headers.authorization).toBe('Bearer tap_test');
    const [start] = jsonMessages(conn);
    expect(start).toEqual({
      type: 'start', version: 1, callId: 'pbx-1', direction: 'inbound', codec: 'PCMU', rate: 8000, agentId: 'agent-1001',
      queue: 'support', language: 'en-US', inject: ['agent', 'customer', 'both'], metadata: { trunk: 't1' },
    });
    const frames = conn.messages.filter((m) => m.binary).map((m) => decodeNativeFrame(m.data));
    for (const ch of [0, 1]) {
      const mine = frames.filter((f) => f.channel === ch);
      expect(mine.map((f) => f.seq)).toEqual([...Array(50).keys()]);
      expect(mine.map((f) => f.timestampMs)).toEqual([...Array(50).keys()].map((k) => k * 20));
      expect(mine.every((f) => f.payload.length === 160)).toBe(true);
      const decoded = decodeMuLaw(Buffer.concat(mine.map((f) => f.payload)));
      const source = ch === 0 ? pcm.agent : pcm.customer;
      expect(Math.abs(decoded[1234] - source[1234])).toBeLessThan(300);
    }
    expect(jsonMessages(conn).at(-1)).toEqual({ type: 'stop', reason: 'hangup' });
    expect(s).toMatchObject({
      protocol: 'native', externalId: 'pbx-1', serverCallId: 'srv-1', outcome: 'completed',
      framesSent: { agent: 50, customer: 50 }, audioBytes: 16000, audioMs: 1000, serverErrors: [],
    });
    expect(s.injected.agent).toMatchObject({ frames: 3, samples: 480, rate: 8000 });
    expect(s.injected.both.frames).toBe(1);
    expect(s.injected.customer.frames).toBe(0);
    const wav = parseWav(readFileSync(s.injected.agent.file!));
    expect(wav).toMatchObject({ rate: 8000, channels: 1, frames: 480 });
    await rm(dir, { recursive: true });
  });

  it('leaves sequence gaps for skipped frames and streams only the customer for mono input', async () => {
    peer = await startTestPeer({ onConnection: nativeServer() });
    const s = await simulateCall({
      protocol: 'native', url: peer.url, pcm: { rate: 16000, customer: tone(500, 0.2, 16000) }, codec: 'L16', rate: 16000,
      speed: 0, faults: { skipFrames: [3, 4] },
    });
    const frames = peer.connections[0].messages.filter((m) => m.binary).map((m) => decodeNativeFrame(m.data));
    expect(new Set(frames.map((f) => f.channel))).toEqual(new Set([1]));
    expect(frames.map((f) => f.seq)).toEqual([0, 1, 2, 5, 6, 7, 8, 9]);
    expect(frames[3].timestampMs).toBe(100);
    expect(frames[0].payload.length).toBe(640);
    expect(s).toMatchObject({ skippedFrames: 2, framesSent: { agent: 0, customer: 8 } });
  });

  it('drops the socket without a close frame and resumes with the same callId', async () => {
    let starts = 0;
    peer = await startTestPeer({ onConnection: nativeServer({ resumed: () => ++starts > 1 }) });
    const s = await simulateCall({
      protocol: 'native', url: peer.url, pcm: stereo(), speed: 4, metadata: { externalId: 'pbx-2' },
      faults: { dropAtMs: 400, reconnectAfterMs: 100 },
    });
    const [first, second] = peer.connections;
    expect((await first.closed).code).toBe(1006);
    expect(jsonMessages(first).some((m) => m.type === 'stop')).toBe(false);
    expect(jsonMessages(second)[0]).toMatchObject({ type: 'start', callId: 'pbx-2' });
    const seqs = (c: PeerConnection) => c.messages.filter((m) => m.binary).map((m) => decodeNativeFrame(m.data)).filter((f) => f.channel === 0);
    const before = seqs(first);
    const after = seqs(second);
    expect(before.at(-1)!.seq).toBe(19);
    // 100 ms outage at 4x speed: about 20 frames are lost, and seq and timestamps continue past them
    expect(after[0].seq).toBeGreaterThan(20);
    expect(after[0].timestampMs).toBe(after[0].seq * 20);
    expect(s).toMatchObject({ outcome: 'completed', reconnects: 1, serverErrors: [] });
    expect(s.lostFrames).toBe(after[0].seq - 20);
    expect(s.framesSent.agent + s.lostFrames).toBe(50);
  });

  it('reports a 401 with the server message, and a refused connection', async () => {
    peer = await startTestPeer({ reject: () => ({ status: 401, error: 'unknown or revoked tap key' }) });
    const call = simulateCall({ protocol: 'native', url: peer.url, pcm: stereo(), credentials: { apiKey: 'nope' } });
    await expect(call).rejects.toThrow(AuthError);
    await expect(call).rejects.toThrow(/401.*unknown or revoked tap key/);
    const url = peer.url;
    await peer.close();
    peer = undefined;
    await expect(simulateCall({ protocol: 'native', url, pcm: stereo() })).rejects.toThrow(/connection refused/);
  });

  it('ends as server-ended when the server closes the socket mid-call', async () => {
    peer = await startTestPeer({
      onConnection: (conn, onMessage) => onMessage((m) => {
        if (!m.binary) { conn.ws.send(JSON.stringify({ type: 'started', callId: 'x', resumed: false })); return; }
        if (conn.messages.filter((x) => x.binary).length === 10) {
          conn.ws.send(JSON.stringify({ type: 'error', code: 'shutting_down', message: 'bye' }));
          conn.ws.close(1001, 'shutting down');
        }
      }),
    });
    const s = await simulateCall({ protocol: 'native', url: peer.url, pcm: stereo(), speed: 5 });
    expect(s.outcome).toBe('server-ended');
    expect(s.serverReason).toMatch(/1001/);
    expect(s.serverErrors).toEqual(['shutting_down: bye']);
  });

  it('ends the call properly when the caller aborts', async () => {
    peer = await startTestPeer({ onConnection: nativeServer() });
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 300);
    const s = await simulateCall({ protocol: 'native', url: peer.url, pcm: stereo(), speed: 1, signal: ctl.signal });
    expect(s.outcome).toBe('aborted');
    expect(s.audioMs).toBeGreaterThan(200);
    expect(s.audioMs).toBeLessThan(600);
    expect(jsonMessages(peer.connections[0]).at(-1)).toEqual({ type: 'stop', reason: 'aborted' });
  });
});
