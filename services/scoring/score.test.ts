import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/index.js';
import { scorecardSchema } from './scorecard-schema.js';
import { normalizeAnswer, scoreAnswers, type Answers } from './score.js';

/**
 * Section A (60): a1 yes-no ×2, a2 scale 1–5 ×1, a3 points 0–10 ×1 (N/A allowed).
 * Section B (40): b1 yes-no ×1 critical, b2 yes-no ×3 (N/A allowed).
 */
const card = (passThreshold = 75) => scorecardSchema.parse({
  id: 'arith', name: 'Arithmetic', passThreshold,
  sections: [
    { id: 'a', title: 'A', weight: 60, questions: [
      { id: 'a1', text: 'a1', type: 'yes-no', weight: 2 },
      { id: 'a2', text: 'a2', type: 'scale', min: 1, max: 5 },
      { id: 'a3', text: 'a3', type: 'points', max: 10, na: true },
    ] },
    { id: 'b', title: 'B', weight: 40, questions: [
      { id: 'b1', text: 'b1', type: 'yes-no', critical: true },
      { id: 'b2', text: 'b2', type: 'yes-no', weight: 3, na: true },
    ] },
  ],
});

const best: Answers = { a1: 'yes', a2: 5, a3: 10, b1: 'yes', b2: 'yes' };
const percents = (answers: Answers, threshold?: number) => scoreAnswers(card(threshold), answers).sections.map((s) => s.percent);

describe('scoreAnswers', () => {
  it('all best answers score 100 and pass', () => {
    const r = scoreAnswers(card(), best);
    expect(r).toMatchObject({ overall: 100, rawOverall: 100, passed: true, autoFailed: false, criticalFailures: [], pending: [], complete: true });
  });

  it('weights questions within a section and sections within the card', () => {
    // A: (2·0 + 1·(4−1)/(5−1) + 1·5/10) / 4 = 1.25 / 4 = 31.25 %; B: (1·1 + 3·0) / 4 = 25 %.
    const r = scoreAnswers(card(), { a1: 'no', a2: 4, a3: 5, b1: 'yes', b2: 'no' });
    expect(r.sections.map((s) => [s.earned, s.possible, s.percent])).toEqual([[1.25, 4, 31.25], [1, 4, 25]]);
    expect(r.sections[0].questions.map((q) => q.normalized)).toEqual([0, 0.75, 0.5]);
    // 0.6 · 31.25 + 0.4 · 25 = 18.75 + 10
    expect(r.overall).toBeCloseTo(28.75, 10);
    expect(r.passed).toBe(false);
  });

  it('removes N/A from the denominator', () => {
    // A: (2·1 + 1·0.5) / 3 = 83.33 %; B: b1 only → 100 %. Overall 0.6 · 83.33 + 0.4 · 100 = 90.
    const r = scoreAnswers(card(), { a1: 'yes', a2: 3, a3: 'na', b1: 'yes', b2: 'na' });
    expect(r.sections[0]).toMatchObject({ earned: 2.5, possible: 3 });
    expect(r.sections[0].percent).toBeCloseTo(250 / 3, 10);
    expect(r.sections[0].questions[2]).toMatchObject({ status: 'na', earned: 0, possible: 0, normalized: null });
    expect(r.sections[1]).toMatchObject({ earned: 1, possible: 1, percent: 100 });
    expect(r.overall).toBeCloseTo(90, 10);
  });

  it('renormalises section weights over the sections that have scored questions; pending answers wait', () => {
    const r = scoreAnswers(card(), { a1: 'yes', a2: 3, a3: 'na', b2: 'na' });
    expect(percents({ a1: 'yes', a2: 3, a3: 'na', b2: 'na' })[1]).toBeNull();
    expect(r.overall).toBeCloseTo(250 / 3, 10);
    expect(r.pending).toEqual(['b1']);
    expect(r.complete).toBe(false);
    expect(r.sections[1].questions[0]).toMatchObject({ status: 'pending', value: null, possible: 0 });
  });

  it('auto-fails the whole evaluation to 0 when a critical question is "no"', () => {
    const r = scoreAnswers(card(), { ...best, b1: 'no' });
    // Before auto-fail: A 100 %, B 3/4 = 75 % → 0.6·100 + 0.4·75 = 90.
    expect(r.rawOverall).toBeCloseTo(90, 10);
    expect(r).toMatchObject({ overall: 0, passed: false, autoFailed: true, criticalFailures: ['b1'] });
    expect(r.sections.map((s) => s.percent)).toEqual([100, 75]);
  });

  it('passes at exactly the threshold (despite float error) and fails just below it', () => {
    const answers: Answers = { a1: 'yes', a2: 3, a3: 'na', b1: 'yes', b2: 'na' }; // 90
    expect(scoreAnswers(card(90), answers).passed).toBe(true);
    expect(scoreAnswers(card(90.001), answers).passed).toBe(false);
    expect(scoreAnswers(card(0), { a1: 'no', a2: 1, a3: 0, b1: 'yes', b2: 'no' })).toMatchObject({ passed: true });
  });

  it('has no score and no verdict before anything is answered', () => {
    const r = scoreAnswers(card(), {});
    expect(r).toMatchObject({ overall: null, rawOverall: null, passed: null, autoFailed: false, complete: false });
    expect(r.pending).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
  });

  it('normalises scale and points answers to 0–1', () => {
    const c = scorecardSchema.parse({
      id: 'n', name: 'N', passThreshold: 50,
      sections: [{ id: 's', title: 'S', weight: 100, questions: [
        { id: 'zero-based', text: 'z', type: 'scale', min: 0, max: 4 },
        { id: 'pts', text: 'p', type: 'points', max: 8 },
      ] }],
    });
    const [z, p] = c.sections[0].questions;
    expect([0, 1, 2, 3, 4].map((v) => normalizeAnswer(z, v))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect([0, 2.5, 8].map((v) => normalizeAnswer(p, v))).toEqual([0, 0.3125, 1]);
    // (1·0.75 + 1·0.3125) / 2
    expect(scoreAnswers(c, { 'zero-based': 3, pts: 2.5 }).overall).toBeCloseTo(53.125, 10);
  });

  it.each([
    ['N/A where it is not allowed', { a1: 'na' }, /N\/A is not allowed/],
    ['a number for a yes-no question', { a1: 1 }, /expected yes, no/],
    ['a scale value out of range', { a2: 6 }, /whole number 1–5/],
    ['a fractional scale value', { a2: 2.5 }, /whole number 1–5/],
    ['"yes" for a points question', { a3: 'yes' }, /0–10 points/],
    ['too many points', { a3: 11 }, /0–10 points/],
    ['an unknown question', { zz: 'yes' }, /no question "zz"/],
  ] as const)('rejects %s', (_name, answers, message) => {
    expect(() => scoreAnswers(card(), answers as Answers)).toThrow(ValidationError);
    expect(() => scoreAnswers(card(), answers as Answers)).toThrow(message);
  });
});
