/**
 * Scoring cost: the fixture calls' scripts (test/fixtures/calls/*.json lines as final segments, metrics from
 * computeConversationMetrics, sentiment from the English lexicon) evaluated against every default scorecard, N times;
 * a 10-minute call (a fixture script repeated); and, with --stored N, a re-score job over N calls stored in PGlite (or, with
 * --database-url, in a fresh database created on that PostgreSQL server and dropped afterwards).
 * Inputs are built once, as a stored call provides them: the numbers are the scoring itself.
 *
 *   npm run bench:scoring [-- --iterations 200] [-- --stored 10000 [--page-size 200] [--database-url postgres://…]]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createAccount } from '../services/auth/index.js';
import type { Channel } from '../services/calls/index.js';
import { createLogger } from '../services/core/index.js';
import { createInProcessBus } from '../services/live/index.js';
import { evaluateCall, loadScorecardDir, prepareCall, type EvaluationInput, type SegmentInput } from '../services/scoring/index.js';
import { createRescoreRunner, seedScorecards } from '../services/scoring/workflow/index.js';
import { computeConversationMetrics, createEnglishLexiconEngine, summarizeCallSentiment, type TranscriptSegment } from '../services/speech/index.js';
import pg from 'pg';
import { createStore, migrate, openPglite, openPostgres, type Db } from '../services/store/index.js';

interface FixtureLine { speaker: Channel; text: string; startMs: number; endMs: number }
interface FixtureCall { name: string; language: string; direction: 'inbound' | 'outbound'; queue: string; agentId: string; durationMs: number; lines: FixtureLine[] }

const { values: args } = parseArgs({ options: { iterations: { type: 'string', default: '200' }, stored: { type: 'string', default: '0' }, 'page-size': { type: 'string' }, 'database-url': { type: 'string' } } });
const iterations = Number(args.iterations);
const storedCalls = Number(args.stored);

const FIXTURES = new URL('../test/fixtures/calls/', import.meta.url);
const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort()
  .map((f) => JSON.parse(readFileSync(new URL(f, FIXTURES), 'utf8')) as FixtureCall);
const english = createEnglishLexiconEngine();

function inputOf(c: FixtureCall): EvaluationInput {
  const segments: (TranscriptSegment & SegmentInput)[] = c.lines.map((l, i) => ({
    id: `${c.name}-s${i}`, callId: c.name, utteranceId: `${c.name}-u${i}`, speaker: l.speaker, text: l.text,
    startMs: l.startMs, endMs: l.endMs, words: [], final: true, engine: 'script', language: c.language,
  }));
  return {
    call: { id: c.name, direction: c.direction, queue: c.queue, language: c.language, durationMs: c.durationMs, agentId: c.agentId },
    segments,
    metrics: computeConversationMetrics({ spans: c.lines, segments, endMs: c.durationMs }),
    sentiment: summarizeCallSentiment(segments.map((s) => ({ ...s, sentiment: english.score(s.text) }))),
  };
}

/** A fixture script repeated (times shifted) until it lasts `minutes`. */
function lengthen(c: FixtureCall, minutes: number): FixtureCall {
  const lines: FixtureLine[] = [];
  const target = minutes * 60_000;
  for (let offset = 0; offset < target; offset += c.durationMs) {
    for (const l of c.lines) if (offset + l.endMs <= target) lines.push({ ...l, startMs: l.startMs + offset, endMs: l.endMs + offset });
  }
  return { ...c, name: `${c.name}-${minutes}min`, durationMs: target, lines };
}

const cards = (await loadScorecardDir(fileURLToPath(new URL('../scorecards/', import.meta.url)))).map((l) => l.card);

function measure(label: string, inputs: EvaluationInput[], n: number): void {
  // Warm-up (JIT, caches of the card's phrases).
  for (const input of inputs) for (const card of cards) evaluateCall(card, prepareCall(input));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    for (const input of inputs) {
      const prepared = prepareCall(input);
      for (const card of cards) evaluateCall(card, prepared);
    }
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const calls = n * inputs.length;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(`${label}: ${calls} calls × ${cards.length} cards in ${(wallMs / 1000).toFixed(2)} s — ${(calls / (wallMs / 1000)).toFixed(0)} calls/s, ${(cpuMs / calls).toFixed(2)} ms CPU per call (all cards)`);
}

/** In-memory PGlite, or a new database on the PostgreSQL server of `url` (dropped by the returned close). */
async function openBenchDb(url: string | undefined): Promise<{ db: Db; label: string; close(): Promise<void> }> {
  if (!url) {
    const db = await openPglite('memory://');
    return { db, label: 'PGlite', close: () => db.close() };
  }
  const name = `callsight_bench_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try { await c.query(sql); } finally { await c.end(); }
  };
  await admin(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = await openPostgres(u.toString());
  return { db, label: 'PostgreSQL', async close() { await db.close(); await admin(`drop database if exists ${name} with (force)`); } };
}

async function storedRescore(n: number): Promise<void> {
  const bench = await openBenchDb(args['database-url']);
  const { db } = bench;
  await migrate(db);
  await seedScorecards(db);
  const store = createStore(db);
  const user = await createAccount(db, { username: 'bench', displayName: 'Bench', role: 'trainer', password: 'bench-password-not-used' });
  const agent = await store.agents.findOrCreate('agent-bench');
  const queue = await store.queues.findOrCreate('support');
  const base = fixtures.find((f) => f.name === 'support-good') ?? fixtures[0];
  const t0 = performance.now();
  const startedAt = Date.UTC(2025, 0, 1);
  // Stored in chunks (the calls as ended, as insert + finish would leave them; the segments through the repository).
  for (let first = 0; first < n; first += 500) {
    const chunk = Array.from({ length: Math.min(500, n - first) }, (_, k) => {
      const i = first + k;
      return { id: crypto.randomUUID(), external_id: `bench-${i}`, started_at: new Date(startedAt + i * 60_000), ended_at: new Date(startedAt + i * 60_000 + base.durationMs) };
    });
    await db.query(
      `insert into calls (id, protocol, external_id, direction, queue_id, agent_id, language, status, started_at, ended_at, duration_ms, sample_rate)
       select x.id, 'native', x.external_id, $2, $3, $4, $5, 'ended', x.started_at, x.ended_at, $6, 8000
       from jsonb_to_recordset($1::jsonb) as x(id uuid, external_id text, started_at timestamptz, ended_at timestamptz)`,
      [JSON.stringify(chunk), base.direction, queue.id, agent.id, base.language, base.durationMs],
    );
    await store.transcripts.saveSegments(chunk.flatMap((c) => base.lines.map((l, j) => ({
      callId: c.id, speaker: l.speaker, utteranceId: `u${j}`, text: l.text, startMs: l.startMs, endMs: l.endMs, engine: 'script', language: base.language, words: [],
    }))));
  }
  console.log(`stored ${n} calls in ${((performance.now() - t0) / 1000).toFixed(1)} s (setup, not measured)`);
  const pageSize = args['page-size'] ? Number(args['page-size']) : undefined;
  const runner = createRescoreRunner({ db, bus: createInProcessBus(), log: createLogger('warn'), pageSize });
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const cpu0 = process.cpuUsage();
  const t1 = performance.now();
  const job = await runner.start({ scorecardId: 'inbound-support-en', version: 1, from: new Date(startedAt), to: new Date(startedAt + n * 60_000 + 1), user });
  await runner.idle();
  const wallS = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  loopDelay.disable();
  const [row] = await db.query<{ done: number; failed: number; status: string }>('select status, done, failed from rescore_jobs where id = $1', [job.id]);
  console.log(`re-score job over ${n} stored calls (${bench.label}, one card${pageSize ? `, pages of ${pageSize}` : ''}): ${row.status}, ${row.done} done, ${row.failed} failed in ${wallS.toFixed(1)} s — ${(n / wallS).toFixed(0)} calls/s, ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms CPU per call; event loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms`);
  await runner.close();
  await bench.close();
}

console.log(`${fixtures.length} fixture calls, ${cards.length} default cards (${cards.map((c) => c.id).join(', ')})`);
measure('fixture scripts', fixtures.map(inputOf), iterations);
const long = lengthen(fixtures.find((f) => f.name === 'support-good') ?? fixtures[0], 10);
measure(`10-minute call (${long.lines.length} segments)`, [inputOf(long)], Math.max(10, Math.round(iterations / 4)));
if (storedCalls > 0) await storedRescore(storedCalls);
