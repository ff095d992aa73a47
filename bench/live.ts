/**
 * Live supervision benchmark: N concurrent simulated calls on one node, two supervisor listeners per call (the mix,
 * and the agent's leg), one of them whispering a tone into the call after a couple of seconds. The server runs in this
 * process with recording on; calls and supervisors run in a child process (bench/live-clients.ts).
 *
 *   npm run bench:live [-- --calls=50 --seconds=30 --streams=mixed,agent --encoder-workers=N --speech --redis]
 *
 * With --redis, two nodes share Debian's PostgreSQL and a redis-server started here: the calls are tapped into node A
 * (this process), the supervisors connect to node B (its own process), so listen audio, requests and whisper audio
 * all cross Redis (target: p95 under 80 ms).
 *
 * Prints, measured by the clients end to end (both WebSocket hops included, so an upper bound on what the server
 * adds): tap frame sent → the listener's Opus frame for it received, and supervisor frame sent → the injected frame
 * received on the tap, p50/p95/p99; the server's own view of the same paths from /metrics; drops, CPU, event-loop
 * delay; and the target check (p95 added latency under 40 ms on one node).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTapKey } from '../services/auth/index.js';
import { loadConfig } from '../services/config/index.js';
import { createLogger } from '../services/core/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { startServer } from '../services/server/server.js';
import { startNodeProcess } from '../test/helpers/node-process.js';
import { createDatabase, postgresServerUrl } from '../test/helpers/postgres.js';
import { freePort, startRedis, stopRedis } from '../test/helpers/redis.js';
import { runClients } from './run-clients.js';

const args = new Map(process.argv.slice(2).map((a) => { const [k, v] = a.replace(/^--/, '').split('='); return [k, v ?? 'true']; }));
const calls = Number(args.get('calls') ?? 50);
const seconds = Number(args.get('seconds') ?? 30);
/** What the two listeners of each call hear (the second one whispers). */
const streams = (args.get('streams') ?? 'mixed,agent').split(',');
const load0 = loadavg()[0];
const dataDir = mkdtempSync(join(tmpdir(), 'callsight-bench-live-'));
const config = loadConfig({}, {
  host: '127.0.0.1', port: 0, dataDir, logLevel: 'warn', recording: { transcode: false },
  speech: { enabled: args.has('speech') }, tap: { interruptGraceMs: 1000 },
  ...(args.has('encoder-workers') ? { live: { encoderWorkers: Number(args.get('encoder-workers')) } } : {}),
});
const viaRedis = args.has('redis');
const redisPort = viaRedis ? await freePort() : 0;
const redis = viaRedis ? await startRedis(redisPort) : undefined;
const redisUrl = viaRedis ? `redis://127.0.0.1:${redisPort}` : undefined;
// Two processes share PostgreSQL (PGlite belongs to one process): Debian's, started by scripts/start-postgres.sh.
const database = viaRedis ? await createDatabase(postgresServerUrl()) : undefined;
const server = await startServer({ ...config, nodeId: 'bench-a', redisUrl, databaseUrl: database?.url }, { log: createLogger('warn') });
const nodeB = viaRedis ? await startNodeProcess('bench-b', { DATABASE_URL: database!.url, REDIS_URL: redisUrl! }) : undefined;
const supervisorUrl = nodeB?.url ?? server.url;
await seedDemo(server.db);
const { apiKey } = await createTapKey(server.db, { name: 'bench-live' });
const login = await fetch(`${supervisorUrl}/api/auth/login`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-demo' }),
});
const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

const cpuB0 = nodeB?.cpuSeconds() ?? 0;
interface Quantiles { count: number; p50: number | null; p95: number | null; p99: number | null; max: number | null }
const { clients, wallS, cpuS, peakLive, loop } = await runClients<Record<string, unknown> & { listen: Quantiles; inject: Quantiles }>('bench/live-clients.ts', {
  BENCH_URL: server.url.replace(/^http/, 'ws'), BENCH_SUPERVISOR_URL: supervisorUrl.replace(/^http/, 'ws'), BENCH_API_KEY: apiKey, BENCH_COOKIE: cookie,
  BENCH_CALLS: String(calls), BENCH_DURATION_MS: String(seconds * 1000), BENCH_STREAMS: streams.join(','),
}, () => server.registry.live().length);
const cpuB = nodeB ? nodeB.cpuSeconds() - cpuB0 : 0;
const text = server.metrics.render() + (nodeB ? await (await fetch(`${nodeB.url}/metrics`)).text() : '');
const value = (re: RegExp) => [...text.matchAll(re)].reduce((sum, m) => sum + Number(m[1]), 0);
const serverQ = (name: string, p: string) => value(new RegExp(`^${name}\\{quantile="${p}"\\} (\\S+)`, 'gm')) * 1000;
const serverLine = (name: string) => ['0.5', '0.95', '0.99'].map((p) => `p${Number(p) * 100} ${serverQ(name, p).toFixed(3)}`).join(', ');
const byReason = (name: string) => Object.fromEntries([...text.matchAll(new RegExp(`^${name}\\{reason="([^"]+)"\\} (\\S+)`, 'gm'))].map((m) => [m[1], Number(m[2])]));
const ms = (v: number | null) => (v === null ? 'n/a' : v.toFixed(1));
const line = (q: Quantiles) => `p50 ${ms(q.p50)} ms, p95 ${ms(q.p95)} ms, p99 ${ms(q.p99)} ms, max ${ms(q.max)} ms (${q.count} frames)`;

console.log(viaRedis ? 'two nodes through Redis, sharing PostgreSQL: calls tapped into node A (this process), supervisors on node B (its own process)' : 'one node (PGlite)');
console.log(`calls ${calls} (peak live ${peakLive}), 2 listeners each (${streams.join(' + ')}), the second whispering; encoder threads ${config.live.encoderWorkers ?? 'auto'}; ${seconds} s each, wall ${wallS.toFixed(1)} s; speech ${config.speech.enabled ? 'on' : 'off'}, recording on; machine load average ${load0.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after (${availableParallelism()} cores)`);
console.log(`tap frame → listener frame (client, end to end): ${line(clients.listen)}`);
console.log(`supervisor frame → injected frame (client, end to end): ${line(clients.inject)}`);
console.log(`server: listen capture → socket ${serverLine('callsight_live_listen_latency_seconds')} ms; inject arrival → tap ${serverLine('callsight_live_inject_latency_seconds')} ms; tap frame handling ${serverLine('callsight_tap_frame_handling_seconds')} ms`);
console.log(`listen frames sent ${value(/^callsight_live_listen_frames_total (\S+)/gm)}, dropped ${value(/^callsight_live_listen_frames_dropped_total\{[^}]*\} (\S+)/gm)}; injected ${value(/^callsight_live_injected_frames_total (\S+)/gm)}, not injected ${JSON.stringify(byReason('callsight_live_injected_frames_dropped_total'))}; tap frames dropped ${value(/^callsight_tap_frames_dropped_total\{[^}]*\} (\S+)/gm)}`);
const nodeBCpu = nodeB ? `; node B ${cpuB.toFixed(2)} s = ${(100 * cpuB / wallS).toFixed(1)}% of one core` : '';
console.log(`server CPU ${cpuS.toFixed(2)} s = ${(100 * cpuS / wallS).toFixed(1)}% of one core${nodeBCpu}; (node A's) event loop delay p50 ${loop.p50.toFixed(1)} ms, p99 ${loop.p99.toFixed(1)} ms, max ${loop.max.toFixed(1)} ms`);
const { listen: _l, inject: _i, ...rest } = clients;
console.log(`clients ${JSON.stringify(rest)}`);
const targetMs = viaRedis ? 80 : 40;
const pass = calls >= 50 && (clients.listen.p95 ?? Infinity) < targetMs && (clients.inject.p95 ?? Infinity) < targetMs && clients.completed === calls;
console.log(`target (>=50 calls, p95 added latency < ${targetMs} ms for listen and inject${viaRedis ? ' through Redis' : ''}): ${pass ? 'met' : 'NOT met'}`);
await nodeB?.stop();
await server.close();
await database?.drop();
await stopRedis(redis);
rmSync(dataDir, { recursive: true, force: true });
