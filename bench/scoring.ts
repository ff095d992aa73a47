/**
 * Scoring cost: the fixture calls' scripts (test/fixtures/calls/*.json lines as final segments, metrics from
 * computeConversationMetrics, sentiment from the English lexicon) evaluated against every default scorecard, N times;
 * a 10-minute call (a fixture script repeated); and, with --stored N, a re-score job over N calls stored in PGlite.
 * Inputs are built once, as a stored call provides them: the numbers are the scoring itself.
 *
 *   npm run bench:scoring [-- --iterations 200] [-- --stored 10000]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAccount } from '../services/auth/index.js';
import type { Channel } from '../services/calls/index.js';
import { createLogger } from '../services/core/index.js';
import { createInProcessBus } from '../services/live/index.js';
import { evaluateCall, loadScorecardDir, prepareCall, type EvaluationInput, type SegmentInput } from '../services/scoring/index.js';
import { createRescoreRunner, seedScorecards } from '../services/scoring/workflow/index.js';
import { computeConversationMetrics, createEnglishLexiconEngine, summarizeCallSentiment, type TranscriptSegment } from '../services/speech/index.js';
import { createStore, migrate, openPglite, type Db } from '../services/store/index.js';

interface FixtureLine { speaker: Channel; text: string; startMs: number; endMs: number }
interface FixtureCall { name: string; language: string; direction: 'inbound' | 'outbound'; queue: string; agentId: string; durationMs: number; lines: FixtureLine[] }

const { values: args } = parseArgs({ options: { iterations: { type: 'string', default: '200' }, stored: { type: 'string', default: '0' } } });
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

async function storedRescore(n: number): Promise<void> {
  const db: Db = await openPglite('memory://');
  await migrate(db);
  await seedScorecards(db);
  const store = createStore(db);
  const user = await createAccount(db, { username: 'bench', displayName: 'Bench', role: 'trainer', password: 'bench-password-not-used' });
  const agent = await store.agents.findOrCreate('agent-bench');
  const queue = await store.queues.findOrCreate('support');
  const base = fixtures.find((f) => f.name === 'support-good') ?? fixtures[0];
  const t0 = performance.now();
  const startedAt = Date.UTC(2025, 0, 1);
  for (let i = 0; i < n; i++) {
    const id = crypto.randomUUID();
    await store.calls.insert({
      id, protocol: 'native', externalId: `bench-${i}`, direction: base.direction, startedAt: new Date(startedAt + i * 60_000), sampleRate: 8000,
      agentId: agent.id, queueId: queue.id, language: base.language,
    });
    await store.transcripts.saveSegments(base.lines.map((l, j) => ({ callId: id, speaker: l.speaker, utteranceId: `u${j}`, text: l.text, startMs: l.startMs, endMs: l.endMs, engine: 'script', language: base.language, words: [] })));
    await store.calls.finish(id, { status: 'ended', endedAt: new Date(startedAt + i * 60_000 + base.durationMs), durationMs: base.durationMs });
  }
  console.log(`stored ${n} calls in ${((performance.now() - t0) / 1000).toFixed(1)} s (setup, not measured)`);
  const runner = createRescoreRunner({ db, bus: createInProcessBus(), log: createLogger('warn') });
  const cpu0 = process.cpuUsage();
  const t1 = performance.now();
  const job = await runner.start({ scorecardId: 'inbound-support-en', version: 1, from: new Date(startedAt), to: new Date(startedAt + n * 60_000 + 1), user });
  await runner.idle();
  const wallS = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const [row] = await db.query<{ done: number; failed: number; status: string }>('select status, done, failed from rescore_jobs where id = $1', [job.id]);
  console.log(`re-score job over ${n} stored calls (PGlite, one card): ${row.status}, ${row.done} done, ${row.failed} failed in ${wallS.toFixed(1)} s — ${(n / wallS).toFixed(0)} calls/s, ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms CPU per call`);
  await runner.close();
  await db.close();
}

console.log(`${fixtures.length} fixture calls, ${cards.length} default cards (${cards.map((c) => c.id).join(', ')})`);
measure('fixture scripts', fixtures.map(inputOf), iterations);
const long = lengthen(fixtures.find((f) => f.name === 'support-good') ?? fixtures[0], 10);
measure(`10-minute call (${long.lines.length} segments)`, [inputOf(long)], Math.max(10, Math.round(iterations / 4)));
if (storedCalls > 0) await storedRescore(storedCalls);
