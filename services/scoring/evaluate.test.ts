import { describe, expect, it } from 'vitest';
import { appliesTo } from './applicability.js';
import { decidableAt } from './decidable.js';
import { evaluateApplicable, evaluateCall, evaluatePartial } from './evaluate.js';
import type { EvaluationInput } from './evaluation-types.js';
import { scorecardSchema } from './scorecard-schema.js';
import { callOf, cardWith, metricsOf, type Line } from './testing.js';
import type { Rule } from './types.js';

const LINES: Line[] = [
  ['agent', 1, 4, 'Thank you for calling Acme, my name is Sarah.'],
  ['customer', 5, 8, 'Hi, I have a billing question.'],
  ['agent', 20, 24, 'Calm down, please.'],
];
const CALL = callOf(LINES, { metrics: metricsOf() });
const said = (p: string): Rule => ({ type: 'phrase', speaker: 'agent', phrases: [p] });
const na: Rule = { type: 'hold', minSilence: 5, askWithin: 20, thankWithin: 10, ask: ['hold'], thank: ['thanks'] };
const unknownRule: Rule = { type: 'sentiment', speaker: 'customer', measure: 'end', min: 0 };
const outcome = (rule: Rule, input: EvaluationInput = CALL) => evaluateCall(cardWith([rule]), input).answers[0].outcome;

describe('combinators', () => {
  it('all: every applicable child passes; N/A children are skipped', () => {
    expect(outcome({ type: 'all', rules: [said('thank you'), said('my name is')] })).toBe('pass');
    expect(outcome({ type: 'all', rules: [said('thank you'), said('goodbye')] })).toBe('fail');
    expect(outcome({ type: 'all', rules: [said('thank you'), na] })).toBe('pass');
    expect(outcome({ type: 'all', rules: [na, na] })).toBe('na');
    expect(outcome({ type: 'all', rules: [said('thank you'), unknownRule] })).toBe('unknown');
    // A sure failure decides even when another part cannot be evaluated.
    expect(outcome({ type: 'all', rules: [said('goodbye'), unknownRule] })).toBe('fail');
  });

  it('any: one passing child is enough; its evidence is kept', () => {
    const a = evaluateCall(cardWith([{ type: 'any', rules: [said('goodbye'), said('my name is')] }]), CALL).answers[0];
    expect(a.outcome).toBe('pass');
    expect(a.evidence.map((e) => e.segmentId)).toEqual(['s0']);
    expect(outcome({ type: 'any', rules: [said('goodbye'), said('see you')] })).toBe('fail');
    expect(outcome({ type: 'any', rules: [said('goodbye'), unknownRule] })).toBe('unknown');
    expect(outcome({ type: 'any', rules: [said('my name is'), unknownRule] })).toBe('pass');
  });

  it('not: swaps pass and fail, keeps N/A and unknown', () => {
    expect(outcome({ type: 'not', rule: said('calm down') })).toBe('fail');
    expect(outcome({ type: 'not', rule: said('goodbye') })).toBe('pass');
    expect(outcome({ type: 'not', rule: na })).toBe('na');
    expect(outcome({ type: 'not', rule: unknownRule })).toBe('unknown');
  });

  it('named rules are shared between questions', () => {
    const card = cardWith([{ type: 'ref', name: 'intro' }, { type: 'not', rule: { type: 'ref', name: 'intro' } }], { rules: { intro: said('my name is') } });
    expect(evaluateCall(card, CALL).answers.map((a) => a.outcome)).toEqual(['pass', 'fail']);
  });
});

describe('automatic answers', () => {
  const card = scorecardSchema.parse({
    id: 'types', name: 'Types', passThreshold: 50,
    sections: [{ id: 's', title: 'S', weight: 100, questions: [
      { id: 'scale-pass', text: 't', type: 'scale', min: 1, max: 5, auto: said('my name is') },
      { id: 'scale-fail', text: 't', type: 'scale', min: 1, max: 5, auto: said('goodbye') },
      { id: 'points-fail', text: 't', type: 'points', max: 10, auto: said('goodbye') },
      { id: 'na-allowed', text: 't', type: 'yes-no', na: true, auto: na },
      { id: 'na-not-allowed', text: 't', type: 'yes-no', auto: na },
      { id: 'manual', text: 't', type: 'yes-no' },
    ] }],
  });

  it('pass → the best answer, fail → the worst, N/A only where allowed, the rest to review', () => {
    const e = evaluateCall(card, CALL);
    expect(e.answers.map((a) => [a.questionId, a.value, a.needsReview, a.reviewReason])).toEqual([
      ['scale-pass', 5, false, null],
      ['scale-fail', 1, false, null],
      ['points-fail', 0, false, null],
      ['na-allowed', 'na', false, null],
      ['na-not-allowed', null, true, 'na-not-allowed'],
      ['manual', null, true, 'manual'],
    ]);
    expect(e.needsReview).toEqual(['na-not-allowed', 'manual']);
    // (1 + 0 + 0) / 3 scored questions
    expect(e.score.overall).toBeCloseTo(100 / 3, 10);
    expect(e.score.pending).toEqual(['na-not-allowed', 'manual']);
    expect(e.score.complete).toBe(false);
  });

  it('a critical automatic failure zeroes the evaluation', () => {
    const c = scorecardSchema.parse({
      id: 'crit', name: 'Crit', passThreshold: 50,
      sections: [{ id: 's', title: 'S', weight: 100, questions: [
        { id: 'greet', text: 'g', type: 'yes-no', weight: 9, auto: said('thank you for calling') },
        { id: 'clean', text: 'c', type: 'yes-no', critical: true, auto: { type: 'prohibited', speaker: 'agent', phrases: ['calm down'] } },
      ] }],
    });
    const e = evaluateCall(c, CALL);
    expect(e.score).toMatchObject({ overall: 0, rawOverall: 90, passed: false, autoFailed: true, criticalFailures: ['clean'] });
    expect(e.answers[1].evidence[0]).toMatchObject({ segmentId: 's2', startMs: expect.any(Number) });
  });
});

describe('applicability', () => {
  const card = (appliesTo: object) => cardWith([said('x')], { appliesTo });
  const call = { id: 'c', direction: 'inbound' as const, queue: 'billing', language: 'en-GB' };
  it.each([
    [{}, true],
    [{ directions: ['inbound'] }, true],
    [{ directions: ['outbound'] }, false],
    [{ queues: ['support', 'billing'] }, true],
    [{ queues: ['sales'] }, false],
    [{ languages: ['en'] }, true],
    [{ languages: ['en-US'] }, false],
    [{ languages: ['fa'] }, false],
    [{ departments: ['care'] }, false],
    [{ directions: ['inbound'], queues: ['billing'], languages: ['fa', 'en'] }, true],
  ])('%j → %s', (a, expected) => {
    expect(appliesTo(card(a), call)).toBe(expected);
  });

  it('evaluateApplicable scores only the cards that apply', () => {
    const cards = [cardWith([said('x')], { id: 'in', appliesTo: { directions: ['inbound'] } }), cardWith([said('x')], { id: 'out', appliesTo: { directions: ['outbound'] } })];
    expect(evaluateApplicable(cards, CALL).map((e) => [e.scorecardId, e.applicable])).toEqual([['in', true]]);
  });
});

describe('live checks', () => {
  const greeting: Rule = { type: 'phrase', speaker: 'agent', phrases: ['thank you for calling'], within: { first: 15 } };
  const closing: Rule = { type: 'phrase', speaker: 'agent', phrases: ['goodbye'], within: { last: 20 } };
  const prohibited: Rule = { type: 'prohibited', speaker: 'agent', phrases: ['calm down'] };
  const interruptions: Rule = { type: 'metric', metric: 'agentInterruptions', max: 1 };

  it('decidableAt: a first-N-s window decides at N s; the rest at the call end', () => {
    expect(decidableAt(greeting)).toBe(15_000);
    expect(decidableAt({ type: 'all', rules: [greeting, { ...greeting, within: { first: 30 } }] })).toBe(30_000);
    expect(decidableAt({ type: 'not', rule: greeting })).toBe(15_000);
    expect(decidableAt({ type: 'all', rules: [greeting, closing] })).toBeNull();
    expect(decidableAt(prohibited)).toBeNull();
    expect(decidableAt(interruptions)).toBeNull();
    expect(decidableAt({ type: 'metadata', field: 'queue', in: ['x'] })).toBe(0);
    expect(decidableAt({ type: 'ref', name: 'g' }, { g: greeting })).toBe(15_000);
  });

  it('a greeting not said in the first 15 s is settled as missed once 15 s have passed', () => {
    const card = cardWith([greeting]);
    const noGreeting = callOf([['agent', 1, 4, "Okay, what's the problem?"]]);
    expect(evaluatePartial(card, noGreeting, 10_000)[0]).toMatchObject({ outcome: 'fail', settled: false, decidableAtMs: 15_000 });
    expect(evaluatePartial(card, noGreeting, 15_000)[0]).toMatchObject({ outcome: 'fail', settled: true });
    // Said: settled as soon as it is heard.
    expect(evaluatePartial(card, CALL, 5_000)[0]).toMatchObject({ outcome: 'pass', settled: true });
    // Nothing recognised yet: unknown, not a miss.
    expect(evaluatePartial(card, callOf([]), 5_000)[0]).toMatchObject({ outcome: 'unknown', settled: false });
  });

  it('a prohibited phrase settles the failure at once; its absence only at the end', () => {
    const card = cardWith([prohibited]);
    expect(evaluatePartial(card, CALL, 25_000)[0]).toMatchObject({ outcome: 'fail', settled: true });
    expect(evaluatePartial(card, callOf(LINES.slice(0, 2)), 10_000)[0]).toMatchObject({ outcome: 'pass', settled: false });
  });

  it('a last-N-s window never settles before the end; it ends at "now" meanwhile', () => {
    const card = cardWith([closing]);
    const early = callOf([['agent', 1, 3, 'goodbye']]);
    expect(evaluatePartial(card, early, 10_000)[0]).toMatchObject({ outcome: 'pass', settled: false });
    expect(evaluatePartial(card, early, 60_000)[0]).toMatchObject({ outcome: 'fail', settled: false });
  });

  it('a monotone metric above its maximum is settled', () => {
    const card = cardWith([interruptions]);
    const two = metricsOf({ interruptions: [{ by: 'agent', of: 'customer', atMs: 1000, overlapMs: 900 }, { by: 'agent', of: 'customer', atMs: 5000, overlapMs: 900 }] });
    expect(evaluatePartial(card, callOf([], { metrics: two }), 6_000)[0]).toMatchObject({ outcome: 'fail', settled: true });
    expect(evaluatePartial(card, callOf([], { metrics: metricsOf() }), 6_000)[0]).toMatchObject({ outcome: 'pass', settled: false });
  });

  it('all settles on a settled failure, any on a settled pass', () => {
    const all = cardWith([{ type: 'all', rules: [prohibited, closing] }]);
    expect(evaluatePartial(all, CALL, 25_000)[0]).toMatchObject({ outcome: 'fail', settled: true });
    const any = cardWith([{ type: 'any', rules: [greeting, closing] }]);
    expect(evaluatePartial(any, CALL, 5_000)[0]).toMatchObject({ outcome: 'pass', settled: true });
  });

  it('rejects an invalid time', () => {
    expect(() => evaluatePartial(cardWith([greeting]), CALL, -1)).toThrow(/nowMs/);
  });
});
