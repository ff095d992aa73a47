/**
 * Ingest benchmark: N concurrent simulated calls stream into a real server at real-time pace with recording on.
 * The server runs in this process, the simulated phone platform in a child process (its CPU is not the server's).
 *
 *   npm run bench:ingest [-- --calls=200 --seconds=30 --protocol=native|audiohook|twilio --codec=PCMU --transcode]
 *
 * Prints server CPU per call, tap frame handling latency (p50/p95/p99, arrival to timeline write), event-loop
 * delay, frames in and frames dropped, and the target check (≥200 calls, zero drops, p95 < 5 ms).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTapKey } from '../services/auth/index.js';
import { loadConfig } from '../services/config/index.js';
import { createLogger } from '../services/core/index.js';
import { startServer } from '../services/server/server.js';
import { runClients } from './run-clients.js';

const args = new Map(process.argv.slice(2).map((a) => { const [k, v] = a.replace(/^--/, '').split('='); return [k, v ?? 'true']; }));
const calls = Number(args.get('calls') ?? 200);
const seconds = Number(args.get('seconds') ?? 30);
const protocol = args.get('protocol') ?? 'native';
const dataDir = mkdtempSync(join(tmpdir(), 'callsight-bench-'));
const config = loadConfig({}, {
  host: '127.0.0.1', port: 0, dataDir, logLevel: 'warn', recording: { transcode: args.has('transcode') },
  tap: { interruptGraceMs: 1000 },
});
const server = await startServer(config, { log: createLogger('warn'), db: undefined });
const { apiKey } = await createTapKey(server.db, { name: 'bench' });

const { clients, wallS, cpuS, peakLive, loop } = await runClients<Record<string, unknown>>('bench/ingest-clients.ts', {
  BENCH_URL: server.url.replace(/^http/, 'ws'), BENCH_API_KEY: apiKey, BENCH_CALLS: String(calls),
  BENCH_DURATION_MS: String(seconds * 1000), BENCH_PROTOCOL: protocol, BENCH_CODEC: args.get('codec') ?? 'PCMU',
}, () => server.registry.live().length);

const text = server.metrics.render();
const value = (re: RegExp) => [...text.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
const q = (p: string) => value(new RegExp(`^callsight_tap_frame_handling_seconds\\{quantile="${p}"\\} (\\S+)`, 'gm')) * 1000;
const framesIn = value(/^callsight_tap_frames_total\{[^}]*\} (\S+)/gm);
const dropped = value(/^callsight_tap_frames_dropped_total\{[^}]*\} (\S+)/gm);
const gaps = (await server.db.query<{ n: string }>(`select coalesce(sum((stats->>'gapSamples')::bigint), 0) as n from calls`))[0].n;
const p95 = q('0.95');

console.log(`calls ${calls} (peak live ${peakLive}), ${protocol} ${args.get('codec') ?? 'PCMU'}, ${seconds} s each, wall ${wallS.toFixed(1)} s`);
console.log(`server CPU ${cpuS.toFixed(2)} s = ${(100 * cpuS / wallS).toFixed(1)}% of one core; per call ${(100 * cpuS / wallS / Math.max(1, peakLive)).toFixed(3)}% of a core`);
console.log(`frame handling p50 ${q('0.5').toFixed(3)} ms, p95 ${p95.toFixed(3)} ms, p99 ${q('0.99').toFixed(3)} ms`);
console.log(`event loop delay p50 ${loop.p50.toFixed(1)} ms, p99 ${loop.p99.toFixed(1)} ms, max ${loop.max.toFixed(1)} ms`);
console.log(`frames in ${framesIn}, dropped ${dropped}, gap samples filled ${gaps}; clients ${JSON.stringify(clients)}`);
const pass = calls >= 200 && dropped === 0 && Number(gaps) === 0 && p95 < 5 && clients.completed === calls;
console.log(`target (>=200 calls, zero drops, p95 < 5 ms): ${pass ? 'met' : 'NOT met'}`);
await server.close();
rmSync(dataDir, { recursive: true, force: true });
