/**
 * The client side of `npm run bench:ingest`, run as its own process so its CPU is not counted as the server's:
 * N simulated calls over one protocol at real-time pace, started evenly over the ramp. Prints one JSON line.
 */
import { prepareCallMedia, simulateCall, type SimCodec, type SimSummary } from '../services/cli/sim/index.js';
import type { TapProtocol } from '../services/calls/index.js';

const env = process.env;
const calls = Number(env.BENCH_CALLS ?? 200);
const durationMs = Number(env.BENCH_DURATION_MS ?? 30_000);
const rampMs = Number(env.BENCH_RAMP_MS ?? 5_000);
const protocol = (env.BENCH_PROTOCOL ?? 'native') as TapProtocol;
const codec = (env.BENCH_CODEC ?? 'PCMU') as SimCodec;
const file = env.BENCH_FILE ?? 'test/fixtures/calls/support-good.ulaw.wav';
const media = await prepareCallMedia({ protocol, file, codec, maxDurationMs: durationMs });

const results = await Promise.allSettled(Array.from({ length: calls }, async (_, i) => {
  await new Promise((r) => setTimeout(r, (rampMs * i) / calls));
  return simulateCall({
    url: env.BENCH_URL!, protocol, media, codec, speed: 1, credentials: { apiKey: env.BENCH_API_KEY },
    metadata: { agentId: `bench-agent-${i % 40}`, queue: 'support', direction: 'inbound', language: 'en-US' },
  });
}));
const ok = results.filter((r): r is PromiseFulfilledResult<SimSummary> => r.status === 'fulfilled').map((r) => r.value);
const failed = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)).slice(0, 5);
const p95s = ok.map((s) => s.sendLag.p95Ms).sort((a, b) => a - b);
console.log(JSON.stringify({
  completed: ok.filter((s) => s.outcome === 'completed').length,
  outcomes: ok.reduce<Record<string, number>>((m, s) => ({ ...m, [s.outcome]: (m[s.outcome] ?? 0) + 1 }), {}),
  failed, lostFrames: ok.reduce((n, s) => n + s.lostFrames + s.skippedFrames, 0),
  framesSent: ok.reduce((n, s) => n + s.framesSent.agent + s.framesSent.customer, 0),
  sendLagP95MedianMs: p95s[Math.floor(p95s.length / 2)] ?? 0, sendLagP95WorstMs: p95s.at(-1) ?? 0,
}));
