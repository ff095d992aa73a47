import { describe, expect, it } from 'vitest';
import { createEnglishLexiconEngine } from './english-lexicon-engine.js';
import { labelFor, squash } from './scoring.js';

const en = createEnglishLexiconEngine();
const label = (text: string) => en.score(text).label;

describe('English lexicon engine', () => {
  it('normalises the AFINN sum with s / √(s² + 15)', () => {
    expect(squash(0)).toBe(0);
    expect(squash(3)).toBeCloseTo(3 / Math.sqrt(24), 12);
    expect(squash(-100)).toBeGreaterThan(-1);
    expect(en.score('good')).toEqual({ score: squash(3), label: 'positive', engine: 'lexicon' });
    expect(labelFor(0.19)).toBe('neutral');
    expect(labelFor(-0.2)).toBe('negative');
  });

  it('flips negated words, within three tokens, damped', () => {
    expect(label('I am happy')).toBe('positive');
    expect(label('I am not happy')).toBe('negative');
    expect(label("I'm not very happy")).toBe('negative');
    expect(label('I don’t feel happy')).toBe('negative');
    expect(en.explain('not happy').matches).toEqual([{ text: 'happy', weight: 3, value: -2.25, negated: true }]);
    expect(label('not bad at all')).toBe('positive');
    expect(label('no problem')).toBe('positive');
    expect(label('it is not working')).toBe('negative');
    // Negation does not cross a clause boundary.
    expect(label('Not now. I am happy')).toBe('positive');
  });

  it('does not count the problem noun when the clause says it was resolved', () => {
    expect(label('the problem is resolved')).toBe('positive');
    expect(label('the problem is not resolved')).toBe('negative');
  });

  it('ignores requests, politeness and greeting formulae', () => {
    expect(label("I'd like to change my address please")).toBe('neutral');
    expect(label('Can you help me with my bill?')).toBe('neutral');
    expect(label('Good morning, thank you for calling')).toBe('neutral');
    expect(label('Thank you, that was helpful')).toBe('positive');
  });

  it('weighs the clause after "but" more', () => {
    expect(label('It was slow but the agent was great')).toBe('positive');
    expect(label('The agent was nice but my problem is still not fixed and I am angry')).toBe('negative');
  });

  it('takes extra labels', () => {
    const custom = createEnglishLexiconEngine({ labels: { callsightplus: 3 } });
    expect(custom.score('callsightplus').label).toBe('positive');
    expect(label('callsightplus')).toBe('neutral');
  });
});
