/**
 * Inter-rater agreement for calibration: Fleiss' kappa over subjects rated by several raters into categories.
 * `counts[i][j]` is how many raters put subject i in category j; every subject should have the same number of
 * ratings n ≥ 2 (subjects with fewer than 2 ratings are left out).
 *
 *   P_i = (Σ_j n_ij² − n) / (n (n − 1))          agreement on subject i (share of agreeing rater pairs)
 *   p_j = Σ_i n_ij / (N n)                        share of all ratings in category j
 *   P̄ = mean P_i,  P̄e = Σ_j p_j²,  κ = (P̄ − P̄e) / (1 − P̄e)
 *
 * κ is null when it is undefined (no subject, or every rating in one category: P̄e = 1).
 */
export interface FleissResult {
  subjects: number;
  raters: number;
  /** P_i per subject (null when left out). */
  perSubject: (number | null)[];
  /** P̄: observed agreement. */
  observed: number | null;
  /** P̄e: agreement expected by chance. */
  expected: number | null;
  kappa: number | null;
}

/** P_i: the share of rater pairs that agree on one subject; null with fewer than 2 ratings. */
export function pairAgreement(row: readonly number[]): number | null {
  const n = row.reduce((a, b) => a + b, 0);
  if (n < 2) return null;
  return (row.reduce((a, x) => a + x * x, 0) - n) / (n * (n - 1));
}

export function fleissKappa(counts: readonly (readonly number[])[]): FleissResult {
  const perSubject = counts.map(pairAgreement);
  const used = counts.filter((_, i) => perSubject[i] !== null);
  const categories = Math.max(0, ...counts.map((r) => r.length));
  const totals = new Array<number>(categories).fill(0);
  let ratings = 0;
  for (const row of used) {
    row.forEach((x, j) => { totals[j] += x; });
    ratings += row.reduce((a, b) => a + b, 0);
  }
  const raters = used.length ? Math.max(...used.map((r) => r.reduce((a, b) => a + b, 0))) : 0;
  if (!used.length || !ratings) return { subjects: used.length, raters, perSubject, observed: null, expected: null, kappa: null };
  const observed = perSubject.reduce<number>((a, p) => a + (p ?? 0), 0) / used.length;
  const expected = totals.reduce((a, t) => a + (t / ratings) ** 2, 0);
  const kappa = expected >= 1 - 1e-12 ? null : (observed - expected) / (1 - expected);
  return { subjects: used.length, raters, perSubject, observed, expected, kappa };
}

/** Counts per subject over the categories found in `ratings` (one array of category labels per subject), in a stable order. */
export function categoryCounts(ratings: readonly (readonly string[])[]): { categories: string[]; counts: number[][] } {
  const categories = [...new Set(ratings.flat())].sort();
  const index = new Map(categories.map((c, i) => [c, i]));
  const counts = ratings.map((r) => {
    const row = new Array<number>(categories.length).fill(0);
    for (const c of r) row[index.get(c)!] += 1;
    return row;
  });
  return { categories, counts };
}

/** Population mean and standard deviation, min and max; nulls for no values. */
export function spread(values: readonly number[]): { n: number; min: number | null; max: number | null; mean: number | null; stddev: number | null } {
  if (!values.length) return { n: 0, min: null, max: null, mean: null, stddev: null };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const stddev = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  return { n: values.length, min: Math.min(...values), max: Math.max(...values), mean, stddev };
}
