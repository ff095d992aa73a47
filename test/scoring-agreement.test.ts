import { describe, expect, it } from 'vitest';
import { categoryCounts, fleissKappa, pairAgreement, spread } from '../services/scoring/workflow/agreement.js';

describe("Fleiss' kappa", () => {
  // The worked example of the Wikipedia article "Fleiss' kappa": 10 subjects, 14 raters, 5 categories.
  const WIKIPEDIA = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
  ];

  it('reproduces the textbook example (κ = 0.210, P̄ = 0.378, P̄e = 0.213)', () => {
    const r = fleissKappa(WIKIPEDIA);
    expect(r).toMatchObject({ subjects: 10, raters: 14 });
    expect(r.kappa).toBeCloseTo(0.210, 3);
    expect(r.observed).toBeCloseTo(0.378, 3);
    expect(r.expected).toBeCloseTo(0.213, 3);
    expect(r.perSubject.map((p) => Number(p!.toFixed(3)))).toEqual([1, 0.253, 0.308, 0.44, 0.33, 0.462, 0.242, 0.176, 0.286, 0.286]);
  });

  it('is 1 for perfect agreement over several categories, undefined when everything is one category, negative below chance', () => {
    expect(fleissKappa([[3, 0], [0, 3], [3, 0]]).kappa).toBeCloseTo(1, 10);
    expect(fleissKappa([[3, 0], [3, 0]]).kappa).toBeNull();
    expect(fleissKappa([]).kappa).toBeNull();
    // Two raters who always disagree.
    expect(fleissKappa([[1, 1], [1, 1]]).kappa).toBeCloseTo(-1, 10);
  });

  it('leaves out subjects with fewer than two ratings', () => {
    expect(pairAgreement([1, 0])).toBeNull();
    const r = fleissKappa([[2, 0], [0, 2], [1, 0]]);
    expect(r.subjects).toBe(2);
    expect(r.kappa).toBeCloseTo(1, 10);
  });

  it('counts labels per subject, and measures spread', () => {
    expect(categoryCounts([['yes', 'yes', 'no'], ['3', 'na', '3']])).toEqual({
      categories: ['3', 'na', 'no', 'yes'], counts: [[0, 0, 1, 2], [2, 1, 0, 0]],
    });
    expect(spread([80, 90, 100])).toMatchObject({ n: 3, min: 80, max: 100, mean: 90 });
    expect(spread([80, 90, 100]).stddev).toBeCloseTo(8.165, 3);
    expect(spread([])).toEqual({ n: 0, min: null, max: null, mean: null, stddev: null });
  });
});
