/**
 * One contract for the event bus and the binary relay, run against every implementation: in-process and Redis
 * (Debian's redis-server, started here on a free port — missing, the suite fails: see helpers/redis.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTapKey } from '../services/auth/index.js';
import { simulateCall } from '../services/cli/sim/index.js';
import { loadConfig } from '../services/config/index.js';
import { createLogger } from '../services/core/index.js';
import {
  createInProcessBus, createInProcessRelay, createRedisBus, createRedisRelay, type BusEvent, type EventBus, type Relay,
} from '../services/live/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { startServer, type RunningServer } from '../services/server/server.js';
import { login } from './helpers/api-session.js';
import { openTestDb } from './helpers/db.js';
import { freePort, startRedis, stopRedis } from './helpers/redis.js';
import { startTestServer } from './helpers/server.js';

const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
const fast = { retryStrategy: () => 100 };

let redisPort = 0;
let redis: ChildProcess | undefined;
beforeAll(async () => {
  redisPort = await freePort();
  redis = await startRedis(redisPort);
});
afterAll(async () => { await stopRedis(redis); });
const redisUrl = () => `redis://127.0.0.1:${redisPort}`;

/** Waits until `check` passes (polling), failing with its last error after `ms`. */
async function until(check: () => void, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try { check(); return; } catch (err) { if (Date.now() > end) throw err; }
    await new Promise((r) => setTimeout(r, 10));
  }
}

const ev = (i: number, callId = 'c1', text = `line ${i}`): BusEvent => ({
  type: 'transcript.final', callId,
  segment: { callId, speaker: 'customer', utteranceId: `u${i}`, text, startMs: i * 1000, endMs: i * 1000 + 900, words: [], final: true, engine: 'test', language: 'en-US' },
});
const seqOf = (events: BusEvent[]) => events.map((e) => (e.type === 'transcript.final' ? e.segment.utteranceId : e.type));

interface BusImpl {
  name: string;
  /** Several buses that form one cluster ("nodes"); in process there is only ever one node. */
  multiNode: boolean;
  create(onHandlerError?: (err: unknown) => void): Promise<EventBus>;
}

const busImpls: BusImpl[] = [
  { name: 'in-process', multiNode: false, create: async (onErr) => createInProcessBus(onErr) },
  {
    name: 'redis', multiNode: true,
    async create(onErr) {
      const bus = createRedisBus({ url: redisUrl(), log, onHandlerError: onErr, channel: `test:${describeRun}`, redis: fast });
      await bus.ready;
      return bus;
    },
  },
];
const describeRun = Math.random().toString(36).slice(2);

describe.each(busImpls)('event bus contract: $name', (impl) => {
  it('delivers every event once, in publish order, intact (JSON-safe, Persian text included)', async () => {
    const bus = await impl.create();
    const got: BusEvent[] = [];
    bus.subscribe((e) => got.push(e));
    const sent = Array.from({ length: 300 }, (_, i) => ev(i, 'c1', i % 2 ? 'می‌خواهم با مدیر صحبت کنم' : `line ${i}`));
    for (const e of sent) bus.publish(e);
    bus.publish({ type: 'call.ended', callId: 'c1', at: new Date(0).toISOString(), status: 'ended', durationMs: 1234 });
    await until(() => expect(got).toHaveLength(301));
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toHaveLength(301);
    expect(got).toEqual([...sent, { type: 'call.ended', callId: 'c1', at: new Date(0).toISOString(), status: 'ended', durationMs: 1234 }]);
    await bus.close();
  });

  it('fans out to several subscribers and keeps the others going when one throws', async () => {
    const errors: unknown[] = [];
    const bus = await impl.create((err) => errors.push(err));
    const a: BusEvent[] = [];
    const b: BusEvent[] = [];
    const c: BusEvent[] = [];
    bus.subscribe((e) => a.push(e));
    bus.subscribe(() => { throw new Error('subscriber bug'); });
    bus.subscribe((e) => b.push(e));
    bus.subscribe((e) => c.push(e));
    for (let i = 0; i < 20; i++) expect(() => bus.publish(ev(i))).not.toThrow();
    await until(() => expect([a.length, b.length, c.length]).toEqual([20, 20, 20]));
    expect(seqOf(a)).toEqual(seqOf(b));
    expect(seqOf(a)).toEqual(seqOf(c));
    expect(errors).toHaveLength(20);
    await bus.close();
  });

  it('stops delivering to an unsubscribed handler only (unsubscribe is idempotent)', async () => {
    const bus = await impl.create();
    const kept: BusEvent[] = [];
    const gone: BusEvent[] = [];
    bus.subscribe((e) => kept.push(e));
    const off = bus.subscribe((e) => gone.push(e));
    bus.publish(ev(1));
    await until(() => expect(gone).toHaveLength(1));
    off();
    off();
    bus.publish(ev(2));
    bus.publish(ev(3));
    await until(() => expect(kept).toHaveLength(3));
    expect(seqOf(gone)).toEqual(['u1']);
    await bus.close();
  });

  it('after close, publishing is a no-op and nothing is delivered; close twice is fine', async () => {
    const bus = await impl.create();
    const got: BusEvent[] = [];
    bus.subscribe((e) => got.push(e));
    await bus.close();
    expect(() => bus.publish(ev(1))).not.toThrow();
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual([]);
    await bus.close();
  });

  it.runIf(impl.multiNode)('two nodes see each other\'s events, each exactly once, in each publisher\'s order', async () => {
    const [nodeA, nodeB] = [await impl.create(), await impl.create()];
    const onA: BusEvent[] = [];
    const onA2: BusEvent[] = [];
    const onB: BusEvent[] = [];
    nodeA.subscribe((e) => onA.push(e));
    nodeA.subscribe((e) => onA2.push(e));
    nodeB.subscribe((e) => onB.push(e));
    for (let i = 0; i < 100; i++) {
      nodeA.publish(ev(i, 'from-a'));
      nodeB.publish(ev(i, 'from-b'));
    }
    for (const got of [onA, onA2, onB]) {
      await until(() => expect(got).toHaveLength(200));
      const from = (id: string) => got.filter((e) => e.callId === id).map((e) => (e.type === 'transcript.final' ? e.segment.utteranceId : ''));
      const expected = Array.from({ length: 100 }, (_, i) => `u${i}`);
      expect(from('from-a')).toEqual(expected);
      expect(from('from-b')).toEqual(expected);
    }
    // No late echo on the publisher's node: B answers A's marker only after Redis delivered it, and Redis delivers
    // A's own copy (if it were not skipped) to A before B's answer.
    nodeB.subscribe((e) => { if (e.type === 'call.resumed' && e.callId === 'marker') nodeB.publish({ ...e, callId: 'answer' }); });
    nodeA.publish({ type: 'call.resumed', callId: 'marker', at: new Date().toISOString() });
    await until(() => expect(onA.some((e) => e.callId === 'answer')).toBe(true));
    expect(onA.filter((e) => e.callId === 'marker')).toHaveLength(1);
    expect(onA).toHaveLength(202);

    await nodeA.close();
    nodeB.publish(ev(999, 'after-a-closed'));
    await until(() => expect(onB.at(-1)?.callId).toBe('after-a-closed'));
    expect(onA).toHaveLength(202);
    await nodeB.close();
  });
});

describe('redis bus faults', () => {
  it('survives a Redis restart: publishing never throws, errors are logged, subscriptions come back', async () => {
    const port = await freePort();
    let server: ChildProcess | undefined = await startRedis(port);
    const lines: string[] = [];
    const memLog = pino({ level: 'info' }, { write: (s: string) => { lines.push(s); } });
    const url = `redis://127.0.0.1:${port}`;
    const drops: string[] = [];
    const a = createRedisBus({ url, log: memLog, redis: fast, onDropped: (r) => drops.push(r) });
    const b = createRedisBus({ url, log: memLog, redis: fast });
    await Promise.all([a.ready, b.ready]);
    const onB: BusEvent[] = [];
    const onA: BusEvent[] = [];
    b.subscribe((e) => onB.push(e));
    a.subscribe((e) => onA.push(e));
    a.publish(ev(1));
    await until(() => expect(onB).toHaveLength(1));

    await stopRedis(server);
    await until(() => expect(a.connected()).toBe(false));
    expect(() => a.publish(ev(2, 'during-outage'))).not.toThrow();
    expect(seqOf(onA)).toEqual(['u1', 'u2']); // this node's subscribers never depend on Redis
    await until(() => expect(lines.some((l) => l.includes('redis connection failed'))).toBe(true));

    server = await startRedis(port);
    await until(() => expect(a.connected() && b.connected()).toBe(true), 10_000);
    // The subscription is renewed after 'ready'; publish until one gets through.
    await until(() => {
      a.publish(ev(3, 'after-restart'));
      expect(onB.some((e) => e.callId === 'after-restart')).toBe(true);
    }, 10_000);
    expect(lines.some((l) => l.includes('redis connection restored'))).toBe(true);
    await a.close();
    await b.close();
    await stopRedis(server);
  }, 30_000);

  it('logs and skips malformed messages on the channel', async () => {
    const lines: string[] = [];
    const memLog = pino({ level: 'info' }, { write: (s: string) => { lines.push(s); } });
    const drops: string[] = [];
    const bus = createRedisBus({ url: redisUrl(), log: memLog, channel: 'test:malformed', onDropped: (r) => drops.push(r) });
    await bus.ready;
    const got: BusEvent[] = [];
    bus.subscribe((e) => got.push(e));
    const raw = new Redis(redisUrl());
    await raw.publish('test:malformed', 'not json {');
    await raw.publish('test:malformed', JSON.stringify({ o: 'someone', e: { no: 'type' } }));
    await raw.publish('test:malformed', JSON.stringify({ o: 'someone', e: ev(7) }));
    await until(() => expect(got).toHaveLength(1));
    expect(drops).toEqual(['malformed', 'malformed']);
    expect(lines.filter((l) => l.includes('malformed message'))).toHaveLength(2);
    raw.disconnect();
    await bus.close();
  });

  it('a bus pointed at an unreachable Redis still works locally and closes', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const bus = createRedisBus({ url, log, redis: fast });
    const got: BusEvent[] = [];
    bus.subscribe((e) => got.push(e));
    bus.publish(ev(1));
    expect(got).toHaveLength(1);
    expect(bus.connected()).toBe(false);
    await bus.close();

    const drops: string[] = [];
    const relay = createRedisRelay({ url, log, redis: fast, onDropped: (r) => drops.push(r) });
    const frames: Buffer[] = [];
    relay.subscribe('listen:c', (p) => frames.push(p));
    relay.publish('listen:c', Buffer.from([1, 2, 3]));
    expect(frames).toEqual([Buffer.from([1, 2, 3])]);
    expect(drops).toEqual(['unreachable']);
    await relay.close();
  });

  it('a server with REDIS_URL publishes its calls\' events to other nodes', async () => {
    const server = await startTestServer({ redisUrl: redisUrl() });
    const other = createRedisBus({ url: redisUrl(), log });
    await other.ready;
    try {
      const seen: BusEvent[] = [];
      other.subscribe((e) => seen.push(e));
      const { apiKey } = await createTapKey(server.db, { name: 'bus' });
      const sim = await simulateCall({
        url: server.wsUrl, file: 'test/fixtures/calls/support-good.wav', protocol: 'native', codec: 'L16', rate: 16000, speed: 0,
        maxDurationMs: 2000, metadata: { agentId: 'agent-9' }, credentials: { apiKey },
      });
      // The call's lifecycle events, in order (other events about the call — transcription status, scoring — may follow).
      const lifecycle = () => seen.filter((e) => e.callId === sim.serverCallId && e.type.startsWith('call.')).map((e) => e.type);
      await until(() => expect(lifecycle()).toEqual(['call.started', 'call.ended']));
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).not.toMatch(/callsight_bus_dropped_total\{/);
    } finally {
      await other.close();
      await server.close();
    }
  });
});

describe('two server nodes sharing a database and Redis', () => {
  it('route a call\'s events to the other node; the call\'s alerts are evaluated once, by the node holding it', async () => {
    const db = await openTestDb();
    const nodes: RunningServer[] = [];
    const dirs: string[] = [];
    try {
      for (const nodeId of ['node-a', 'node-b']) {
        const dataDir = mkdtempSync(join(tmpdir(), `callsight-${nodeId}-`));
        dirs.push(dataDir);
        const config = loadConfig({}, {
          host: '127.0.0.1', port: 0, dataDir, nodeId, redisUrl: redisUrl(), logLevel: 'silent', speech: { enabled: false },
        });
        nodes.push(await startServer(config, { log, db }));
      }
      const [a, b] = nodes;
      await seedDemo(db);
      const { apiKey } = await createTapKey(db, { name: 'two-nodes' });
      const onB: BusEvent[] = [];
      b.bus.subscribe((e) => onB.push(e));

      const stop = new AbortController();
      const run = simulateCall({
        url: a.url.replace(/^http/, 'ws'), file: 'test/fixtures/calls/support-good.wav', protocol: 'native', codec: 'L16', rate: 16000,
        speed: 1, metadata: { agentId: 'agent-1001' }, credentials: { apiKey }, signal: stop.signal,
      });
      await until(() => expect(onB.some((e) => e.type === 'call.started')).toBe(true));
      const callId = onB.find((e) => e.type === 'call.started')!.callId;
      expect(a.registry.get(callId)).toBeDefined();
      expect(b.registry.get(callId)).toBeUndefined();

      // A transcript event published on node B reaches node A, which holds the call and raises the alert once.
      b.bus.publish({
        type: 'transcript.final', callId,
        segment: { callId, speaker: 'customer', utteranceId: 'u1', text: 'I want to speak to a manager', startMs: 1000, endMs: 3000, words: [], final: true, engine: 'test', language: 'en-US' },
      });
      await until(() => expect(onB.filter((e) => e.type === 'alert.raised')).toHaveLength(1));
      const supervisor = await login(b.url, 'supervisor', 'supervisor-demo');
      const listed = await (await supervisor.get(`/api/alerts?callId=${callId}`)).json() as { items: { id: string; kind: string }[] };
      expect(listed.items).toHaveLength(1);
      expect(listed.items[0].kind).toBe('escalation-phrase');
      await new Promise((r) => setTimeout(r, 300));
      expect(onB.filter((e) => e.type === 'alert.raised')).toHaveLength(1);

      stop.abort();
      await run;
      await until(() => expect(onB.some((e) => e.type === 'call.ended' && e.callId === callId)).toBe(true));
    } finally {
      for (const n of nodes) await n.close();
      await db.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  }, 30_000);
});

interface RelayImpl { name: string; multiNode: boolean; create(): Relay }
const relayImpls: RelayImpl[] = [
  { name: 'in-process', multiNode: false, create: () => createInProcessRelay() },
  { name: 'redis', multiNode: true, create: () => createRedisRelay({ url: redisUrl(), log, prefix: `test:${describeRun}:relay:`, redis: fast }) },
];

describe.each(relayImpls)('relay contract: $name', (impl) => {
  const frame = (i: number, bytes = 160) => {
    const b = Buffer.alloc(bytes);
    b.writeUInt32BE(i, 0);
    for (let k = 4; k < bytes; k++) b[k] = (i + k) & 0xff;
    return b;
  };

  it('delivers binary payloads byte-exact, in order, only to the channel\'s subscribers', async () => {
    const relay = impl.create();
    const onX: Buffer[] = [];
    const onX2: Buffer[] = [];
    const onY: Buffer[] = [];
    relay.subscribe('listen:x', (p) => onX.push(Buffer.from(p)));
    relay.subscribe('listen:x', (p) => onX2.push(Buffer.from(p)));
    relay.subscribe('listen:y', (p) => onY.push(Buffer.from(p)));
    await relay.whenSubscribed();
    const sent = Array.from({ length: 200 }, (_, i) => frame(i));
    for (const f of sent) relay.publish('listen:x', f);
    relay.publish('listen:nobody', frame(0));
    await until(() => expect(onX).toHaveLength(200));
    await until(() => expect(onX2).toHaveLength(200));
    await new Promise((r) => setTimeout(r, 50));
    expect(onX).toEqual(sent);
    expect(onX2).toEqual(sent);
    expect(onY).toEqual([]);
    await relay.close();
  });

  it('unsubscribe stops delivery to that handler; the channel lives on while others listen', async () => {
    const relay = impl.create();
    const kept: Buffer[] = [];
    const gone: Buffer[] = [];
    relay.subscribe('inject:c', (p) => kept.push(p));
    const off = relay.subscribe('inject:c', (p) => gone.push(p));
    await relay.whenSubscribed();
    relay.publish('inject:c', frame(1));
    await until(() => expect(gone).toHaveLength(1));
    off();
    off();
    relay.publish('inject:c', frame(2));
    await until(() => expect(kept).toHaveLength(2));
    expect(gone).toHaveLength(1);
    await relay.close();
    expect(() => relay.publish('inject:c', frame(3))).not.toThrow();
  });

  it.runIf(impl.multiNode)('two nodes: payloads cross in both directions, exactly once on each', async () => {
    const a = impl.create();
    const b = impl.create();
    const onA: Buffer[] = [];
    const onB: Buffer[] = [];
    a.subscribe('listen:call-1', (p) => onA.push(Buffer.from(p)));
    b.subscribe('listen:call-1', (p) => onB.push(Buffer.from(p)));
    const whisperOnA: Buffer[] = [];
    a.subscribe('inject:call-1', (p) => whisperOnA.push(Buffer.from(p)));
    await Promise.all([a.whenSubscribed(), b.whenSubscribed()]);
    for (let i = 0; i < 50; i++) a.publish('listen:call-1', frame(i, 80));
    for (let i = 0; i < 50; i++) b.publish('inject:call-1', frame(1000 + i, 640));
    await until(() => expect(onB).toHaveLength(50));
    await until(() => expect(whisperOnA).toHaveLength(50));
    await new Promise((r) => setTimeout(r, 100));
    expect(onA).toHaveLength(50);
    expect(onB).toEqual(onA);
    expect(whisperOnA.map((p) => p.readUInt32BE(0))).toEqual(Array.from({ length: 50 }, (_, i) => 1000 + i));
    await Promise.all([a.close(), b.close()]);
  });
});
