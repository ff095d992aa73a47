import { describe, expect, it } from 'vitest';
import { evaluateCall } from './evaluate.js';
import type { EvaluationInput } from './evaluation-types.js';
import { callOf, cardWith, wordsOf, type Line } from './testing.js';
import type { Rule } from './types.js';

const LINES: Line[] = [
  ['agent', 0.5, 4, 'Thank you for calling Acme, my name is Sarah, how can I help you?'],
  ['customer', 5, 9, 'Hi, my internet is down again.'],
  ['agent', 10, 14, "I'm sorry to hear that. Can I have your account number, please?"],
  ['customer', 15, 17, 'Four five six.'],
  ['agent', 20, 25, 'Calm down, sir. Whatever.'],
  ['agent', 50, 55, 'Is there anything else I can help you with? Thanks for calling, goodbye.'],
];
const CALL = callOf(LINES); // durationMs 56 000

/** The automatic answer of a one-question card with `rule`. */
const answer = (rule: Rule, input: EvaluationInput = CALL) => evaluateCall(cardWith([rule]), input).answers[0];
const phrase = (phrases: string[], extra: Partial<Extract<Rule, { type: 'phrase' }>> = {}): Rule => ({ type: 'phrase', speaker: 'agent', phrases, ...extra });

describe('phrase rule', () => {
  it('passes with the segment, time, matched text and confidence as evidence', () => {
    const a = answer(phrase(['my name is', 'this is']));
    expect(a).toMatchObject({ outcome: 'pass', value: 'yes', confidence: 1, needsReview: false });
    expect(a.evidence).toHaveLength(1);
    const [e] = a.evidence;
    expect(e).toMatchObject({ segmentId: 's0', utteranceId: 'u0', speaker: 'agent', text: LINES[0][3], note: 'matched "my name is" (1.00)' });
    // Without word timings the time is interpolated within the segment.
    expect(e.startMs).toBeGreaterThan(500);
    expect(e.endMs).toBeLessThan(4000);
    expect(e.startMs).toBeLessThan(e.endMs);
  });

  it('listens to the given speaker only', () => {
    expect(answer(phrase(['my internet'])).outcome).toBe('fail');
    expect(answer(phrase(['my internet'], { speaker: 'customer' })).outcome).toBe('pass');
    expect(answer(phrase(['my internet'], { speaker: 'any' })).outcome).toBe('pass');
  });

  it('respects first and last windows and reports a phrase said outside the window', () => {
    expect(answer(phrase(['thank you for calling'], { within: { first: 15 } })).outcome).toBe('pass');
    const late = answer(phrase(['anything else'], { within: { first: 15 } }));
    expect(late).toMatchObject({ outcome: 'fail', value: 'no', confidence: 1 });
    expect(late.evidence[0]).toMatchObject({ segmentId: 's5' });
    expect(late.evidence[0].note).toMatch(/said outside the window in the first 15 s/);
    expect(answer(phrase(['anything else'], { within: { last: 10 } })).outcome).toBe('pass');
    // "last" counts back from the call duration (56 s): 14 s is not in the last 30 s.
    expect(answer(phrase(['account number'], { within: { last: 30 } })).outcome).toBe('fail');
    expect(answer(phrase(['account number'], { within: { last: 30 } }), { ...CALL, call: { ...CALL.call, durationMs: 40_000 } }).outcome).toBe('pass');
  });

  it('tolerates recognition errors, with the similarity as confidence', () => {
    const asr = callOf([['agent', 0.5, 4, 'thank you for coming acme my name is sarah']]);
    const a = answer(phrase(['thank you for calling acme']), asr);
    expect(a.outcome).toBe('pass');
    expect(a.confidence).toBeCloseTo(1 - 3 / 26, 6);
    expect(answer(phrase(['thank you for calling acme']), callOf([['agent', 0, 3, 'the weather is fine today']]))).toMatchObject({ outcome: 'fail', confidence: 1 });
  });

  it('sends a near miss to review: a "no" that might be a "yes"', () => {
    const a = answer(phrase(['thank you for calling acme']), callOf([['agent', 0, 3, 'thank ya for coming acne']]));
    expect(a).toMatchObject({ outcome: 'fail', value: 'no', needsReview: true, reviewReason: 'low-confidence' });
    // similarity 20/26 = 0.769, 0.069 into the 0.1 near-miss band → 1 − 0.5 · 0.69
    expect(a.confidence).toBeCloseTo(1 - 0.5 * ((20 / 26 - 0.7) / 0.1), 6);
    expect(a.evidence[0].note).toMatch(/closest: "thank you for calling acme" \(0.77\), below 0.8/);
  });

  it('uses word timings and recogniser confidence when the engine gives them', () => {
    const text = 'hello thank you for calling acme';
    const input: EvaluationInput = { ...callOf([]), segments: [{ id: 'w1', utteranceId: 'uw', speaker: 'agent', startMs: 1000, endMs: 7000, text, words: wordsOf(text, 1000, 7000, 0.6) }] };
    const a = answer(phrase(['thank you for calling']), input);
    expect(a).toMatchObject({ outcome: 'pass', confidence: 0.6, needsReview: true, reviewReason: 'low-confidence' });
    expect(a.evidence[0]).toMatchObject({ startMs: 2000, endMs: 6000 });
  });

  it('matches Persian phrases across spelling variants (ي/ك, ZWNJ, spaced می)', () => {
    const fa = callOf([['agent', 1, 5, 'سلام، وقت بخير. كد ملي خود را بفرمايید. اجازه مي دهيد چند لحظه'], ['agent', 6, 8, 'ممنون از صبر شما']], { call: { id: 'fa', language: 'fa-IR', durationMs: 9000 } });
    expect(answer(phrase(['کد ملی']), fa).outcome).toBe('pass');
    expect(answer(phrase(['اجازه می‌دهید']), fa).outcome).toBe('pass');
    expect(answer(phrase(['وقت بخیر'], { within: { first: 3 } }), fa).outcome).toBe('pass');
    expect(answer(phrase(['شماره اشتراک']), fa).outcome).toBe('fail');
  });

  it('reads only the latest final of each utterance', () => {
    const input: EvaluationInput = {
      ...callOf([]),
      segments: [
        { id: 'p', utteranceId: 'x', speaker: 'agent', startMs: 0, endMs: 1000, text: 'thank you for calling', final: false },
        { id: 'f1', utteranceId: 'y', speaker: 'agent', startMs: 0, endMs: 1000, text: 'goodbye' },
        { id: 'f2', utteranceId: 'y', speaker: 'agent', startMs: 0, endMs: 1000, text: 'good morning' },
      ],
    };
    expect(answer(phrase(['thank you for calling']), input).outcome).toBe('fail');
    expect(answer(phrase(['goodbye']), input).outcome).toBe('fail');
    expect(answer(phrase(['good morning']), input).evidence[0].segmentId).toBe('f2');
  });

  it('is not evaluable without a transcript: the question goes to review, never silently passed or failed', () => {
    for (const segments of [null, [], [{ speaker: 'agent' as const, startMs: 0, endMs: 1, text: 'hi', final: false }]]) {
      for (const rule of [phrase(['hello']), { type: 'prohibited', speaker: 'agent', phrases: ['whatever'] } as Rule]) {
        expect(answer(rule, { ...CALL, segments })).toMatchObject({ outcome: 'unknown', value: null, needsReview: true, reviewReason: 'not-evaluable' });
      }
    }
  });
});

describe('prohibited rule', () => {
  it('fails with every occurrence as evidence', () => {
    const a = answer({ type: 'prohibited', speaker: 'agent', phrases: ['calm down', 'whatever', 'not my problem'] });
    expect(a).toMatchObject({ outcome: 'fail', value: 'no', confidence: 1 });
    expect(a.evidence.map((e) => [e.segmentId, e.note])).toEqual([['s4', 'prohibited "calm down" (1.00)'], ['s4', 'prohibited "whatever" (1.00)']]);
    expect(a.detail).toContain('"calm down" (1.00), "whatever" (1.00)');
  });

  it('passes when none is said by that speaker', () => {
    expect(answer({ type: 'prohibited', speaker: 'agent', phrases: ['internet'] })).toMatchObject({ outcome: 'pass', confidence: 1, evidence: [] });
    expect(answer({ type: 'prohibited', speaker: 'customer', phrases: ['calm down'] }).outcome).toBe('pass');
    expect(answer({ type: 'prohibited', speaker: 'agent', phrases: ['calm down'], within: { last: 20 } }).outcome).toBe('pass');
  });
});

describe('regex rule', () => {
  it('matches the normalised text of each segment, present or absent', () => {
    const a = answer({ type: 'regex', speaker: 'agent', pattern: 'account (number|no)', flags: 'iu', expect: 'present' });
    expect(a).toMatchObject({ outcome: 'pass', confidence: 1 });
    expect(a.evidence[0]).toMatchObject({ segmentId: 's2', note: 'matched /account (number|no)/: "account number"' });
    expect(answer({ type: 'regex', speaker: 'agent', pattern: '\\b(calm|whatever)\\b', flags: 'iu', expect: 'absent' })).toMatchObject({ outcome: 'fail' });
    expect(answer({ type: 'regex', speaker: 'customer', pattern: 'calm', flags: 'iu', expect: 'absent' }).outcome).toBe('pass');
  });

  it('sees punctuation-free, Persian-normalised text (digits as ASCII)', () => {
    const fa = callOf([['customer', 0, 2, 'شماره اشتراك من ۴۵۶۷ است']]);
    expect(answer({ type: 'regex', speaker: 'customer', pattern: 'اشتراک من \\d{4}', flags: 'u', expect: 'present' }, fa).outcome).toBe('pass');
    expect(answer({ type: 'regex', speaker: 'agent', pattern: "i'm sorry", flags: 'iu', expect: 'present' }).outcome).toBe('fail');
    expect(answer({ type: 'regex', speaker: 'agent', pattern: 'im sorry', flags: 'iu', expect: 'present' }).outcome).toBe('pass');
  });
});
