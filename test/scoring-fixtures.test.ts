import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Channel } from '../services/calls/index.js';
import { evaluateApplicable, loadScorecardDir, type EvaluationInput, type SegmentInput } from '../services/scoring/index.js';
import { computeConversationMetrics, createEnglishLexiconEngine, summarizeCallSentiment, type TranscriptSegment } from '../services/speech/index.js';

/** A scripted fixture call (test/fixtures/calls/*.json) as far as scoring reads it. */
interface FixtureCall {
  name: string;
  language: string;
  direction: 'inbound' | 'outbound';
  queue: string;
  agentId: string;
  durationMs: number;
  flaws: string[];
  lines: Array<{ speaker: Channel; text: string; startMs: number; endMs: number }>;
}

const FIXTURE_DIR = new URL('./fixtures/calls/', import.meta.url);

function readFixtureCalls(): FixtureCall[] {
  return readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(readFileSync(new URL(f, FIXTURE_DIR), 'utf8')) as FixtureCall);
}

const english = createEnglishLexiconEngine();

/**
 * The evaluation input a stored call would give: the script lines as final segments (with store-like ids),
 * metrics from the lines as speech spans, sentiment from the English lexicon engine.
 */
function fixtureInput(c: FixtureCall): EvaluationInput {
  const segments: Array<TranscriptSegment & SegmentInput> = c.lines.map((l, i) => ({
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

const cards = (await loadScorecardDir(fileURLToPath(new URL('../scorecards/', import.meta.url)))).map((l) => l.card);
const calls = readFixtureCalls();

/**
 * The questions each fixture flaw must fail. The angry customer is the customer's doing: it shows in the
 * sentiment question only; escalation and cancellation requests are not agent faults.
 */
const FLAW_QUESTIONS: Record<string, string[]> = {
  no_greeting: ['greeting'],
  interruptions: ['active-listening'],
  long_silence: ['hold'],
  prohibited_language: ['prohibited-language'],
  no_closing: ['closing'],
  angry_customer: ['customer-sentiment'],
  escalation_request: [],
  cancellation_threat: [],
};

describe('fixture calls against the default scorecards', () => {
  it('covers every fixture call and flaw', () => {
    expect(calls.map((c) => c.name)).toEqual([
      'sales-outbound-good', 'support-angry-customer', 'support-good', 'support-interruptions', 'support-long-silence',
      'support-no-greeting', 'support-rude-agent',
    ]);
    for (const c of calls) for (const f of c.flaws) expect(FLAW_QUESTIONS).toHaveProperty(f);
  });

  it.each(calls.map((c) => [c.name, c] as const))('%s fails exactly the questions of its flaws', (_name, c) => {
    const evaluations = evaluateApplicable(cards, fixtureInput(c));
    expect(evaluations.map((e) => e.scorecardId)).toEqual([c.direction === 'outbound' ? 'outbound-sales' : 'inbound-support-en']);
    const [e] = evaluations;
    const failed = e.answers.filter((a) => a.outcome === 'fail').map((a) => a.questionId).sort();
    expect(failed).toEqual(c.flaws.flatMap((f) => FLAW_QUESTIONS[f]).sort());
    // Every automatic answer is sure and backed by evidence where it fails.
    for (const a of e.answers.filter((x) => x.outcome !== null)) {
      expect(a.outcome).not.toBe('unknown');
      expect(a.confidence).toBeGreaterThanOrEqual(0.7);
      if (a.outcome === 'fail') expect(a.evidence.length).toBeGreaterThan(0);
    }
    // Only the manual questions wait for a reviewer.
    expect(e.needsReview.every((id) => e.answers.find((a) => a.questionId === id)?.reviewReason === 'manual')).toBe(true);
    if (c.flaws.length === 0) expect(e.score).toMatchObject({ overall: 100, passed: true });
  });

  it('scores the rude agent 0 (critical) and points to the words and the missing close', () => {
    const c = calls.find((x) => x.name === 'support-rude-agent');
    const e = evaluateApplicable(cards, fixtureInput(c!))[0];
    expect(e.score).toMatchObject({ overall: 0, passed: false, autoFailed: true, criticalFailures: ['prohibited-language'] });
    const prohibited = e.answers.find((a) => a.questionId === 'prohibited-language');
    expect(prohibited?.evidence.map((x) => [x.segmentId, x.note])).toEqual([
      ['support-rude-agent-s6', 'prohibited "not my problem" (1.00)'],
      ['support-rude-agent-s8', 'prohibited "calm down" (1.00)'],
      ['support-rude-agent-s10', 'prohibited "whatever" (1.00)'],
    ]);
  });

  it('finds the unannounced silence in the long-silence call and the announced hold in the good call', () => {
    const hold = (name: string) => evaluateApplicable(cards, fixtureInput(calls.find((x) => x.name === name)!))[0].answers.find((a) => a.questionId === 'hold');
    expect(hold('support-long-silence')?.evidence[0]).toEqual({ startMs: 23_116, endMs: 36_116, note: 'silence 13.0 s: no hold request before it, no thanks for waiting after it' });
    expect(hold('support-good')?.evidence.map((x) => x.segmentId ?? x.note)).toEqual(['silence 8.2 s', 'support-good-s8', 'support-good-s10']);
  });
});