import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWav, readWavSamples, deinterleaveStereo, wavHeader } from '../services/audio/index.js';
import { createTapKey } from '../services/auth/index.js';
import { simulateCall } from '../services/cli/sim/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { login, type ApiSession } from './helpers/api-session.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const FILE = 'test/fixtures/calls/support-good.wav';
const meta = { agentId: 'agent-1001', queue: 'support', direction: 'inbound' as const, customerNumber: '+15555550142', language: 'en-US' };

interface CallBody { id: string; status: string; durationMs: number; recording: { format: string; url: string } | null }

/** Polls the API until the call (found by the simulator's external id via the list) reaches `until`. */
async function waitForCall(api: ApiSession, until: (c: CallBody) => boolean): Promise<CallBody> {
  for (let i = 0; i < 200; i++) {
    const list = await (await api.get('/api/calls?limit=50')).json() as { items: CallBody[] };
    const hit = list.items.find(until);
    if (hit) return (await (await api.get(`/api/calls/${hit.id}`)).json()) as CallBody;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('call never reached the expected state');
}

describe('recording through the real tap, store and API', () => {
  let server: TestServer;
  let apiKey: string;
  let admin: ApiSession;
  const { left: agentSent, right: customerSent } = readWavSamples(FILE);

  beforeAll(async () => {
    server = await startTestServer({ recording: { transcode: false } });
    await seedDemo(server.db);
    apiKey = (await createTapKey(server.db, { name: 'rec' })).apiKey;
    admin = await login(server.url, 'admin', 'admin-demo');
  });
  afterAll(async () => { await server?.close(); });

  it('keeps every sample sent over native L16/16000, gaps filled with silence and counted', async () => {
    const skipped = [10, 11, 50];
    const s = await simulateCall({
      url: server.wsUrl, file: FILE, protocol: 'native', codec: 'L16', rate: 16000, speed: 0, maxDurationMs: 2000,
      metadata: meta, credentials: { apiKey }, faults: { skipFrames: skipped },
    });
    expect(s.outcome).toBe('completed');
    const call = await waitForCall(admin, (c) => c.id === s.serverCallId && c.status === 'ended');
    expect(call.recording?.format).toBe('wav');
    const res = await admin.get(call.recording!.url);
    expect(res.status).toBe(200);
    const rec = parseWav(Buffer.from(await res.arrayBuffer()));
    expect(rec).toMatchObject({ rate: 16000, channels: 2 });
    const { left, right } = deinterleaveStereo(rec.samples);
    const frame = 320;
    expect(left.length).toBe(100 * frame);
    const expected = (sent: Int16Array) => {
      const out = sent.slice(0, 100 * frame);
      for (const k of skipped) out.fill(0, k * frame, (k + 1) * frame);
      return out;
    };
    expect(firstDifference(left, expected(agentSent))).toBe(-1);
    expect(firstDifference(right, expected(customerSent))).toBe(-1);
    const stats = await server.db.query<{ stats: { gapSamples: number } }>('select stats from calls where id = $1', [call.id]);
    expect(stats[0].stats.gapSamples).toBe(skipped.length * frame * 2);
    expect(server.metrics.render()).toMatch(/callsight_live_calls 0/);
  });

  it('serves the recording of a call that is still live, and its row says live', async () => {
    const controller = new AbortController();
    const running = simulateCall({
      url: server.wsUrl, file: FILE, protocol: 'native', codec: 'PCMU', speed: 1, maxDurationMs: 3000,
      metadata: { ...meta, externalId: 'live-rec' }, credentials: { apiKey }, signal: controller.signal,
    });
    const call = await waitForCall(admin, (c) => c.status === 'live');
    expect(call.recording).toBeNull();
    controller.abort();
    await running;
    const ended = await waitForCall(admin, (c) => c.id === call.id && c.status !== 'live');
    expect(ended.recording?.format).toBe('wav');
  });
});

describe('recording transcode and crash recovery', () => {
  it('stores a verified Ogg/Opus recording when ffmpeg is available', async () => {
    const server = await startTestServer();
    try {
      await seedDemo(server.db);
      const { apiKey } = await createTapKey(server.db, { name: 'rec' });
      const admin = await login(server.url, 'admin', 'admin-demo');
      const s = await simulateCall({
        url: server.wsUrl, file: FILE, protocol: 'native', codec: 'PCMU', speed: 0, maxDurationMs: 3000, metadata: meta, credentials: { apiKey },
      });
      const call = await waitForCall(admin, (c) => c.id === s.serverCallId && c.recording?.format === 'ogg');
      const res = await admin.get(call.recording!.url, { range: 'bytes=0-3' });
      expect(res.status).toBe(206);
      expect(res.headers.get('content-type')).toBe('audio/ogg');
      expect(Buffer.from(await res.arrayBuffer()).toString('latin1')).toBe('OggS');
      expect(existsSync(join(server.dataDir, 'recordings', `${call.id}.wav`))).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('after a crash: repairs the WAV the dead process left, marks its live call interrupted and links the recording', async () => {
    const first = await startTestServer({ nodeId: 'node-a' });
    const id = randomUUID();
    // What a killed process leaves: a live row and a WAV whose header still says 0 bytes of data.
    await first.db.query(
      `insert into calls (id, protocol, external_id, direction, status, started_at, sample_rate, node_id)
       values ($1, 'native', 'crashed', 'inbound', 'live', now() - interval '5 seconds', 8000, 'node-a')`, [id]);
    const other = randomUUID();
    await first.db.query(
      `insert into calls (id, protocol, external_id, direction, status, started_at, sample_rate, node_id)
       values ($1, 'native', 'elsewhere', 'inbound', 'live', now(), 8000, 'node-b')`, [other]);
    const dir = join(first.dataDir, 'recordings');
    mkdirSync(dir, { recursive: true });
    const data = Buffer.alloc(8000 * 4); // one second of stereo 16-bit
    for (let i = 0; i < data.length; i += 2) data.writeInt16LE(i % 1000, i);
    writeFileSync(join(dir, `${id}.wav`), Buffer.concat([wavHeader({ rate: 8000, channels: 2, dataBytes: 0 }), data]));
    // A second server on the same data directory and database plays the restarted process.
    const { startServer } = await import('../services/server/server.js');
    const { loadConfig } = await import('../services/config/index.js');
    const { createLogger } = await import('../services/core/index.js');
    const restarted = await startServer(
      loadConfig({}, { host: '127.0.0.1', port: 0, dataDir: first.dataDir, nodeId: 'node-a', logLevel: 'silent' }),
      { db: first.db, log: createLogger('silent') },
    );
    try {
      const rows = await first.db.query<{ id: string; status: string; recording_path: string | null; duration_ms: number }>(
        'select id, status, recording_path, duration_ms from calls order by external_id');
      expect(rows.find((r) => r.id === id)).toMatchObject({ status: 'interrupted', recording_path: `recordings/${id}.wav`, duration_ms: 1000 });
      expect(rows.find((r) => r.id === other)?.status).toBe('live');
      expect(readWavSamples(join(dir, `${id}.wav`)).left.length).toBe(8000);
    } finally {
      await restarted.close();
      await first.close();
    }
  });
});

/** Index of the first differing sample (or length mismatch), -1 when equal. */
function firstDifference(a: Int16Array, b: Int16Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}
